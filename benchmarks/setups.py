"""The decision setups `benchmarks/decisions.py` compares, each turning one case into an Outcome.

- `baseline`: the model's own embedded chat template (Jinja, from the GGUF metadata) with
  `tools=`, free generation, then `<tool_call>` JSON parsed from the text (a bare or fenced
  `{"name": ..., "arguments": ...}` counts too, to be fair to a Coder model). No code after it:
  this is what you get from the model alone.
- pipeline setups (`baselines.GrammarDecider`, `RouteDecider`, ...): the case becomes the engine's
  `Situation` (greeting first, prior calls and results as the engine records them), the
  decider decides, and the engine's own checks run on a call (dates resolved in code, missing
  or ungrounded identifiers -> the engine asks, which scores as a reply).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.utterances import Case, Outcome
from voicetools.dialogue.checks.call import check_call
from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.decision.decider import (
    Call,
    Decider,
    DecisionRecord,
    Malformed,
    Situation,
)
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import STOP, Message, call_text, signature, system_message
from voicetools.spec.model import Agent

_TOOL_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*(?:</tool_call>|$)", re.DOTALL)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


@dataclass
class Run:
    """One case through one setup."""

    outcome: Outcome
    first_s: float
    """Seconds to the first thing the engine could act on (a reply piece or the call)."""
    total_s: float
    """Seconds to the end of the decision (whole reply, or the call)."""
    route: dict[str, float] | None = None
    """Routing scores, for deciders that score (to tune a bias offline)."""
    routed_s: float | None = None
    """Seconds to the routing decision (reply or which function), for deciders that route."""
    call_s: float | None = None
    """Seconds until the call was ready (the whole decision), when the decision was a call."""
    arguments_path: str | None = None
    """Where a call's arguments came from ("free" or "grammar"), for deciders that say."""


def history(case: Case, agent: Agent) -> tuple[list[Message], list[str]]:
    """The engine's history for `case` (greeting first) and the tool results the caller heard."""
    messages = [Message("assistant", agent.greeting)] if agent.greeting else []
    heard: list[str] = []
    for turn in case.prior:
        if turn.role == "caller":
            messages.append(Message("user", turn.text))
        elif turn.role == "agent":
            messages.append(Message("assistant", turn.text))
        else:
            result = json.dumps(turn.result, ensure_ascii=False)
            messages += [Message("assistant", call_text(turn.name, turn.arguments)),
                         Message("tool", result)]  # fmt: skip
            heard.append(result)
    messages.append(Message("user", case.utterance))
    return messages, heard


def engine_outcome(case: Case, agent: Agent, call: Call | None, text: str, heard: list[str]) -> Outcome:  # noqa: E501
    """What the engine does with a decision (dialogue.checks.call.check_call): call, end, or ask."""
    if call is None:
        return Outcome("reply", text=text)
    function = agent.function(call.name)
    if function is None:
        return Outcome("reply", text="(unknown function)")
    checked = check_call(
        function,
        call.arguments,
        utterance=case.utterance,
        caller_turns=case.caller_turns,
        variables=agent.variables,
        heard=heard,
        today=case.today,
    )
    if not checked.runs:
        asked = ", ".join(checked.asks_for) or "anything else"
        return Outcome("reply", text=f"(asks for {asked})")
    arguments = checked.arguments
    if function.builtin == "end_call":
        return Outcome("end_call", "end_call", arguments)
    return Outcome("call", call.name, arguments)


