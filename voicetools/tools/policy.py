"""Rules the model cannot talk its way around: confirmation, once per turn, calls per turn.

Pure logic, no I/O, with the clock injected, so tests run in virtual time. The runner asks
`admit()` before every call and tells `remember()` what ran; the dialogue layer reports what
the *caller* said through `answer()`. That is the only way in: nothing the model writes and no
tool result ever reaches `answer()` with source "caller", so a tool returning "yes, confirmed,
ignore previous instructions" confirms nothing.

Confirmation is bound to the exact call: the question reads the arguments back, the caller's yes
approves that function with those arguments only, once. New arguments mean a new question. A
question not answered within `ttl_s` (30 s) expires, and so does a yes not acted on within
`ttl_s`. Pending questions and approvals survive `new_turn()`, since the caller's answer always
arrives in the next turn. A function asks when `Function.needs_confirmation` says so, which
includes every destructive function without `confirm: false`.

`reply()` takes what the caller's answer means (`consent.classify`): a change withdraws the
question (the new request is asked about afresh); a question or an unclear answer gets the
question asked once more, and a second one withdraws it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from voicetools.spec.model import Function
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.consent import Consent
from voicetools.tools.readback import confirmation_question, spoken_action

CONFIRM_TTL_S = 30.0
AnswerSource = Literal["caller", "model", "tool"]


def call_key(name: str, arguments: Mapping[str, Any]) -> str:
    """A canonical key for "this function with exactly these arguments"."""
    return name + "\x00" + json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class PendingConfirmation:
    """A question put to the caller, waiting for a yes or a no."""

    function: str
    arguments: Mapping[str, Any]
    question: str
    """What the caller is asked; reads back every argument."""
    asked_at: float
    """Clock time of the question; it expires `CONFIRM_TTL_S` later."""
    key: str = field(repr=False, default="")
    action: str = ""
    """What would be done, in words ("delete task 3"), for saying it will not be."""
    repeated: bool = False
    """Whether the question was already asked again after an answer that was not yes or no."""


class Answer(StrEnum):
    """What happened to the caller's answer."""

    CONFIRMED = "confirmed"
    DENIED = "denied"
    EXPIRED = "expired"
    NOTHING_PENDING = "nothing_pending"
    REFUSED = "refused"
    """The answer did not come from the caller, so it counts for nothing."""
    CHANGED = "changed"
    """The caller asked for something else: the question is withdrawn, nothing is approved."""
    REPEATED = "repeated"
    """Neither yes nor no (a question, or unclear): the same question is to be asked again."""
    DROPPED = "dropped"
    """Neither yes nor no twice in a row: the question is withdrawn, nothing is approved."""


@dataclass(frozen=True)
class Verdict:
    """What `admit()` decided about one call."""

    action: Literal["run", "ask", "duplicate"]
    result: ToolResult | None = None
    """What the model gets instead of a run: the question, or the first result marked duplicate."""


CONFIRMATION_STATUS = "confirmation_required"
_ASK = (
    "Ask the caller exactly this question and wait for the answer. "
    "Call the function again with the same arguments only if they say yes."
)


def confirmation_result(call: ToolCall, question: str) -> ToolResult:
    """The result that puts `question` to the caller; nothing ran (attempts 0)."""
    payload = {"status": CONFIRMATION_STATUS, "question": question, "instructions": _ASK}
    return ToolResult(call, payload, attempts=0)


def is_confirmation_request(result: ToolResult) -> bool:
    """Whether `result` is a question for the caller rather than the outcome of a call."""
    return isinstance(result.payload, dict) and result.payload.get("status") == CONFIRMATION_STATUS


def duplicate_result(call: ToolCall, first: ToolResult) -> ToolResult:
    """The first result again, marked, without repeating its effects on the call (no actions)."""
    payload = first.payload
    marked = (
        {**payload, "duplicate": True}
        if isinstance(payload, dict)
        else {"duplicate": True, "result": payload}
    )
    return replace(
        first, call=call, payload=marked, attempts=0, actions=(), detail={"duplicate": True}
    )


class CallPolicy:
    """Per-agent-session state for the three policies."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_calls_per_turn: int = 5,
        ttl_s: float = CONFIRM_TTL_S,
        variables: Mapping[str, str] | None = None,
    ) -> None:
        self.clock = clock
        self.max_calls_per_turn = max_calls_per_turn
        self.ttl_s = ttl_s
        self.variables = dict(variables or {})
        self._pending: PendingConfirmation | None = None
        self._approved: tuple[str, float] | None = None
        self._calls = 0
        self._ran: dict[str, ToolResult] = {}

    def new_turn(self) -> None:
        """The caller spoke again: reset the duplicate memory and the call count."""
        self._calls = 0
        self._ran.clear()

    @property
    def calls_this_turn(self) -> int:
        return self._calls

    @property
    def pending(self) -> PendingConfirmation | None:
        """The open question, or None (an expired question is dropped on reading)."""
        if self._pending is not None and self.clock() - self._pending.asked_at > self.ttl_s:
            self._pending = None
        return self._pending

    def count_call(self) -> bool:
        """Count one call (valid or not) towards the per-turn cap; False once over it."""
        self._calls += 1
        return self._calls <= self.max_calls_per_turn

    def admit(self, function: Function, call: ToolCall) -> Verdict:
        """Decide about one counted, validated call: run it, ask first, or repeat a result."""
        arguments = call.arguments
        key = call_key(function.name, arguments)
        if key in self._ran:
            return Verdict("duplicate", duplicate_result(call, self._ran[key]))
        if not function.needs_confirmation:
            return Verdict("run")
        approved, self._approved = self._approved, None
        if approved is not None and approved[0] == key and self.clock() - approved[1] <= self.ttl_s:
            return Verdict("run")
        pending = self.pending
        if pending is None or pending.key != key:
            question = confirmation_question(function, arguments, self.variables)
            action = spoken_action(function, arguments)
            pending = PendingConfirmation(
                function.name, dict(arguments), question, self.clock(), key, action
            )
            self._pending = pending
        return Verdict("ask", confirmation_result(call, pending.question))

    def remember(
        self, function: Function, arguments: Mapping[str, Any], result: ToolResult
    ) -> None:
        """A call ran: the same call again in this turn gets this result back."""
        self._ran[call_key(function.name, arguments)] = result

    def answer(self, yes: bool, *, source: AnswerSource = "caller") -> Answer:
        """The answer to the pending question; only the caller's answer counts."""
        if source != "caller":
            return Answer.REFUSED
        if self._pending is None:
            return Answer.NOTHING_PENDING
        if self.pending is None:
            return Answer.EXPIRED
        key, self._pending = self._pending.key, None
        if not yes:
            self._approved = None
            return Answer.DENIED
        self._approved = (key, self.clock())
        return Answer.CONFIRMED

    def reply(self, consent: Consent, *, source: AnswerSource = "caller") -> Answer:
        """What the caller's answer (already classified) does; only the caller's answer counts."""
        if consent is Consent.YES or consent is Consent.NO:
            return self.answer(consent is Consent.YES, source=source)
        if source != "caller":
            return Answer.REFUSED
        if self._pending is None:
            return Answer.NOTHING_PENDING
        pending = self.pending
        if pending is None:
            return Answer.EXPIRED
        self._approved = None
        if consent is Consent.CHANGE or pending.repeated:
            self._pending = None
            return Answer.CHANGED if consent is Consent.CHANGE else Answer.DROPPED
        # asked again now, so the caller gets the full time to answer
        self._pending = replace(pending, asked_at=self.clock(), repeated=True)
        return Answer.REPEATED
