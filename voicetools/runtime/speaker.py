"""The agent's mouth: `Say` events -> TTS chunks -> segments on the call's timeline.

Two things make the agent sound prompt. Phrases known in advance (the greeting, every filler of
the agent's functions, the default and "still working" pools, the silence prompts) are
synthesised once at start-up (`prepare`), so a filler plays the moment it is due instead of
after a TTS call. Everything else is synthesised sentence by sentence in a worker thread and
each chunk is placed as soon as it is ready, so the first sentence plays while the model is
still writing the next. A TTS failure (a phonemizer choking on odd text) loses that sentence,
never the call: it is logged and the caller hears the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from voicetools.backends.speech import TTS, AudioChunk
from voicetools.dialogue import DEFAULT_PHRASES, Clock, FillerPlanner, Say
from voicetools.errors import VoicetoolsError
from voicetools.runtime.agent_track import AgentTrack, Segment
from voicetools.spec.model import Agent

log = logging.getLogger(__name__)
_T = TypeVar("_T")
Blocking = Callable[[Callable[[], Any]], Awaitable[Any]]
"""Runs blocking work (STT, TTS) off the event loop: a worker thread, or inline in tests."""


async def in_thread(work: Callable[[], _T]) -> _T:
    return await asyncio.to_thread(work)


async def inline(work: Callable[[], _T]) -> _T:
    """Run `work` on the event loop itself: deterministic, for tests on a virtual clock."""
    return work()


def known_phrases(agent: Agent, planner: FillerPlanner, extra: Sequence[str] = ()) -> list[str]:
    """Every phrase the agent may say without the model: greeting, fillers, silence prompts."""
    phrases = [agent.greeting] if agent.greeting else []
    for function in agent.functions:
        phrases += planner.phrases_for(function)
        if function.builtin == "end_call":  # the engine's last words for it
            phrases.append(function.message or "Goodbye!")
    phrases += [*planner.default_phrases, *planner.still_phrases, *DEFAULT_PHRASES]
    phrases += [*planner.keep_alive_phrases, *extra]
    return list(dict.fromkeys(p for p in phrases if p.strip()))


@dataclass
class Spoken:
    """One `Say` and the segments that speak it (for the transcript and the latency)."""

    say: Say
    t: float
    """Timeline position of the event itself."""
    turn: int
    segments: list[Segment]
    first_chunk_s: float | None = None
    """Seconds from the event to its first chunk being ready (0 for a prepared phrase)."""


class Speaker:
    """Speaks `Say` events onto an `AgentTrack`, on the loop's clock."""

    def __init__(
        self, tts: TTS, track: AgentTrack, clock: Clock, *, blocking: Blocking = in_thread
    ) -> None:
        self.tts = tts
        self.track = track
        self.clock = clock
        self.blocking = blocking
        self.prepared: dict[str, list[AudioChunk]] = {}

    def prepare(self, phrases: Iterable[str]) -> None:
        """Synthesise `phrases` now (blocking, before the call) so they play without delay."""
        for phrase in phrases:
            if phrase not in self.prepared:
                try:
                    self.prepared[phrase] = list(self.tts.synthesize(phrase))
                except VoicetoolsError as exc:
                    log.warning("cannot prepare %r: %s", phrase, exc)

    async def speak(self, say: Say, turn: int, t: float) -> Spoken:
        """Synthesise and place `say`, sentence by sentence; returns what was placed."""
        spoken = Spoken(say, t, turn, [])
        chunks = self.prepared.get(say.text)
        if chunks is not None:
            spoken.first_chunk_s = 0.0
            for chunk in chunks:
                self.place(spoken, chunk)
            return spoken
        began = self.clock.now()
        pieces: Iterator[AudioChunk] = iter(())
        try:
            pieces = iter(self.tts.synthesize(say.text))
            while (chunk := await self.blocking(lambda: next(pieces, None))) is not None:
                if spoken.first_chunk_s is None:
                    spoken.first_chunk_s = self.clock.now() - began
                self.place(spoken, chunk)
        except VoicetoolsError as exc:
            log.warning("TTS failed on %r: %s", say.text, exc)
        return spoken

    def place(self, spoken: Spoken, chunk: AudioChunk) -> None:
        """Put `chunk` of `spoken` on the timeline now."""
        segment = self.track.place(
            chunk.pcm, chunk.sample_rate, self.clock.now(), chunk.text, spoken.say, spoken.turn
        )
        spoken.segments.append(segment)


class Delivery(Protocol):
    """When a voice turn speaks the engine's lines. The product speaks each line the moment
    the engine says it (no `Delivery`); a benchmark baseline holds them to the turn's end."""

    def holds(self, say: Say) -> bool:
        """Whether `say` waits for the end of the engine's turn instead of being spoken now."""
        ...

    async def speak_held(
        self, speaker: Speaker, says: Sequence[Say], turn: int, t: float
    ) -> list[Spoken]:
        """Speak the lines held back, once the engine's turn is over."""
        ...
