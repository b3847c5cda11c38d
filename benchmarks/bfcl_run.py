"""The two setups the BFCL sample compares, each turning one case into the calls it made.

- `raw`: the model alone. The case's own messages (its system prompt, if any, and the user's
  words) rendered by the GGUF's embedded chat template with `tools=` (BFCL's names, JSON Schema
  types), greedy generation, then every `<tool_call>` block parsed (a bare JSON call counts too).
- `voicetools`: the case as our agent (benchmarks/bfcl_agent.py) through the engine's decision
  path on one utterance, exactly as benchmarks/decisions.py runs its `route` setup: the router,
  then the engine's checks (a missing or ungrounded value means the engine asks: no call).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.bfcl_agent import to_agent, to_schema
from benchmarks.bfcl_data import BfclCase
from benchmarks.bfcl_match import Call, right
from benchmarks.setups import parse_free, run_pipeline
from voicetools.dialogue.decision.prompt import STOP
from voicetools.dialogue.decision.route import RouteDecider

SETUPS = ("raw", "voicetools")
_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|$)", re.DOTALL)


@dataclass(frozen=True)
class Result:
    """One case through one setup."""

    calls: tuple[Call, ...]
    """The calls made, in BFCL's function names."""
    right: bool
    seconds: float
    text: str = ""
    """What the model said instead, or the error that stopped the case."""
    error: bool = False
    """Whether the case failed to run (counted wrong)."""


def raw_calls(text: str) -> tuple[Call, ...]:
    """Every call in the model's free text, in the order written."""
    blocks = _BLOCK.findall(text) or [text]
    found = (parse_free(block) for block in blocks)
    return tuple((c.name, dict(c.arguments)) for c in found if c is not None)


def tools(case: BfclCase) -> list[dict[str, Any]]:
    """The case's functions as OpenAI-style tools, in BFCL's own names."""
    return [
        {"type": "function", "function": {
            "name": doc["name"], "description": doc.get("description", ""),
            "parameters": to_schema(doc.get("parameters") or {"type": "dict"}),
        }}
        for doc in case.functions
    ]  # fmt: skip


def template_renderer(chat_template: str) -> Callable[[BfclCase], str]:
    """Render a case with the GGUF's Jinja chat template, as llama-cpp-python's formatter does."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(chat_template)

    def render(case: BfclCase) -> str:
        messages = [{"role": m["role"], "content": m.get("content", "")} for m in case.messages]
        return str(template.render(messages=messages, tools=tools(case),
                                   add_generation_prompt=True))  # fmt: skip

    return render


def run_raw(llm: Any, render: Callable[[BfclCase], str], case: BfclCase, max_tokens: int) -> Result:
    start = time.perf_counter()
    text = "".join(llm.stream(render(case), max_tokens=max_tokens, stop=STOP))
    calls = raw_calls(text)
    return Result(calls, right(case, calls), time.perf_counter() - start, text)


def run_voicetools(llm: Any, case: BfclCase, reply_tokens: int) -> Result:
    built = to_agent(case)
    start = time.perf_counter()
    decider = RouteDecider()  # fresh per case: it caches grammars by name, and cases reuse names
    run = asyncio.run(run_pipeline(decider, llm, built.case, built.agent, reply_tokens))
    outcome = run.outcome
    calls: tuple[Call, ...] = ()
    if outcome.kind == "call":
        calls = ((built.original.get(outcome.name, outcome.name), dict(outcome.arguments)),)
    return Result(calls, right(case, calls), time.perf_counter() - start, outcome.text)


def run_case(setup: str, llm: Any, render: Callable[[BfclCase], str] | None, case: BfclCase,
             *, call_tokens: int = 256, reply_tokens: int = 48) -> Result:  # fmt: skip
    """`case` through `setup`; a case the model cannot take (too long a prompt) is wrong.
    The raw model gets `call_tokens` for its whole answer, since a call may be in it."""
    start = time.perf_counter()
    try:
        if setup == "raw":
            assert render is not None
            return run_raw(llm, render, case, call_tokens)
        return run_voicetools(llm, case, reply_tokens)
    except Exception as exc:  # noqa: BLE001 - one bad case is reported, not fatal
        return Result((), False, time.perf_counter() - start, f"{type(exc).__name__}: {exc}", True)
