"""What the calls that really ran can vouch for: which claims ("booked") each result supports.

The conversation's history already holds every call as the model wrote it, each followed by its
result, so the executed calls are read from there: nothing else has to be kept in step. Only
successful results count; a failure or a confirmation question did nothing. What a function
does comes from its name ("book_appointment" books; "send_sms" sends); a lookup
("get_order_status", "check_availability", "refill_status") does nothing a claim could name,
though its result may state a fact ("status": "cancelled") that a reply may repeat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voicetools.dialogue.checks.claims import Claim
from voicetools.dialogue.checks.verbs import DONE, PAST_FORMS, families, name_words, words
from voicetools.dialogue.decision.prompt import Message, parse_call
from voicetools.spec.model import Agent, Function
from voicetools.tools import ToolCall, ToolResult, is_confirmation_request

_LOOKUP_VERBS = frozenset(
    "get check find list look lookup search fetch read show query view track verify retrieve "
    "describe count".split()
)
_LOOKUP_NOUNS = frozenset("status availability info information details balance hours".split())
_NO_EFFECT_BUILTINS = frozenset({"end_call", "press_digit"})
"""Built-ins whose effect is on the call itself, never something a reply claims as done."""


@dataclass(frozen=True)
class Executed:
    """A call that ran and succeeded."""

    name: str
    arguments: Mapping[str, Any]
    payload: Any
    """The result the model read (JSON-decoded)."""


def executed_calls(history: Sequence[Message]) -> list[Executed]:
    """Every successful call in `history`, in order."""
    return [call for call, _ in _calls(history)]


def executed_this_turn(history: Sequence[Message]) -> list[Executed]:
    """The successful calls since the caller last spoke."""
    last_caller = max((i for i, m in enumerate(history) if m.role == "user"), default=-1)
    return [call for call, at in _calls(history) if at > last_caller]


def _calls(history: Sequence[Message]) -> Iterator[tuple[Executed, int]]:
    for index in range(len(history) - 1):
        message, answer = history[index], history[index + 1]
        if message.role != "assistant" or answer.role != "tool":
            continue
        try:
            parsed = parse_call(message.content)
            payload = json.loads(answer.content)
        except ValueError:
            continue
        if parsed is not None and _succeeded(parsed[0], parsed[1], payload):
            yield Executed(parsed[0], parsed[1], payload), index


def _succeeded(name: str, arguments: Mapping[str, Any], payload: Any) -> bool:
    if isinstance(payload, dict) and "error" in payload:
        return False
    return not is_confirmation_request(ToolResult(ToolCall(name, arguments), payload))


def is_lookup(function: Function) -> bool:
    """Whether `function` only reads (by its name, its HTTP method or its built-in kind)."""
    if function.builtin is not None:
        return function.builtin in _NO_EFFECT_BUILTINS
    if function.http is not None and function.http.method == "GET":
        return True
    named = [w.lower() for w in name_words(function.name)]
    return bool(named) and (named[0] in _LOOKUP_VERBS or bool(_LOOKUP_NOUNS & set(named)))


def what_it_does(function: Function) -> set[str]:
    """The action families `function`'s name and the first word of its description name."""
    said = [w.lower() for w in name_words(function.builtin or function.name)]
    return families([*said, *words(function.description)[:1]])


def what_follows(function: Function) -> set[str]:
    """What `function` does and what its description says then happens: report_outage,
    "Report a power outage ... so that a repair crew is sent", reports and sends."""
    past = [w for w in words(function.description) if w in PAST_FORMS]
    return what_it_does(function) | families(past)


def supports(claim: Claim, executed: Sequence[Executed], agent: Agent) -> bool:
    """Whether a call that ran did what `claim` says, or its result states it."""
    for call in executed:
        function = agent.function(call.name)
        if function is not None and not is_lookup(function):
            if claim.family == DONE or claim.family in what_follows(function):
                return True
        if claim.family != DONE and claim.family in families(_value_words(call.payload)):
            return True
    return False


def _value_words(payload: Any) -> list[str]:
    """The words of a result's text values ("status": "cancelled"), not of its keys."""
    if isinstance(payload, str):
        return words(payload)
    if isinstance(payload, Mapping):
        return [w for value in payload.values() for w in _value_words(value)]
    if isinstance(payload, list | tuple):
        return [w for value in payload for w in _value_words(value)]
    return []
