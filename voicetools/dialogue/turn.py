"""One turn of the conversation: the decision loop.

What lives across turns is the `Conversation` (history, caller turns, what the caller has
heard, the slot frame) and the call's `Collaborators`; a `Turn` holds one turn's timings and
whether it must stop, and changes the conversation only through its methods. Its parts: the
shared state (`turn_state`), the answer to a pending confirmation (`pending`), the slot frame
(`frames.steps`), running a call (`calling`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import replace
from typing import Any

from voicetools.dialogue.calling import TRANSFERRING, Calling
from voicetools.dialogue.checks.preview import likely_runs
from voicetools.dialogue.checks.reply import ReplyCheck, is_data
from voicetools.dialogue.conversation import CUT_MARK
from voicetools.dialogue.decision.decider import (
    Call,
    DecisionRecord,
    Intent,
    Item,
    Malformed,
    Situation,
)
from voicetools.dialogue.events import Event, Say
from voicetools.dialogue.frames.steps import WriteArguments, ask_first, before_model, frame_call
from voicetools.dialogue.pending import DECLINED, DROPPED, REASK, answer_pending
from voicetools.dialogue.turn_state import UNCLEAR
from voicetools.language import complete_sentences
from voicetools.tools import ToolCall

__all__ = ["DECLINED", "DROPPED", "REASK", "TRANSFERRING", "UNCLEAR", "Turn", "first_clause"]

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


class Turn(Calling):
    """One turn's decision loop (module docstring)."""

    chosen: str | None = None
    """A function code chose for the first decision (`frames.steps.WriteArguments`)."""

    async def run(self, text: str) -> AsyncGenerator[Event, None]:
        first: ToolCall | Say | WriteArguments | None = answer_pending(self, text)
        if first is None:
            first = before_model(self, text)
        if isinstance(first, Say):
            yield first
            return
        rounds = 0
        if isinstance(first, WriteArguments):
            self.chosen = first.name
        elif isinstance(first, ToolCall):
            async with aclosing(self._call(first)) as events:
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
        """The question for a required number nobody said (`frames.steps.ask_first`)."""
        function = self.parts.agent.function(name)
        return None if function is None else ask_first(self, function)

    def _early_filler(self, name: str) -> Say | None:
        """The tool's first filler line, said while the model writes the arguments, when the
        engine is set to (`EngineOptions.early_filler`) and the call will probably run."""
        function = self.parts.agent.function(name)
        if not self.parts.options.early_filler or function is None:
            return None
        texts, variables = self.texts(), self.parts.agent.variables
        if not likely_runs(function, self.conversation.caller_turns, texts, variables):
            return None
        plan = self.parts.filler.plan(function)
        text = plan.say_first()
        if text is None:
            return None
        self.early_plan = (name, plan)
        return Say(text, "filler", at_s=self.at())

    def _check(self, name: str, arguments: dict[str, Any], text: str) -> ToolCall | Say:
        """The call to run, its frame filled and checked; or what to say instead
        (`frames.steps.frame_call`)."""
        function = self.parts.agent.function(name)
        if function is None:  # only possible from a backend that ignores the grammar
            return self.say(UNCLEAR)
        return frame_call(self, function, arguments, text)

    def _situation(self, allow_calls: bool) -> Situation:
        """What the decider is asked, with the function code chose, for the first decision."""
        conversation = self.conversation
        situation = self.parts.situation(conversation.history, allow_calls, conversation.asked)
        chosen, self.chosen = self.chosen, None
        if not chosen or not allow_calls:
            return situation
        frame = conversation.frame
        needed = () if frame is None else tuple(n for n in frame.asked if n in frame.missing())
        return replace(situation, chosen=chosen, needed=needed)

    async def _generate(self, allow_calls: bool) -> AsyncGenerator[Say | Intent | Call, None]:
        """One decision: reply sentences as they complete, or the model's call at the end
        (after an `Intent` naming it, when the decider gives one early)."""
        parts = self.parts
        situation = self._situation(allow_calls)
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
                if not spoken and is_data(buffer + item):
                    buffer = ""  # a copied result: `check.finish` says it in words instead
                    break
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
