"""`ReplyCheck`: each sentence of a model's reply, checked before the caller hears it.

A small model readily says "Your appointment is booked for 4 pm tomorrow" without calling
anything, or says the caller's words back as its own. The reply streams sentence by sentence to
the voice, so each sentence is checked as it completes, in order:

- a claim of an action no successful call supports (`claims`, `actions`) is replaced by what is
  really the case ("I haven't booked anything yet.", once a reply) and dropped after that;
- a sentence that repeats the caller's last line or the greeting (`parroting`) is dropped;
- data (`is_data`: the model copying a tool's JSON result) is dropped; the turn stops a reply
  that opens with it, since nothing after it is meant for the caller either.

When nothing of the model's own is left, or an action ran this turn and no kept sentence says
it was done ("Thank you for your request."), the caller hears the last result of this turn in
words (`result_line`); with nothing left and no call, the turn's fallback line (a caller who
only thanked the agent hears `WELCOME`, not a request to say it again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from voicetools.dialogue.checks.actions import (
    executed_calls,
    executed_this_turn,
    is_lookup,
    supports,
)
from voicetools.dialogue.checks.claims import claims_in
from voicetools.dialogue.checks.parroting import parrots
from voicetools.dialogue.checks.verbs import DONE
from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.result_line import result_line
from voicetools.language import acknowledges
from voicetools.spec.model import Agent, Function

NOT_DONE = "I haven't {word} anything yet."
WELCOME = "You're welcome. Is there anything else I can help with?"
"""The fallback after a line that only thanks or acknowledges ("Great, thanks.")."""
NOTHING_DONE = "Nothing has been done yet."
"""For a claim that names no action ("You're all set.")."""


def is_data(text: str) -> bool:
    """Whether `text` opens as JSON (`{"ticket_id": "T-1002", ...}`), which no caller should
    hear read out."""
    return text.lstrip().startswith(("{", "["))


class ReplyCheck:
    """The checks for one reply, made from the conversation as it stood when the reply began."""

    def __init__(self, agent: Agent, history: Sequence[Message], fallback: str) -> None:
        self.agent = agent
        self.executed = executed_calls(history)
        self.this_turn = executed_this_turn(history)
        caller = next((m.content for m in reversed(history) if m.role == "user"), "")
        self.fallback = WELCOME if acknowledges(caller) else fallback
        """Said when nothing is left and no call ran this turn."""
        self.repeats_of = [text for text in (caller, agent.greeting) if text]
        self.corrected = False
        """Whether the reply already said what is really the case."""
        self.kept = 0
        """How many of the model's own sentences passed."""
        self.claimed = False
        """Whether a kept sentence says, truly, that something was done."""

    def sentences(self, sentences: Iterable[str]) -> list[str]:
        """What to say for these reply sentences, in order (some replaced, some dropped)."""
        return [line for sentence in sentences for line in self._one(sentence)]

    def finish(self, tail: str, said_before: bool) -> list[str]:
        """What to say for the reply's unfinished end `tail`; when nothing of the model's own
        was kept, or an action ran and no kept sentence says so, the result in words; else the
        fallback when nothing at all is said (`said_before`: lines already said)."""
        lines = self.sentences([tail] if tail else [])
        done = self._action_done()
        if self.kept and (done is None or self.claimed):
            return lines
        if self.this_turn:
            last = self.this_turn[-1]
            function = self.agent.function(last.name)
            if function is not None:
                return [*lines, result_line(function, last.payload)]
        return lines if lines or said_before else [self.fallback]

    def _action_done(self) -> Function | None:
        """The action (not a lookup, not a builtin) this turn's last successful call ran: the
        caller must hear that it was done, not only "Thank you for your request"."""
        if not self.this_turn:
            return None
        function = self.agent.function(self.this_turn[-1].name)
        if function is None or function.builtin is not None or is_lookup(function):
            return None
        return function

    def _one(self, sentence: str) -> list[str]:
        unsupported = [
            claim for claim in claims_in(sentence) if not supports(claim, self.executed, self.agent)
        ]
        if unsupported:
            if self.corrected:
                return []
            self.corrected = True
            claim = unsupported[0]
            return [NOTHING_DONE if claim.family == DONE else NOT_DONE.format(word=claim.word)]
        if is_data(sentence) or parrots(sentence, self.repeats_of):
            return []
        self.kept += 1
        self.claimed = self.claimed or bool(claims_in(sentence))
        return [sentence]
