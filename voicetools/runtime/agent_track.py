"""The agent's side of a call: audio segments placed on the call's timeline, cut by barge-in.

Why segments and not a mixed buffer (`audio.pcm.Timeline`): a barge-in must *remove* what the
caller never heard, the transcript must say when each sentence really started and stopped, and
dead air is a question about gaps between segments. So each placed chunk stays a `Segment`
(start, samples at the voice's own rate, the words it speaks) until the call is rendered to a
WAV at the end, when each one is resampled once. Placement never overlaps: a chunk ready while
another still plays is queued behind it, as a speaker would play it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicetools.audio.pcm import Timeline, resample, to_float32
from voicetools.dialogue import Say


@dataclass
class Segment:
    """One chunk of agent speech on the call's timeline."""

    start_s: float
    pcm: np.ndarray
    sample_rate: int
    text: str
    """The words this chunk speaks (after cleaning for speech)."""
    say: Say
    """The event it speaks (kind: agent, filler, greeting...)."""
    turn: int
    """Which caller turn it answers (0: before the first one)."""
    cut_s: float | None = None
    """Where barge-in stopped it; None when it played (or will play) to the end."""

    @property
    def full_end_s(self) -> float:
        return self.start_s + len(self.pcm) / self.sample_rate

    @property
    def end_s(self) -> float:
        """Where it stops sounding (the cut, if any)."""
        return self.full_end_s if self.cut_s is None else max(self.start_s, self.cut_s)

    @property
    def heard(self) -> bool:
        return self.end_s > self.start_s

    def heard_text(self) -> str:
        """The words heard: all of them, or the share of words played before the cut."""
        if self.cut_s is None:
            return self.text
        played = (self.end_s - self.start_s) / max(1e-9, self.full_end_s - self.start_s)
        words = self.text.split()
        return " ".join(words[: int(len(words) * played)])


class AgentTrack:
    """Where agent audio sits on the call's timeline; see the module docstring."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.written_s = 0.0
        """How far live playback has already written to the speaker (0.0 for a recording):
        audio placed later starts no earlier, so none of it is skipped and its start time is
        when it really sounded."""

    @property
    def playhead_s(self) -> float:
        """Where the last audio placed stops sounding (0.0 before any; cut audio is gone)."""
        return max((s.end_s for s in self.segments if s.heard), default=0.0)

    def place(
        self, pcm: np.ndarray, sample_rate: int, ready_s: float, text: str, say: Say, turn: int
    ) -> Segment:
        """Queue `pcm`, ready at `ready_s`, to play as soon as the speaker is free."""
        start_s = max(ready_s, self.playhead_s, self.written_s)
        segment = Segment(start_s, to_float32(pcm), sample_rate, text, say, turn)
        self.segments.append(segment)
        return segment

    def sounding(self, at_s: float) -> bool:
        """Whether agent audio is playing at `at_s`, or queued to play after it."""
        return self.playhead_s > at_s

    def cut(self, at_s: float) -> list[Segment]:
        """Stop everything at `at_s` (barge-in); returns the segments that lost audio."""
        touched = []
        for segment in self.segments:
            if segment.end_s > at_s:
                segment.cut_s = at_s
                touched.append(segment)
        return touched

    def longest_gap(self, start_s: float, end_s: float, turn: int | None = None) -> float:
        """The longest stretch of [start_s, end_s] with no agent audio (of `turn`, if given)."""
        if end_s <= start_s:
            return 0.0
        spans = sorted(
            (s.start_s, s.end_s)
            for s in self.segments
            if s.heard and (turn is None or s.turn == turn)
        )
        longest, at = 0.0, start_s
        for begin, finish in spans:
            if finish <= at:
                continue
            if begin >= end_s:
                break
            longest = max(longest, begin - at)
            at = max(at, finish)
        return max(longest, end_s - at)

    def window(self, start_s: float, samples: int, sample_rate: int) -> np.ndarray:
        """`samples` of heard agent audio from `start_s` (live playback, block by block)."""
        out = np.zeros(samples, dtype=np.float32)
        stop_s = start_s + samples / sample_rate
        for segment in self.segments:
            if segment.end_s <= start_s or segment.start_s >= stop_s:
                continue
            pcm = segment.pcm
            if segment.sample_rate != sample_rate:
                pcm = resample(pcm, segment.sample_rate, sample_rate)
            pcm = pcm[: round((segment.end_s - segment.start_s) * sample_rate)]
            offset = round((segment.start_s - start_s) * sample_rate)
            begin, end = max(0, offset), min(samples, offset + len(pcm))
            if end > begin:
                out[begin:end] += pcm[begin - offset : end - offset]
        return np.clip(out, -1.0, 1.0)

    def render(self, sample_rate: int, length_s: float | None = None) -> np.ndarray:
        """The agent's side as mono float32 at `sample_rate`, heard audio only."""
        timeline = Timeline(sample_rate)
        for segment in self.segments:
            if not segment.heard:
                continue
            keep = round((segment.end_s - segment.start_s) * segment.sample_rate)
            pcm = resample(segment.pcm[:keep], segment.sample_rate, sample_rate)
            timeline.place(pcm, segment.start_s)
        return timeline.audio(length_s)
