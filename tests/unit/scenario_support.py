"""Helpers for the scenario tests: scenario text for the order-support agent, a scripted model.

Plain functions rather than conftest fixtures, like `cli_support`, so nothing is shared
implicitly with the other test modules of this folder.
"""

from __future__ import annotations

from pathlib import Path

from voicetools.testing.scripted_llm import ScriptedLLM

ROOT = Path(__file__).resolve().parents[2]
ORDER_AGENT = ROOT / "agents" / "order_support.yaml"
SCENARIOS = ROOT / "agents" / "scenarios"


def scenario_text(body: str, agent: Path = ORDER_AGENT, today: str = "2026-05-06") -> str:
    """A scenario file for `agent` (absolute path) with `body` as its `scenarios:` list."""
    return f"agent: {agent}\ntoday: {today}\nscenarios:\n{body}"


def write_scenario(folder: Path, body: str, name: str = "s.yaml", **options: str) -> Path:
    path = folder / name
    path.write_text(scenario_text(body, **options), encoding="utf-8")  # type: ignore[arg-type]
    return path


def order_llm() -> ScriptedLLM:
    """A model that does what a good model would for the order-support agent.

    Module-level, so `--jobs` worker processes can build it too.
    """
    llm = ScriptedLLM(default="Happy to help with anything else.")
    llm.add(r"<tool_response>[\s\S]*shipped", "Order 4521 has shipped and arrives May 8th.")
    llm.add(r"<tool_response>[\s\S]*ticket_id", "Done, your ticket number is T-1001.")
    llm.add(r"<tool_response>", "Here is what I found.")
    llm.on_call(r"order (\d{4})", "get_order_status", order_id="4521")
    llm.on_call(r"ticket", "create_support_ticket", issue="damaged parcel")
    llm.on_call(r"\bbye\b", "end_call")
    llm.add(r"where is my order", "Sure, what's your order number?")
    return llm
