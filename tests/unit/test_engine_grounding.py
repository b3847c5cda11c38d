"""Every value grounded, through the engine: a scripted model that invents or garbles values,
and the utility agent's real Python handlers (agents/handlers/utility.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine_support import calls, said, turn

from voicetools.dialogue.checks.digit_values import DIGIT_BY_DIGIT
from voicetools.dialogue.checks.side_effects import SAY_AGAIN
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import Event, ToolReturned
from voicetools.spec import load_agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENT = Path(__file__).resolve().parents[2] / "agents" / "utility.yaml"
INVENTED = "123 Main St, City A, USA"


def engine_for(llm: ScriptedLLM) -> Engine:
    agent = load_agent(AGENT)
    return Engine(agent, llm, ToolRunner(agent), today=date(2026, 12, 1))


def results(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [dict(e.result) for e in events if isinstance(e, ToolReturned)]


def scripted() -> ScriptedLLM:
    """A model that files an outage at an address nobody said, and copies spoken digits."""
    llm = ScriptedLLM(default="How else can I help?")
    llm.on_call("(?i)everything and", "report_outage", address=INVENTED, description="outage")
    llm.on_call("(?i)7 7 3 0 1 9", "get_account_balance", account_number="7 7 3 0 1 9")
    llm.on_call("(?i)4471-Ine", "get_account_balance", account_number="4471")
    llm.on_call("(?i)four four eight", "get_account_balance", account_number="448190")
    llm.on_call("(?i)sorry", "get_account_balance", account_number="773019")
    llm.on_call("(?i)no power", "report_outage", address=INVENTED, description="no power")
    llm.add("tool_response", "Here is what I found.")
    return llm


def test_a_garbled_line_files_no_outage_report() -> None:
    events = turn(engine_for(scripted()), "Everything and")
    assert calls(events) == [] and results(events) == []
    assert said(events) == [SAY_AGAIN]


def test_digits_said_one_by_one_reach_the_handler_as_one_account_number() -> None:
    events = turn(engine_for(scripted()), "My account number is 7 7 3 0 1 9.")
    assert calls(events) == [("get_account_balance", {"account_number": "773019"})]
    assert results(events)[0]["amount_due"] == "84.20"


def test_a_misheard_number_is_asked_again_then_the_clear_one_runs() -> None:
    engine = engine_for(scripted())
    first = turn(engine, "It's 4471-Ine.")
    # no six digits were said, so the engine asks before the model writes (`preview.doomed`)
    assert calls(first) == [] and said(first) == ["What's the six-digit account number?"]
    second = turn(engine, "four four eight one nine oh")
    assert calls(second) == [("get_account_balance", {"account_number": "448190"})]


def test_a_number_run_into_letters_is_asked_digit_by_digit() -> None:
    llm = scripted().on_call("(?i)773019-Ine", "get_account_balance", account_number="773019")
    events = turn(engine_for(llm), "Account 773019-Ine.")
    assert calls(events) == [] and said(events) == [DIGIT_BY_DIGIT]


def test_after_sorry_the_later_account_number_is_looked_up() -> None:
    events = turn(engine_for(scripted()), "Account 773019, sorry, I mean 305822.")
    assert calls(events) == [("get_account_balance", {"account_number": "305822"})]


def test_an_outage_at_an_address_nobody_said_is_asked_for_not_filed() -> None:
    events = turn(engine_for(scripted()), "Hi, I have no power at home since this morning.")
    assert calls(events) == [] and results(events) == []
    assert any("address" in line.lower() for line in said(events))
