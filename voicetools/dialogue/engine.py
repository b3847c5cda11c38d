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
REPL, the voice loop and `voicetools test` all drive the same object. What the call has said so
far is its `Conversation`; how it behaves (`EngineOptions`) and what it works with
(`Collaborators`) are fixed when it is built.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from datetime import date

from voicetools.backends.base import LLM
from voicetools.dialogue.clock import Clock, MonotonicClock
from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.contract import Collaborators, EngineOptions
from voicetools.dialogue.conversation import Conversation, ToolRunning
from voicetools.dialogue.decision.decider import Decider, Situation
from voicetools.dialogue.decision.generation import warm_locked
from voicetools.dialogue.decision.prompt import Message, system_message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.events import Event, Say, SayKind, UserTurn
from voicetools.dialogue.expected import ExpectedAnswer, domain_words, expected_answer
from voicetools.dialogue.filler import FillerPlanner
from voicetools.dialogue.head_start import HeadStart
from voicetools.dialogue.turn import DECLINED, DROPPED, REASK, TRANSFERRING, UNCLEAR, Turn
from voicetools.dialogue.turn_end import TurnEnd, judge
from voicetools.spec.model import Agent

__all__ = ["DECLINED", "DROPPED", "REASK", "TRANSFERRING", "UNCLEAR", "Engine", "EngineOptions"]


class Engine:
    """One conversation with one agent. Not thread-safe: one loop drives it."""

    def __init__(
        self,
        agent: Agent,
        llm: LLM,
        runner: ToolRunning,
        *,
        today: date,
        clock: Clock | None = None,
        options: EngineOptions | None = None,
        decider: Decider | None = None,
    ) -> None:
        options = options or EngineOptions()
        filler = FillerPlanner(
            delay_s=options.filler_delay_s,
            second_after_s=options.filler_second_after_s,
            default_phrases=agent.default_filler or None,
        )
        self.parts = Collaborators(
            agent=agent,
            llm=llm,
            decider=decider or RouteDecider(),
            runner=runner,
            clock=clock or MonotonicClock(),
            filler=filler,
            options=options,
            today=today,
            system=system_message(session_instructions(agent, today), agent.functions),
        )
        self.conversation = Conversation(runner)
        self._vocabulary = domain_words(agent)

    # what the runtime reads; none of it changes after construction
    @property
    def agent(self) -> Agent:
        return self.parts.agent

    @property
    def runner(self) -> ToolRunning:
        return self.parts.runner

    @property
    def clock(self) -> Clock:
        return self.parts.clock

    @property
    def filler(self) -> FillerPlanner:
        return self.parts.filler

    @property
    def options(self) -> EngineOptions:
        return self.parts.options

    @property
    def decider(self) -> Decider:
        return self.parts.decider

    @property
    def system(self) -> str:
        return self.parts.system

    @property
    def ended(self) -> bool:
        return self.conversation.ended

    @property
    def expected(self) -> ExpectedAnswer:
        """What the caller's next turn is expected to be, from the question the agent just
        asked (`dialogue.expected`); the voice loop listens for it."""
        return expected_answer(self.parts.agent, self.conversation, self._vocabulary)

    @property
    def prefix(self) -> str:
        """The prompt text every turn starts with; `warm()` evaluates it once.

        It includes the greeting, which opens every call, so the first turn pays only for the
        caller's words.
        """
        agent = self.parts.agent
        opening = [Message("assistant", agent.greeting)] if agent.greeting else []
        return self.parts.decider.prefix(self.parts.system, agent.functions, opening)

    def warm(self) -> None:
        """Evaluate the system prompt now (blocking) so the first turn pays only for itself."""
        warm_locked(self.parts.llm, self.prefix)

    def greet(self) -> list[Event]:
        greeting = self.parts.agent.greeting
        if not greeting:
            return []
        self.conversation.agent_said(greeting)
        return [Say(greeting, "greeting")]

    def say_unprompted(self, text: str, kind: SayKind = "agent") -> Say:
        """Something the agent says outside a caller's turn (the voice loop's "Are you still
        there?"): kept in the history like any reply, returned to be spoken."""
        self.conversation.agent_said(text)
        return Say(text, kind)

    def situation(self, history: Sequence[Message], allow_calls: bool) -> Situation:
        """What the decider is asked about, for `history` (ending with the caller or a tool)."""
        return self.parts.situation(history, allow_calls, self.conversation.asked)

    def speculate(self, text: str) -> HeadStart | None:
        """Start the first decision of a turn for `text` before the turn is confirmed.

        Pure: the history is copied, nothing is appended, no tool runs (`dialogue.head_start`).
        None when the turn would not start with a plain decision (the call has ended, or the
        caller is answering a confirmation question). Pass the result to `turn(text, ...)`,
        or `cancel()` it when the caller goes on speaking.
        """
        conversation, parts = self.conversation, self.parts
        if conversation.ended or conversation.pending is not None:
            return None
        situation = self.situation([*conversation.history, Message("user", text)], True)
        decision = parts.decider.decide(parts.llm, situation, parts.options.generation)
        return HeadStart(situation, decision)

    async def turn_end(self, text: str, *, model: bool = True) -> TurnEnd:
        """Whether `text`, heard at a pause, sounds like the caller's whole turn
        (`dialogue.turn_end`); reads only. `model` False: the rules alone."""
        parts, talk = self.parts, self.conversation
        prefix = parts.decider.prefix(parts.system, parts.agent.functions, talk.history)
        llm = parts.llm if model else None
        return await judge(llm, prefix, text, confirming=talk.pending is not None)

    async def turn(
        self, text: str, head_start: HeadStart | None = None
    ) -> AsyncGenerator[Event, None]:
        """Handle one caller utterance; yields `UserTurn` first and `TurnStats` last.

        `head_start` (from `speculate`) is used for the first decision if it was computed for
        exactly this situation, and cancelled otherwise.
        """
        turn = Turn(self.conversation, self.parts, self.parts.clock.now(), head_start)
        try:
            yield UserTurn(text)
            if self.conversation.ended:
                yield turn.stats()
                return
            self.conversation.caller_said(text)
            self.parts.runner.new_turn()
            # closed explicitly, so a barge-in's cleanup (a running tool finishing, its
            # result kept) happens now, not whenever the generator is collected
            try:
                async with aclosing(turn.run(text)) as events:
                    async for event in events:
                        yield event
            finally:
                self.conversation.end_caller_turn()
            yield turn.stats()
        finally:
            if turn.head_start is not None:  # not adopted: it must not keep the model busy
                turn.head_start.cancel()

    def barge_in(self, heard: str) -> None:
        """The caller spoke over the agent and heard only `heard` of what it was saying
        (`Conversation.cut_reply`).

        Call this after closing the turn's event stream: a generation still running is then
        discarded, and no tool runs from it (the engine only runs a call once the whole
        decision has been read).
        """
        self.conversation.cut_reply(heard)

    async def aclose(self) -> None:
        await self.parts.runner.aclose()
