"""What every part of one turn shares: the conversation, the collaborators, the turn's timings.

A turn is built in layers, one file each: `TurnState` (this), `calling.Calling` (running a call),
`turn.Turn` (the decision loop); `pending` answers a confirmation question and
`frames.steps` fills the slot frame, both given the turn's state.
"""

from __future__ import annotations

from voicetools.dialogue.contract import Collaborators
from voicetools.dialogue.conversation import AskedFor, Conversation
from voicetools.dialogue.events import Say, SayKind, TurnStats
from voicetools.dialogue.filler import FillerPlan
from voicetools.dialogue.head_start import HeadStart

UNCLEAR = "Sorry, I didn't catch that. Could you say it again?"


class TurnState:
    """The state of one turn: timings, whether it must stop, and what it says."""

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

    def ask(self, name: str, names: tuple[str, ...], question: str) -> Say:
        """Ask for arguments of `name`, remembered so the caller's answer is weighed for it."""
        if names:
            self.conversation.asked_for(AskedFor(name, names, question))
        return self.say(question)

    def texts(self) -> list[str]:
        """What the caller said and heard: where an identifier may come from, besides the
        agent's variables (as in `checks.check_call`)."""
        return [*self.conversation.caller_turns, *self.conversation.heard]

    @property
    def caller_turn(self) -> int:
        """The number of this caller turn (1 for the first)."""
        return len(self.conversation.caller_turns)