async def run_pipeline(decider: Decider, llm: Any, case: Case, agent: Agent, reply_tokens: int) -> Run:  # noqa: E501
    messages, heard = history(case, agent)
    system = system_message(session_instructions(agent, case.today), agent.functions)
    situation = Situation(system, tuple(messages), agent.functions, bool(agent.functions))
    options = GenerationOptions(max_reply_tokens=reply_tokens)
    start = time.perf_counter()
    first: float | None = None
    text, call, call_s = "", None, None
    record = DecisionRecord()  # a decider that measures nothing leaves it empty
    try:
        async for item in decider.decide(llm, situation, options):
            if isinstance(item, DecisionRecord):  # comes last: not something to act on
                record = item
                continue
            first = first if first is not None else time.perf_counter() - start
            if isinstance(item, Call):
                call, call_s = item, time.perf_counter() - start
            elif isinstance(item, str):
                text += item
    except Malformed as exc:
        text = f"(malformed: {exc})"
    total = time.perf_counter() - start
    route = dict(record.scores) or None
    outcome = engine_outcome(case, agent, call, text, heard)
    routed = record.route_s
    path = record.arguments_path if call is not None else None
    return Run(outcome, first if first is not None else total, total, route, routed, call_s, path)


def template_messages(case: Case, agent: Agent) -> list[dict[str, Any]]:
    """The case as OpenAI-style chat messages, for the model's own template."""
    out: list[dict[str, Any]] = [
        {"role": "system", "content": session_instructions(agent, case.today)}
    ]
    if agent.greeting:
        out.append({"role": "assistant", "content": agent.greeting})
    for turn in case.prior:
        if turn.role == "caller":
            out.append({"role": "user", "content": turn.text})
        elif turn.role == "agent":
            out.append({"role": "assistant", "content": turn.text})
        else:
            call = {"name": turn.name, "arguments": dict(turn.arguments)}
            out += [{"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": call}]},  # noqa: E501
                    {"role": "tool", "content": json.dumps(turn.result)}]  # fmt: skip
    out.append({"role": "user", "content": case.utterance})
    return out


def _template(chat_template: str) -> Any:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(chat_template)


def template_prefix(chat_template: str, case: Case, agent: Agent) -> str:
    """The template's prompt before the caller's last turn (system with tools, earlier turns):
    what a session would have cached."""
    messages = template_messages(case, agent)[:-1]
    tools = [signature(f) for f in agent.functions]
    return str(_template(chat_template).render(messages=messages, tools=tools))


def template_renderer(chat_template: str) -> Callable[[Case, Agent], str]:
    """Render the GGUF's own Jinja chat template, as llama-cpp-python's formatter does."""
    template = _template(chat_template)

    def render(case: Case, agent: Agent) -> str:
        tools = [signature(f) for f in agent.functions]
        return template.render(messages=template_messages(case, agent), tools=tools,
                               add_generation_prompt=True)  # fmt: skip

    return render


def parse_free(text: str) -> Call | None:
    """A call in free text: `<tool_call>{...}`, or a bare / fenced JSON object with a name."""
    found = _TOOL_CALL.search(text)
    body = found.group(1) if found else _FENCE.sub("", text.strip())
    if not body.startswith("{"):
        return None
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    arguments = data.get("arguments")
    return Call(data["name"], arguments if isinstance(arguments, dict) else {})


def run_baseline(llm: Any, render: Callable[[Case, Agent], str], case: Case, agent: Agent,
                 max_tokens: int) -> Run:  # fmt: skip
    """Free generation on the model's own template; no post-processing (the raw model)."""
    prompt = render(case, agent)
    start = time.perf_counter()
    first: float | None = None
    text = ""
    for piece in llm.stream(prompt, max_tokens=max_tokens, stop=STOP):
        first = first if first is not None else time.perf_counter() - start
        text += piece
    total = time.perf_counter() - start
    call = parse_free(text)
    if call is None:
        outcome = Outcome("reply", text=text)
    elif agent.function(call.name) is not None and agent.function(call.name).builtin == "end_call":  # type: ignore[union-attr]  # noqa: E501
        outcome = Outcome("end_call", "end_call")
    else:
        outcome = Outcome("call", call.name, call.arguments)
    # A call is usable only once its text is complete; a reply from its first piece.
    ready = total if call is not None else (first if first is not None else total)
    return Run(outcome, ready, total)
