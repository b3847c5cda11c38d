"""Ending a turn by its words, not only by its silence: the loop's side of `dialogue.turn_end`.

At the caller's pause (`speech_pause`, about 200 ms of quiet) the speculation transcribes the
audio so far and judges whether the words sound finished (`runtime.preempt`). Until it has,
the turn is held open up to `unfinished_ms`, so a verdict that comes late (a loaded machine)
still counts. Then, checked after every frame:

- finished: the turn ends now (`Endpointer.end_now`), with the very audio the speculation
  heard, so its transcript and decision are used;
- not finished: the hold stays, and the turn ends only after `unfinished_ms` of silence (or
  the usual silence, if that is longer);
- no opinion (nothing heard, a model that cannot score): the usual silence again.

The loop does not start this when the agent asked for digits, a phone number or a code: a
digit group sounds finished, and the longer digits wait stays (`runtime.listening`). A caller
who speaks on drops the hold and voids the verdict; the next pause is judged afresh.
"""

from __future__ import annotations

from voicetools.audio.vad import Endpointer, VadEvent
from voicetools.dialogue import TurnEnd
from voicetools.runtime.preempt import Speculation


class EarlyEnd:
    """The verdict awaited for the current pause, and what it did; see the module docstring."""

    def __init__(self, endpointer: Endpointer, *, unfinished_ms: float) -> None:
        self.endpointer = endpointer
        self.unfinished_ms = unfinished_ms
        self.waiting: Speculation | None = None
        """The speculation whose verdict is awaited."""
        self.applied: TurnEnd | None = None
        """The verdict acted on in the current turn (None: none yet)."""

    def pause(self, speculation: Speculation, usual_ms: float) -> None:
        """A pause is being judged: hold the turn open until the verdict is in (never for
        less than the `usual_ms` silence)."""
        self.waiting = speculation
        self.applied = None
        self.endpointer.hold(max(self.unfinished_ms, usual_ms))

    def resume(self) -> None:
        """The caller went on: that verdict is void (the endpointer drops the hold itself)."""
        self.waiting = None
        self.applied = None

    def take(self) -> TurnEnd | None:
        """The verdict that shaped the turn now ending; forget it."""
        applied, self.applied, self.waiting = self.applied, None, None
        return applied

    def poll(self) -> list[VadEvent]:
        """Act on a verdict that has come in: the `speech_end` it calls for, if any."""
        spec = self.waiting
        if spec is None:
            return []
        verdict = spec.turn_end
        if verdict is None:
            if spec.busy:
                return []
            verdict = TurnEnd(None, "no verdict")  # transcription failed: as without one
        self.waiting, self.applied = None, verdict
        if verdict.finished:
            return self.endpointer.end_now()
        if verdict.finished is None:
            self.endpointer.release()
        return []
