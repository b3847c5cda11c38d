"""Check one turn's events against its `Expect`: a list of readable failures, empty when it passed.

Pure: it reads the events `Engine.turn()` yielded (voicetools.dialogue.events) and nothing
else, so every expectation is tested on hand-made event lists. Each failure is one sentence
saying what was expected and what happened instead, quoting the agent, because the person
reading a red CI log did not see the conversation:

    expected call get_order_status {order_id: "4521"}, got: no call; agent said: "Sure, ..."

Quotations are redacted (`redactor`: the session's secrets, card numbers) before they are cut
to length, so a failure message never carries the first half of either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voicetools.dialogue import CallEnded, Event, Say, ToolCalled, ToolReturned
from voicetools.scenario.model import Expect, ExpectedCall
from voicetools.tools import NO_SECRETS, Redactor

CONFIRMATION_STATUS = "confirmation_required"
"""The status of the result that puts a question to the caller (voicetools.tools.policy)."""
_QUOTE_MAX = 200


@dataclass(frozen=True)
class TurnView:
    """What a turn showed, distilled from its events."""

    calls: tuple[ToolCalled, ...]
    reply: str
    """The agent's words (filler and greeting excluded), joined."""
    fillers: tuple[str, ...]
    confirmations: tuple[str, ...]
    """Questions asked for confirmation (or "(asked)" when only the result says so)."""
    ended: bool

    @classmethod
    def of(cls, events: Sequence[Event], ended: bool = False) -> TurnView:
        said = [e for e in events if isinstance(e, Say)]
        confirmations = [e.text for e in said if e.kind == "confirm"]
        if not confirmations and any(_asks_confirmation(e) for e in events):
            confirmations = ["(asked)"]
        return cls(
            calls=tuple(e for e in events if isinstance(e, ToolCalled)),
            reply=" ".join(e.text.strip() for e in said if e.kind not in ("filler", "greeting")),
            fillers=tuple(e.text for e in said if e.kind == "filler"),
            confirmations=tuple(confirmations),
            ended=ended or any(isinstance(e, CallEnded) for e in events),
        )


def _asks_confirmation(event: Event) -> bool:
    return (
        isinstance(event, ToolReturned)
        and isinstance(event.result, Mapping)
        and event.result.get("status") == CONFIRMATION_STATUS
    )


def quote(text: str, redactor: Redactor = NO_SECRETS) -> str:
    """A short quotation of what was said, redacted before it is shortened."""
    text = redactor.text(" ".join(text.split()))
    if len(text) > _QUOTE_MAX:
        text = text[: _QUOTE_MAX - 1] + "…"
    return json.dumps(text, ensure_ascii=False) if text else "(nothing)"


def show_arguments(arguments: Mapping[str, Any]) -> str:
    """`{order_id: "4521", priority: "high"}`: YAML-like keys, JSON values."""
    parts = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items()]
    return "{" + ", ".join(parts) + "}"


def show_call(name: str, arguments: Mapping[str, Any]) -> str:
    return f"{name} {show_arguments(arguments)}" if arguments else name


def _same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return str(expected).strip().casefold() == str(actual).strip().casefold()
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return str(expected).strip().casefold() == str(actual).strip().casefold()


def matches(expected: Any, actual: Any) -> bool:
    """`expected` is a subset of `actual`: mappings by key, lists item by item, scalars loosely."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and matches(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if expected is None or actual is None or isinstance(actual, Mapping | list):
        return expected == actual
    return _same_scalar(expected, actual)


def _mismatch(expected: ExpectedCall, actual: ToolCalled) -> str:
    """Which expected arguments a call with the right name got wrong."""
    wrong = []
    for key, value in expected.arguments.items():
        if key not in actual.arguments:
            wrong.append(f"{key} missing")
        elif not matches(value, actual.arguments[key]):
            got = json.dumps(actual.arguments[key], ensure_ascii=False)
            wrong.append(f"{key}: expected {json.dumps(value, ensure_ascii=False)}, got {got}")
    return "; ".join(wrong)


def check_calls(
    expected: Sequence[ExpectedCall], view: TurnView, redactor: Redactor = NO_SECRETS
) -> list[str]:
    """The expected calls in order, each after the previous one's match."""
    got = ", ".join(show_call(c.name, c.arguments) for c in view.calls) or "no call"
    position = 0
    for want in expected:
        for index in range(position, len(view.calls)):
            call = view.calls[index]
            if call.name == want.name and matches(want.arguments, call.arguments):
                position = index + 1
                break
        else:
            near = [c for c in view.calls[position:] if c.name == want.name]
            why = f" ({_mismatch(want, near[0])})" if near else ""
            return [
                f"expected call {show_call(want.name, want.arguments)}, got: {got}{why}; "
                f"agent said: {quote(view.reply, redactor)}"
            ]
    return []


def check_turn(
    expect: Expect, events: Sequence[Event], ended: bool = False, redactor: Redactor = NO_SECRETS
) -> list[str]:
    """Every failed expectation of one turn, as readable sentences."""
    view = TurnView.of(events, ended)

    def cite(text: str) -> str:
        return quote(text, redactor)

    failures = check_calls(expect.calls, view, redactor)
    called = ", ".join(show_call(c.name, c.arguments) for c in view.calls)
    if expect.no_call is True and view.calls:
        failures.append(f"expected no call, got: {called}; agent said: {cite(view.reply)}")
    if expect.no_call is False and not view.calls:
        failures.append(f"expected a call, got: no call; agent said: {cite(view.reply)}")
    if expect.confirmation is True and not view.confirmations:
        failures.append(
            f"expected a confirmation question, none was asked; agent said: {cite(view.reply)}"
        )
    if expect.confirmation is False and view.confirmations:
        failures.append(f"expected no confirmation question, got: {cite(view.confirmations[0])}")
    if expect.filler is True and not view.fillers:
        ran = f"tools ran: {called}" if view.calls else "no tool ran"
        failures.append(f"expected a filler line while a tool ran, none was spoken ({ran})")
    if expect.filler is False and view.fillers:
        failures.append(f"expected no filler, got: {cite(view.fillers[0])}")
    reply = view.reply.casefold()
    if expect.reply_contains and not any(t.casefold() in reply for t in expect.reply_contains):
        wanted = " or ".join(cite(t) for t in expect.reply_contains)
        failures.append(f"expected the reply to contain {wanted}; agent said: {cite(view.reply)}")
    for text in expect.reply_not_contains:
        if text.casefold() in reply:
            failures.append(
                f"the reply must not contain {cite(text)}; agent said: {cite(view.reply)}"
            )
    if expect.ended is True and not view.ended:
        failures.append(f"expected the call to end, it goes on; agent said: {cite(view.reply)}")
    if expect.ended is False and view.ended:
        failures.append(f"expected the call to go on, it ended; agent said: {cite(view.reply)}")
    return [redactor.text(failure) for failure in failures]  # the calls' arguments, shown whole
