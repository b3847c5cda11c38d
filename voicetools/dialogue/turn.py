"""One turn of the conversation: the decision loop, the pre-call checks, running a call.

Split from `engine.py`, which holds what lives across turns (history, caller turns, what the
caller has heard); a `Turn` holds one turn's timings and whether it must stop.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from voicetools.dialogue.checks import check_call
from voicetools.dialogue.decide import Call, Malformed
from voicetools.dialogue.events import (
    CallAction,
    CallEnded,
    Event,
    Say,
    ToolCalled,
    ToolReturned,
    TurnStats,
)
from voicetools.dialogue.generation import split_sentences
from voicetools.dialogue.head_start import HeadStart
from voicetools.dialogue.prompt import Message, call_text
from voicetools.dialogue.speech import spoken_error_for
from voicetools.dialogue.tool_step import run_with_filler
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.policy import Answer, is_confirmation_request

if TYPE_CHECKING:
    from voicetools.dialogue.engine import Engine

DECLINED = "Okay, I won't do that. Is there anything else I can help with?"
TRANSFERRING = "Let me transfer you now."
UNCLEAR = "Sorry, I didn't catch that. Could you say it again?"
_CLAUSE_END = re.compile(r",\s")  # not "4,521"


def first_clause(buffer: str, min_words: int) -> tuple[list[str], str]:
    """The reply's opening clause, up to a comma after at least `min_words` words, so a voice
    can start on it before the sentence is finished; ([], buffer) when there is none yet."""
    for match in _CLAUSE_END.finditer(buffer):
        clause = buffer[: match.start() + 1].strip()
        if len(clause.split()) >= min_words:
            return [clause], buffer[match.end() :]
    return [], buffer


class Turn:
    """The state of one turn: timings and the decision loop."""

    def __init__(self, engine: Engine, start: float, head_start: HeadStart | None = None) -> None:
        self.e = engine
        self.start = start
        self.head_start = head_start
        """A precomputed first decision (`dialogue.head_start`), consumed by `_generate`."""
        self.adopted = False
        """Whether the first decision came from the head start."""
        self.first_piece_s: float | None = None
        self.llm_s = 0.0
        self.tool_s = 0.0
        self.decisions = 0
        self.finished = False
        """Set when the turn must end after the events already yielded."""

    def at(self) -> float:
        return self.e.clock.now() - self.start

    def stats(self) -> TurnStats:
        return TurnStats(self.first_piece_s, self.llm_s, self.tool_s, self.decisions)

    def say(self, text: str, kind: Any = "agent") -> Say:
        self.e.history.append(Message("assistant", text))
        return Say(text, kind, at_s=self.at())

    async def run(self, text: str) -> AsyncIterator[Event]:
        approved = self._answer_pending(text)
        if approved is Answer.DENIED:
            yield self.say(DECLINED)
            return
        rounds = 0
        if isinstance(approved, ToolCall):
            async for event in self._call(approved):
                yield event
            rounds = 1
        while not self.finished:
            allow_calls = rounds < self.e.max_tool_rounds
            call: Call | None = None
            async for item in self._generate(allow_calls):
                if isinstance(item, Say):
                    yield item
                else:
                    call = item
            if call is None:
                return
            checked = self._check(call.name, call.arguments, text)
            if isinstance(checked, Say):
                yield checked
                return
            async for event in self._call(checked):
                yield event
            rounds += 1

    def _check(self, name: str, arguments: dict[str, Any], text: str) -> ToolCall | Say:
        """The call to run, with dates resolved in code; or what to say instead (checks.py)."""
        function = self.e.agent.function(name)
        if function is None:  # only possible from a backend that ignores the grammar
            return self.say(UNCLEAR)
        checked = check_call(
            function,
            arguments,
            utterance=text,
            caller_turns=self.e.caller_turns,
            variables=self.e.agent.variables,
            heard=self.e.heard,
            today=self.e.today,
        )
        if not checked.runs:
            return self.say(checked.say)
        return ToolCall(name, checked.arguments, call_id=self.e.next_call_id())

    def _answer_pending(self, text: str) -> Answer | ToolCall | None:
        """A yes to the pending question gives the approved call to run; a no, DENIED."""
        pending = getattr(self.e.runner, "pending", None)
        if pending is None:
            return None
        answer = self.e.runner.caller_said(text)  # type: ignore[attr-defined]
        if answer is Answer.CONFIRMED:
            return ToolCall(pending.function, dict(pending.arguments), self.e.next_call_id())
        return answer

    async def _generate(self, allow_calls: bool) -> AsyncIterator[Say | Call]:
        """One decision: reply sentences as they complete, or the model's call at the end."""
        situation = self.e.situation(self.e.history, allow_calls)
        began = self.e.clock.now()
        self.decisions += 1
        buffer = ""
        spoken: list[str] = []
        call: Call | None = None
        head, self.head_start = self.head_start, None
        if head is not None and head.situation == situation:
            self.adopted = True
            decision = head.replay()
        else:
            if head is not None:
                await head.wait_cancelled()
            decision = self.e.decider.decide(self.e.llm, situation, self.e.options)
        try:
            async for item in decision:
                if self.first_piece_s is None:
                    self.first_piece_s = self.e.clock.now() - began
                if isinstance(item, Call):
                    # A call when calls are not allowed (a backend that ignores the grammar)
                    # is not run: the tool-round bound holds whatever the model writes.
                    call = item if situation.allow_calls else None
                    continue
                sentences, buffer = split_sentences(buffer + item)
                if not spoken and not sentences and self.e.first_clause_words:
                    sentences, buffer = first_clause(buffer, self.e.first_clause_words)
                for sentence in sentences:
                    spoken.append(sentence)
                    yield Say(sentence, "agent", at_s=self.at())
        except Malformed:
            buffer = UNCLEAR
        self.llm_s += self.e.clock.now() - began
        if call is not None:
            yield call
            return
        if buffer.strip() or not spoken:
            spoken.append(buffer.strip() or UNCLEAR)
            yield Say(spoken[-1], "agent", at_s=self.at())
        self.e.history.append(Message("assistant", " ".join(spoken)))

    async def _call(self, call: ToolCall) -> AsyncIterator[Event]:
        """Run one call with filler, then say what code decides about its result.

        Sets `finished` when the turn ends here (a question, an error, the end of the call);
        otherwise the model gets the result and decides again.
        """
        function = self.e.agent.function(call.name)
        assert function is not None
        self.e.history.append(Message("assistant", call_text(call.name, call.arguments)))
        yield ToolCalled(call.call_id, call.name, call.arguments, at_s=self.at())
        plan = self.e.filler.plan(function)
        began = self.e.clock.now()
        result: ToolResult | None = None
        async for item in run_with_filler(self.e.runner, call, plan, self.e.clock, self.start):
            if isinstance(item, Say):
                yield item
            else:
                result = item
        assert result is not None
        self.tool_s += self.e.clock.now() - began
        category = result.category.value if result.category else None
        yield ToolReturned(
            call.call_id,
            call.name,
            result.payload,
            result.ok,
            category,
            result.duration_ms,
            self.at(),
        )
        self.e.history.append(Message("tool", json.dumps(result.payload, ensure_ascii=False)))
        if is_confirmation_request(result):
            self.finished = True
            yield self.say(str(result.payload.get("question", "")), "confirm")
        elif not result.ok:
            self.finished = True
            yield self.say(spoken_error_for(result, can_transfer=self.e._can_transfer), "error")
        else:
            self.e.heard.append(json.dumps(result.payload, ensure_ascii=False))
            for action in result.actions:
                for event in self._act(action.kind, action.text, action.number):
                    yield event

    def _act(self, kind: str, text: str, number: str) -> list[Event]:
        """What a built-in's action does to the call."""
        if kind == "end_call":
            self.finished = self.e.ended = True
            return [self.say(text or "Goodbye!", "goodbye"), CallEnded("end_call", self.at())]
        if kind == "transfer_call":
            self.finished = self.e.ended = True
            return [
                self.say(TRANSFERRING, "goodbye"),
                CallAction(kind, text, number, self.at()),
                CallEnded("transfer_call", self.at()),
            ]
        return [CallAction(kind, text, number, self.at())]
