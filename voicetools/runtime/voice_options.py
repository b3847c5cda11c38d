"""How a voice call behaves (`VoiceOptions`), and the caller's audio as the loop reads it.

Kept apart from `runtime.voice_loop` so the loop module holds only the loop's own logic.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from voicetools.audio.vad import Endpointer, SpeechProbability
from voicetools.dialogue import EngineOptions, ExpectedAnswer
from voicetools.runtime.listening import Listening, listening_for
from voicetools.runtime.speaker import Delivery

STILL_THERE = "Are you still there?"
SILENCE_GOODBYE = "I haven't heard from you, so I'll end the call now. Thanks for calling, goodbye!"


@dataclass(frozen=True)
class VoiceOptions:
    """How the loop behaves; the defaults are the live product's."""

    fast: bool = False
    """Skip idle time instead of waiting for it (recordings only)."""
    delivery: Delivery | None = None
    """When a turn speaks the engine's lines (`runtime.speaker.Delivery`); None: each line as
    soon as the engine says it."""
    filler: bool = True
    min_silence_ms: float = 500.0
    """Silence that ends a caller turn."""
    digits_silence_ms: float | None = 1200.0
    """Silence that ends a caller turn when the agent just asked for digits, a phone number
    or a code, so the caller may pause between groups (`runtime.listening`); None: as any."""
    context_prompt: bool = True
    """Give the recognizer a prompt per turn: the agent's domain words and the form of the
    answer its question expects (`runtime.listening`)."""
    preempt_ms: float | None = 200.0
    """Silence after which STT and the first decision start on the audio so far, discarded if
    the caller goes on (`runtime.preempt`); None waits for `min_silence_ms`."""
    turn_end: bool = True
    """At the `preempt_ms` pause, judge whether the caller's words sound finished
    (`dialogue.turn_end`): end the turn there when they do, wait `unfinished_silence_ms` when
    they do not (`runtime.early_end`); never when digits are expected. False: silence only."""
    unfinished_silence_ms: float = 900.0
    """Silence that ends a turn whose words sound unfinished ("a table for ...")."""
    max_gap_s: float | None = 0.8
    """Once a tool is called, a short filler whenever the agent would be silent this long
    before the answer (`runtime.keep_alive`); None: only the filler plan's lines."""
    first_clause_words: int | None = 4
    """Speak a reply's first clause (a comma after this many words) as soon as it is written,
    instead of waiting for the end of its first sentence; None: whole sentences."""
    max_speech_s: float = 60.0
    """A caller turn longer than this is cut and answered."""
    silence_s: float = 10.0
    """Silence before "Are you still there?", and again before ending the call."""
    echo_cancel: bool = False
    """Take the agent's own voice out of the microphone (open speakers; `audio.echo`). Live
    calls only: a recording holds no echo."""
    hangup_at_end: bool = True
    """A recording that ends is a caller who hung up."""
    max_call_s: float = 1800.0

    def endpointer(self, vad: SpeechProbability) -> Endpointer:
        return Endpointer(
            vad,
            min_silence_ms=self.min_silence_ms,
            max_speech_s=self.max_speech_s,
            pause_ms=self.preempt_ms,
        )

    def listening(self, expected: ExpectedAnswer) -> Listening:
        """How to hear the turn that answers `expected`."""
        return listening_for(
            expected,
            min_silence_ms=self.min_silence_ms,
            digits_silence_ms=self.digits_silence_ms,
            prompt=self.context_prompt,
        )

    def engine_options(self, base: EngineOptions | None = None) -> EngineOptions:
        """`base` (the text chat's defaults) set up for speech; build the call's engine with it."""
        options = base or EngineOptions()
        if self.filler:
            # the first filler line at once, and `KeepAlive` instead of a timed second line
            # (`dialogue.filler` says why)
            options = replace(
                options, filler_delay_s=0.0, filler_second_after_s=None, early_filler=True
            )
        return replace(options, first_clause_words=self.first_clause_words)


class CallerInput:
    """(frame, live) pairs from a recording or a live source; `over` once a recording ended.

    A recording is followed by silence until the loop ends the call; `at_end` is called once
    the input has run out (the loop flushes the endpointer there).
    """

    def __init__(
        self, caller: np.ndarray | AsyncIterator[np.ndarray], size: int, at_end: Callable[[], None]
    ) -> None:
        self.caller, self.size, self.at_end = caller, size, at_end
        self.over = False
        """A recording has been read to its end (the caller hung up)."""

    async def frames(self) -> AsyncGenerator[tuple[np.ndarray, bool], None]:
        caller, size = self.caller, self.size
        if not isinstance(caller, np.ndarray):
            try:
                async for frame in caller:
                    yield frame, True
            finally:  # a live source (the microphone) is released when the call ends
                close = getattr(caller, "aclose", None)
                if close is not None:
                    await close()
            self.at_end()
            return
        blocks: Iterator[np.ndarray] = (caller[i : i + size] for i in range(0, len(caller), size))
        for block in blocks:
            yield block, False
        self.at_end()
        self.over = True
        silence = np.zeros(size, np.float32)
        while True:
            yield silence, False
