"""One turn of the conversation: the decision loop, the pre-call checks, running a call.

What lives across turns is the `Conversation` (history, caller turns, what the caller has
heard) and the call's `Collaborators`; a `Turn` holds one turn's timings and whether it must
stop, and changes the conversation only through its methods.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

from voicetools.dialogue.checks.call import check_call
from voicetools.dialogue.checks.grounding import question_for
from voicetools.dialogue.checks.preview import doomed, likely_runs
from voicetools.dialogue.checks.reply import ReplyCheck
from voicetools.dialogue.contract import Collaborators
from voicetools.dialogue.conversation import CUT_MARK, AskedFor, Conversation
from voicetools.dialogue.decision.decider import Call, DecisionRecord, Intent, Item, Malformed
from voicetools.dialogue.decision.prompt import call_text
from voicetools.dialogue.events import (
    ActionTaken,
    CallEnded,
    Event,
    Say,
    SayKind,
    ToolCalled,
    ToolReturned,
    TurnStats,
)
from voicetools.dialogue.filler import FillerPlan
from voicetools.dialogue.head_start import HeadStart
from voicetools.dialogue.lines import spoken_error_for
from voicetools.dialogue.tool_step import run_with_filler
from voicetools.language import complete_sentences
from voicetools.tools import Answer, ToolCall, is_confirmation_request

DECLINED = "Okay, I won't do that. Is there anything else I can help with?"
REASK = "Sorry, I need a yes or no: {question}"
"""The pending question again, after an answer that was neither (a question, or unclear)."""
DROPPED = "OK, I won't {action} for now."
"""Said when the second answer in a row was neither yes nor no: nothing runs."""
TRANSFERRING = "Let me transfer you now."
UNCLEAR = "Sorry, I didn't catch that. Could you say it again?"
_CLAUSE_END = re.compile(r",\s+(?=\D)")
"""A comma, then a space, then a non-digit: not "4,521", nor the year in "May 8, 2026" (so a
buffer ending in ", " waits for the next piece)."""


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

    def __init__(
        self,
        conversation: Conversation,
        parts: Collaborators,
        start: float,
        head_start: HeadStart | None = None,
    ) -> None:
        self.conversation = conversation
        self.parts = parts
        self.start = start
        self.head_start = head_start
        """A precomputed first decision (`dialogue.head_start`), consumed by `_generate`."""
        self.first_piece_s: float | None = None
        self.llm_s = 0.0
        self.tool_s = 0.0
        self.decisions = 0
        self.finished = False
        """Set when the turn must end after the events already yielded."""
        self.early_plan: tuple[str, FillerPlan] | None = None
        """(function, plan) whose first filler line `_early_filler` already said."""

    def at(self) -> float:
        return self.parts.clock.now() - self.start

    def stats(self) -> TurnStats:
        return TurnStats(self.first_piece_s, self.llm_s, self.tool_s, self.decisions)

    def say(self, text: str, kind: SayKind = "agent") -> Say:
        self.conversation.agent_said(text)
        return Say(text, kind, at_s=self.at())

    async def run(self, text: str) -> AsyncGenerator[Event, None]:
        approved = self._answer_pending(text)
        if isinstance(approved, Say):
            yield approved
            return
        rounds = 0
        if isinstance(approved, ToolCall):
            async with aclosing(self._call(approved)) as events:
                async for event in events:
                    yield event
            rounds = 1
        while not self.finished:
            allow_calls = rounds < self.parts.options.max_tool_rounds
            call: Call | None = None
            asked: Say | None = None
            async with aclosing(self._generate(allow_calls)) as decision:
                async for item in decision:
                    if isinstance(item, Intent):
                        asked = self._ask_first(item.name)
                        if asked is not None:
                            break  # closing the decision stops the model mid-arguments
                        early = self._early_filler(item.name)
                        if early is not None:
                            yield early
                    elif isinstance(item, Say):
                        yield item
                    else:
                        call = item
            if asked is not None:
                yield asked
                return
            if call is None:
                return
            checked = self._check(call.name, call.arguments, text)
            if isinstance(checked, Say):
                yield checked
                return
            async with aclosing(self._call(checked)) as events:
                async for event in events:
                    yield event
            rounds += 1

    def _ask_first(self, name: str) -> Say | None:
        """The question for a required number nobody said, asked before the model writes one
        (`preview.doomed`); None when the arguments are worth waiting for."""
        function = self.parts.agent.function(name)
        if function is None:
            return None
        missing = doomed(function, self._texts(), self.parts.agent.variables)
        return self._ask(name, tuple(missing), question_for(function, missing)) if missing else None

    def _ask(self, name: str, names: tuple[str, ...], question: str) -> Say:
        """Ask for arguments of `name`, remembered so the caller's answer is weighed for it."""
        if names:
            self.conversation.asked_for(AskedFor(name, names, question))
        return self.say(question)

    def _early_filler(self, name: str) -> Say | None:
        """The tool's first filler line, said while the model writes the arguments, when the
        engine is set to (`EngineOptions.early_filler`) and the call will probably run."""
        function = self.parts.agent.function(name)
        if not self.parts.options.early_filler or function is None:
            return None
        texts, variables = self._texts(), self.parts.agent.variables
        if not likely_runs(function, self.conversation.caller_turns, texts, variables):
            return None
        plan = self.parts.filler.plan(function)
        text = plan.say_first()
        if text is None:
            return None
        self.early_plan = (name, plan)
        return Say(text, "filler", at_s=self.at())

    def _texts(self) -> list[str]:
        """What the caller said and heard: where an identifier may come from, besides the
        agent's variables (as in `checks.check_call`)."""
        return [*self.conversation.caller_turns, *self.conversation.heard]

    def _check(self, name: str, arguments: dict[str, Any], text: str) -> ToolCall | Say:
        """The call to run, with dates resolved in code; or what to say instead (checks.py)."""
        function = self.parts.agent.function(name)
        if function is None:  # only possible from a backend that ignores the grammar
            return self.say(UNCLEAR)
        checked = check_call(
            function,
            arguments,
            utterance=text,
            caller_turns=self.conversation.caller_turns,
            variables=self.parts.agent.variables,
            heard=self.conversation.heard,
            today=self.parts.today,
        )
        if not checked.runs:
            return self._ask(name, checked.asks_for, checked.say)
        return ToolCall(name, checked.arguments, call_id=self.conversation.next_call_id())

    def _answer_pending(self, text: str) -> ToolCall | Say | None:
        """The caller's answer to the pending question: the approved call to run (a yes), what
        to say instead (a no, a repeat of the question, or giving up on it), or None to go on
        to the model (nothing pending, or a change: the new request gets its own question)."""
        pending = self.conversation.pending
        if pending is None:
            return None
        answer = self.parts.runner.caller_said(text)
        if answer is Answer.CONFIRMED:
            return ToolCall(
                pending.function, dict(pending.arguments), self.conversation.next_call_id()
            )
        if answer is Answer.DENIED:
            return self.say(DECLINED)
        if answer is Answer.REPEATED:
            return self.say(REASK.format(question=pending.question), "confirm")
        if answer is Answer.DROPPED:
            return self.say(DROPPED.format(action=pending.action or "do that"))
        return None

    async def _generate(self, allow_calls: bool) -> AsyncGenerator[Say | Intent | Call, None]:
        """One decision: reply sentences as they complete, or the model's call at the end
        (after an `Intent` naming it, when the decider gives one early)."""
        parts = self.parts
        situation = parts.situation(self.conversation.history, allow_calls, self.conversation.asked)
        began = parts.clock.now()
        self.decisions += 1
        buffer = ""
        spoken: list[str] = []
        call: Call | None = None
        head, self.head_start = self.head_start, None
        check = ReplyCheck(parts.agent, self.conversation.history, UNCLEAR)
        decision: AsyncGenerator[Item, None]
        if head is not None and head.situation == situation:
            decision = head.replay()
        else:
            if head is not None:
                await head.wait_cancelled()
            head = None
            decision = parts.decider.decide(parts.llm, situation, parts.options.generation)
        try:
            async for item in decision:
                if isinstance(item, DecisionRecord):  # the benchmark's, not the caller's
                    continue
                if self.first_piece_s is None:
                    self.first_piece_s = parts.clock.now() - began
                if isinstance(item, Intent | Call):
                    # A call when calls are not allowed (a backend that ignores the grammar)
                    # is not run: the tool-round bound holds whatever the model writes.
                    if isinstance(item, Call):
                        call = item if situation.allow_calls else None
                    elif situation.allow_calls:
                        yield item
                    continue
                sentences, buffer = complete_sentences(buffer + item)
                clause_words = parts.options.first_clause_words
                if not spoken and not sentences and clause_words:
                    sentences, buffer = first_clause(buffer, clause_words)
                for sentence in check.sentences(sentences):  # said only when true, not parroted
                    spoken.append(sentence)
                    yield Say(sentence, "agent", at_s=self.at())
        except Malformed:
            buffer = ""  # nothing usable: `check.finish` says the result or the fallback
        finally:  # left early (the caller is asked first, or barge-in): stop the model now
            if head is not None and not head.done:
                head.cancel()
            await decision.aclose()
        self.llm_s += parts.clock.now() - began
        if call is not None:
            yield call
            return
        # A cut mark at the end is the model copying a barge-in from the history ("I —")
        tail = buffer.strip().removesuffix(CUT_MARK).rstrip()
        for sentence in check.finish(tail, said_before=bool(spoken)):
            spoken.append(sentence)
            yield Say(sentence, "agent", at_s=self.at())
        self.conversation.agent_said(" ".join(spoken))

    async def _call(self, call: ToolCall) -> AsyncGenerator[Event, None]:
        """Run one call with filler, then say what code decides about its result.

        Sets `finished` when the turn ends here (a question, an error, the end of the call);
        otherwise the model gets the result and decides again.
        """
        parts = self.parts
        function = parts.agent.function(call.name)
        assert function is not None
        yield ToolCalled(call.call_id, call.name, call.arguments, at_s=self.at())
        # Closed at that yield, nothing has happened. From here the call is in the history
        # and the tool runs; the two are never separated (see `finally` below).
        self.conversation.called(call_text(call.name, call.arguments))
        task = asyncio.ensure_future(parts.runner.run(call))
        early, self.early_plan = self.early_plan, None
        # the plan whose first line was said while the arguments were written, if any
        plan = early[1] if early and early[0] == call.name else parts.filler.plan(function)
        began = parts.clock.now()
        finished = False
        try:
            async for filler in run_with_filler(task, plan, parts.clock, self.start):
                yield filler
            finished = True
        finally:
            if not finished:
                # Closed while the tool runs (the caller spoke over the filler). The tool is
                # allowed to finish, since one with side effects must never be cut off
                # half-way, and its result goes into the history, so the model knows it ran
                # (the caller has not heard it: `heard` stays as it is).
                result = await asyncio.shield(task)
                self.conversation.tool_returned(json.dumps(result.payload, ensure_ascii=False))
        result = task.result()
        self.tool_s += parts.clock.now() - began
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
        self.conversation.tool_returned(json.dumps(result.payload, ensure_ascii=False))
        if is_confirmation_request(result):
            self.finished = True
            yield self.say(str(result.payload.get("question", "")), "confirm")
        elif not result.ok:
            self.finished = True
            can_transfer = any(f.builtin == "transfer_call" for f in parts.agent.functions)
            yield self.say(spoken_error_for(result, can_transfer=can_transfer), "error")
        else:
            self.conversation.result_heard(json.dumps(result.payload, ensure_ascii=False))
            for action in result.actions:
                for event in self._act(action.kind, action.text, action.number):
                    yield event

    def _act(self, kind: str, text: str, number: str) -> list[Event]:
        """What a built-in's action does to the call."""
        if kind == "end_call":
            self.finished = True
            self.conversation.end()
            return [self.say(text or "Goodbye!", "goodbye"), CallEnded("end_call", self.at())]
        if kind == "transfer_call":
            self.finished = True
            self.conversation.end()
            return [
                self.say(TRANSFERRING, "goodbye"),
                ActionTaken(kind, text, number, self.at()),
                CallEnded("transfer_call", self.at()),
            ]
        return [ActionTaken(kind, text, number, self.at())]
