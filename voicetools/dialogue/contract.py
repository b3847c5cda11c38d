"""What an `Engine` is given: its options and its collaborators, fixed at construction.

A text chat and a voice call differ only in their options
(`runtime.voice_options` makes the voice call's), so nothing outside the engine changes it
later. A `Turn` gets the same `Collaborators` and the `Conversation`, not the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from voicetools.backends.base import LLM
from voicetools.dialogue.checks.preview import answers
from voicetools.dialogue.clock import Clock
from voicetools.dialogue.conversation import AskedFor, ToolRunning
from voicetools.dialogue.decision.decider import Decider, Situation
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.filler import FillerPlanner
from voicetools.language import asks_about
from voicetools.spec.model import Agent


@dataclass(frozen=True)
class EngineOptions:
    """How the engine behaves; the defaults are the text chat's."""

    generation: GenerationOptions = field(default_factory=GenerationOptions)
    max_tool_rounds: int = 3
    """Calls one caller turn may make before the model must reply."""
    first_clause_words: int | None = None
    """Say a reply's first clause (a comma after this many words) before its sentence ends;
    a voice call sets it to start speaking sooner, the text chat keeps sentences."""
    early_filler: bool = False
    """Say a tool's first filler line as soon as the model names the function, while it writes
    the arguments (`dialogue.checks.preview`); a voice call sets it, the text chat waits for the
    tool to start."""
    filler_delay_s: float = 0.4
    """When a tool's first filler line is due (`FillerPlanner.delay_s`)."""
    filler_second_after_s: float | None = 3.0
    """When the "still working" line is due; None: no timed second line (a voice call keeps
    the line alive its own way, `runtime.keep_alive`)."""


@dataclass(frozen=True)
class Collaborators:
    """What every turn of one call works with; none of it changes during the call."""

    agent: Agent
    llm: LLM
    decider: Decider
    runner: ToolRunning
    clock: Clock
    filler: FillerPlanner
    options: EngineOptions
    today: date
    system: str
    """The session's system message (instructions + tools section)."""

    def situation(
        self, history: Sequence[Message], allow_calls: bool, asked: AskedFor | None
    ) -> Situation:
        """What the decider is asked about, for `history` (ending with the caller or a tool);
        `asked` is the conversation's last question for a call's arguments."""
        return Situation(
            self.system,
            tuple(history),
            self.agent.functions,
            allow_calls and bool(self.agent.functions),
            self._answering(history, asked),
        )

    def _answering(self, history: Sequence[Message], asked: AskedFor | None) -> str | None:
        """The function whose arguments the agent's last words asked for, when the caller's
        reply right after them holds the values (`preview.answers`) and asks about nothing
        else: "is my car with plate GH 600 ready?" holds a plate but wants a lookup."""
        if asked is None or len(history) < 2:
            return None
        question, reply = history[-2], history[-1]
        if question.role != "assistant" or question.content != asked.question:
            return None
        function = self.agent.function(asked.function)
        if reply.role != "user" or function is None or asks_about(reply.content):
            return None
        return asked.function if answers(function, asked.names, reply.content) else None
