"""The conversation engine: one caller utterance in, a stream of events out.

    caller text -> [pending confirmation answered? a yes runs it; a no, a question or an
                   unclear answer is handled in code; a change goes on] -> model decision
                   (a `Decider`: by default route.py scores "reply" against each function,
                   then fills the arguments)
       reply -> Say events, sentence by sentence
       call  -> dates resolved in code -> grounded? else ask -> run with filler -> result
             -> confirmation question / spoken error / end of call / back to the model

What the model may decide and what code decides is split on purpose (docs/decisions.md): the model
picks between replying and calling and fills arguments under a grammar; code resolves dates,
refuses identifiers the caller never said, asks confirmations, speaks errors and ends the call.
The engine does no I/O of its own besides the LLM and the tool runner it is given, so the text
REPL, the voice loop and `voicetools test` all drive the same object.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import date

from voicetools.backends.base import LLM
from voicetools.dialogue.checks.preview import answers
from voicetools.dialogue.clock import Clock, MonotonicClock
from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.decision.decider import Decider, Situation
from voicetools.dialogue.decision.generation import GenerationOptions, warm_locked
from voicetools.dialogue.decision.prompt import Message, render, system_message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.events import Event, Say, UserTurn
from voicetools.dialogue.filler import FillerPlanner
from voicetools.dialogue.head_start import HeadStart
from voicetools.dialogue.tool_step import Runs
from voicetools.dialogue.turn import (
    CUT_MARK,
    DECLINED,
    DROPPED,
    REASK,
    TRANSFERRING,
    UNCLEAR,
    AskedFor,
    Turn,
)
from voicetools.spec.model import Agent

__all__ = ["DECLINED", "DROPPED", "REASK", "TRANSFERRING", "UNCLEAR", "Engine"]


class Engine:
    """One conversation with one agent. Not thread-safe: one loop drives it."""

    def __init__(
        self,
        agent: Agent,
        llm: LLM,
        runner: Runs,
        *,
        today: date,
        clock: Clock | None = None,
        filler: FillerPlanner | None = None,
        max_tool_rounds: int = 3,
        options: GenerationOptions | None = None,
        decider: Decider | None = None,
    ) -> None:
        self.agent = agent
        self.llm = llm
        self.runner = runner
        self.today = today
        self.clock = clock or MonotonicClock()
        self.filler = filler or FillerPlanner(default_phrases=agent.default_filler or None)
        self.max_tool_rounds = max_tool_rounds
        self.options = options or GenerationOptions()
        self.system = system_message(session_instructions(agent, today), agent.functions)
        self.history: list[Message] = []
        self.caller_turns: list[str] = []
        self.heard: list[str] = []
        """Tool results the caller has heard about; identifiers in them count as grounded."""
        self.ended = False
        self.decider: Decider = decider or RouteDecider()
        self.first_clause_words: int | None = None
        """Say a reply's first clause (a comma after this many words) before its sentence
        ends; a voice call sets it to start speaking sooner, the text chat keeps sentences."""
        self.asked: AskedFor | None = None
        """The last question the checks asked for a call's missing arguments."""
        self.early_filler = False
        """Say a tool's first filler line as soon as the model names the function, while it
        writes the arguments (`dialogue.preview`); a voice call sets it, the text chat waits
        for the tool to start."""
        self._calls = 0
        self._can_transfer = any(f.builtin == "transfer_call" for f in agent.functions)

    @property
    def prefix(self) -> str:
        """The prompt text every turn starts with; `warm()` evaluates it once.

        It includes the greeting, which opens every call, so the first turn pays only for the
        caller's words.
        """
        opening = [Message("assistant", self.agent.greeting)] if self.agent.greeting else []
        own = getattr(self.decider, "prefix", None)  # a decider that extends the system message
        if own is not None:
            return str(own(self.system, self.agent.functions, opening))
        return render([Message("system", self.system), *opening], generation_prompt=False)

    def warm(self) -> None:
        """Evaluate the system prompt now (blocking) so the first turn pays only for itself."""
        warm_locked(self.llm, self.prefix)

    def greet(self) -> list[Event]:
        if not self.agent.greeting:
            return []
        self.history.append(Message("assistant", self.agent.greeting))
        return [Say(self.agent.greeting, "greeting")]

    def situation(self, history: list[Message], allow_calls: bool) -> Situation:
        """What the decider is asked about, for `history` (ending with the caller or a tool)."""
        return Situation(
            self.system,
            tuple(history),
            self.agent.functions,
            allow_calls and bool(self.agent.functions),
            self._answering(history),
        )

    def _answering(self, history: list[Message]) -> str | None:
        """The function whose arguments the agent's last words asked for, when the caller's
        reply right after them holds the values (`preview.answers`)."""
        asked = self.asked
        if asked is None or len(history) < 2:
            return None
        question, reply = history[-2], history[-1]
        if question.role != "assistant" or question.content != asked.question:
            return None
        function = self.agent.function(asked.function)
        if reply.role != "user" or function is None:
            return None
        return asked.function if answers(function, asked.names, reply.content) else None

    def speculate(self, text: str) -> HeadStart | None:
        """Start the first decision of a turn for `text` before the turn is confirmed.

        Pure: the history is copied, nothing is appended, no tool runs (`dialogue.head_start`).
        None when the turn would not start with a plain decision (the call has ended, or the
        caller is answering a confirmation question). Pass the result to `turn(text, ...)`,
        or `cancel()` it when the caller goes on speaking.
        """
        if self.ended or getattr(self.runner, "pending", None) is not None:
            return None
        situation = self.situation([*self.history, Message("user", text)], True)
        return HeadStart(situation, self.decider.decide(self.llm, situation, self.options))

    async def turn(self, text: str, head_start: HeadStart | None = None) -> AsyncIterator[Event]:
        """Handle one caller utterance; yields `UserTurn` first and `TurnStats` last.

        `head_start` (from `speculate`) is used for the first decision if it was computed for
        exactly this situation, and cancelled otherwise.
        """
        turn = Turn(self, self.clock.now(), head_start)
        try:
            yield UserTurn(text)
            if self.ended:
                yield turn.stats()
                return
            self.caller_turns.append(text)
            self.history.append(Message("user", text))
            new_turn = getattr(self.runner, "new_turn", None)
            if new_turn is not None:
                new_turn()
            # closed explicitly, so a barge-in's cleanup (a running tool finishing, its
            # result kept) happens now, not whenever the generator is collected
            async with aclosing(turn.run(text)) as events:
                async for event in events:
                    yield event
            yield turn.stats()
        finally:
            if turn.head_start is not None:  # not adopted: it must not keep the model busy
                turn.head_start.cancel()

    def barge_in(self, heard: str) -> None:
        """The caller spoke over the agent and heard only `heard` of what it was saying.

        The history keeps only what was heard, cut off with a dash ("We open at eight. —"), so
        the model does not believe the caller was told the rest; a reply nobody heard is
        removed. A bracketed note ("[interrupted by the caller]") was tried first: the 0.5B
        model copied it into its next reply, and the voice read it out. Call this after closing
        the turn's event stream: a generation still running is then discarded, and no tool
        runs from it (the engine only runs a call once the whole decision has been read).
        """
        heard = heard.strip()
        cut = f"{heard} {CUT_MARK}"
        last = self.history[-1] if self.history else None
        if last is not None and last.role == "assistant" and not last.content.startswith("<"):
            if heard:
                self.history[-1] = Message("assistant", cut)
            else:
                self.history.pop()
        elif heard:
            self.history.append(Message("assistant", cut))

    async def aclose(self) -> None:
        close = getattr(self.runner, "aclose", None)
        if close is not None:
            await close()

    def next_call_id(self) -> str:
        self._calls += 1
        return f"call_{self._calls}"
