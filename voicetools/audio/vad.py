"""End-of-speech detection: `Endpointer.push(samples) -> [VadEvent]`, one frame at a time.

The voice loop must know when the caller has *finished* a turn, quickly (every millisecond of
waiting is dead air) but not in every pause between words. This module is that state machine;
the speech probability of each frame comes from a callable (`SileroVAD` in production, any
function in tests), so the logic is tested on synthetic frames without a model.

Rules, after Silero's own `get_speech_timestamps` but streaming:
- a frame is speech when its probability is >= `speech_threshold`, silence when it is below
  `speech_threshold - 0.15` (hysteresis: frames in between continue the current state);
- `speech_start` fires once `min_speech_ms` of speech has accumulated (a cough or a click is
  not a turn, and barge-in should not fire on one), dated at the first speech frame;
- `speech_end` fires after `min_silence_ms` of continuous silence (500 ms by default: long
  enough for a breath between phrases, short enough to answer promptly), or when the turn
  reaches `max_speech_s`; it carries the utterance's samples with `pad_ms` of audio kept on
  either side, because Whisper mis-hears words whose onset was clipped;
- with `pause_ms` set, `speech_pause` fires once that much silence has passed inside a turn
  (the turn is probably over: work may start on its audio, which it carries), and
  `speech_resume` if the silence is then broken before `speech_end`, so that work is void.
  `pause_ms` is at least `pad_ms`, so a pause's audio is exactly what the `speech_end` that
  may follow will carry (the same frames: the trailing pad is silence already heard);
- after a `speech_pause` the loop may end the turn at once (`end_now`: the caller's words were
  finished) or `hold` it open for a longer silence (they were not), for this turn only.
Times are seconds of audio pushed since the start (or `reset`), i.e. the call's timeline when
audio arrives in real time; `at_s - end_s` of a `speech_end` is the endpointing delay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

SpeechProbability = Callable[[np.ndarray], float]
"""Speech probability (0..1) of one frame of `frame_samples` float32 samples."""


class SpeechDetector(Protocol):
    """A speech probability with state across frames (Silero), reset before each call."""

    def __call__(self, frame: np.ndarray) -> float: ...

    def reset(self) -> None: ...


class Stateless:
    """A `SpeechDetector` from a stateless `SpeechProbability` (nothing to reset)."""

    def __init__(self, probability: SpeechProbability) -> None:
        self._probability = probability

    def __call__(self, frame: np.ndarray) -> float:
        return self._probability(frame)

    def reset(self) -> None:
        return None


@dataclass(frozen=True)
class VadEvent:
    """The caller started or stopped speaking."""

    kind: Literal["speech_start", "speech_end", "speech_pause", "speech_resume"]
    at_s: float
    """When the endpointer decided: seconds of audio pushed so far."""
    start_s: float
    """Where the speech started (its first speech frame)."""
    end_s: float | None = None
    """speech_end, speech_pause: where the speech stopped (the first frame of the silence)."""
    pcm: np.ndarray | None = field(default=None, repr=False, compare=False)
    """speech_end, speech_pause: the utterance, float32 mono, `start_s - pad` to `end_s + pad`."""
    forced: bool = False
    """speech_end: cut at `max_speech_s` (or by `flush`) rather than ended by silence."""


class Endpointer:
    """Turns a stream of audio blocks of any size into speech_start / speech_end events."""

    def __init__(
        self,
        probability: SpeechProbability,
        *,
        sample_rate: int = 16_000,
        frame_samples: int = 512,
        speech_threshold: float = 0.5,
        min_silence_ms: float = 500.0,
        min_speech_ms: float = 100.0,
        pad_ms: float = 200.0,
        max_speech_s: float = 60.0,
        pause_ms: float | None = None,
    ) -> None:
        if not 0.0 < speech_threshold <= 1.0:
            raise ValueError("speech_threshold must be in (0, 1]")
        self.probability = probability
        self.sample_rate = sample_rate
        self.frame_samples = frame_samples
        self.speech_threshold = speech_threshold
        self.silence_threshold = max(0.0, speech_threshold - 0.15)
        self.min_silence_frames = self._frames(min_silence_ms / 1000)
        self.min_speech_frames = self._frames(min_speech_ms / 1000)
        self.pad_frames = self._frames(pad_ms / 1000) if pad_ms > 0 else 0
        self.max_speech_frames = self._frames(max_speech_s)
        self.pause_frames: int | None = None
        if pause_ms is not None:
            self.pause_frames = max(self._frames(pause_ms / 1000), self.pad_frames, 1)
        self._turn_silence_frames: int | None = None  # `hold`: this turn's own silence
        self.reset()

    def set_min_silence(self, min_silence_ms: float) -> None:
        """The silence that ends a turn from the next frame on: the loop lengthens it while
        the caller reads out digits (`runtime.listening`)."""
        self.min_silence_frames = self._frames(min_silence_ms / 1000)

    def hold(self, silence_ms: float) -> None:
        """The silence that ends the current turn, until it ends or the caller goes on."""
        self._turn_silence_frames = self._frames(silence_ms / 1000)

    def release(self) -> None:
        """Back to `min_silence_ms` for the current turn (an end already due comes next frame)."""
        self._turn_silence_frames = None

    @property
    def paused(self) -> bool:
        """A `speech_pause` fired and the caller has not gone on."""
        return self._paused

    def end_now(self) -> list[VadEvent]:
        """End a paused turn here: its `speech_end`, with the very audio of the pause."""
        if not (self._speaking and self._paused):
            return []
        return [self._end(self._frames_seen - self._silence_run, forced=False)]

    def _frames(self, seconds: float) -> int:
        return max(1, round(seconds * self.sample_rate / self.frame_samples))

    def reset(self) -> None:
        """Start over at time zero (a reset of the probability model is the caller's job)."""
        self._pending = np.zeros(0, dtype=np.float32)
        self._frames_seen = 0
        self._history: list[np.ndarray] = []  # frames kept: the pad before speech, then the turn
        self._speaking = False
        self._speech_run = 0  # consecutive speech frames before a start
        self._silence_run = 0  # consecutive silent frames inside a turn
        self._start_frame = 0
        self._paused = False  # a speech_pause fired and no speech_resume since
        self._turn_silence_frames = None
        self.last_probability = 0.0

    @property
    def speaking(self) -> bool:
        """Inside a turn (after speech_start, before speech_end)."""
        return self._speaking

    def push(self, samples: np.ndarray) -> list[VadEvent]:
        """Feed float32 mono samples (any length); the events they complete, in order."""
        audio = np.asarray(samples, dtype=np.float32).reshape(-1)
        self._pending = np.concatenate([self._pending, audio])
        events: list[VadEvent] = []
        size = self.frame_samples
        while len(self._pending) >= size:
            frame, self._pending = self._pending[:size], self._pending[size:]
            event = self._step(frame)
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[VadEvent]:
        """End of the stream: close an open turn (forced) so no speech is lost."""
        if not self._speaking:
            return []
        return [self._end(self._frames_seen - self._silence_run, forced=True)]

    def _seconds(self, frame_index: int) -> float:
        return frame_index * self.frame_samples / self.sample_rate

    def _step(self, frame: np.ndarray) -> VadEvent | None:
        prob = float(self.probability(frame))
        self.last_probability = prob
        index = self._frames_seen
        self._frames_seen += 1
        self._history.append(frame)
        is_speech = prob >= self.speech_threshold
        is_silence = prob < self.silence_threshold
        if not self._speaking:
            self._speech_run = self._speech_run + 1 if is_speech else 0
            keep = self.pad_frames + self._speech_run
            if len(self._history) > keep:
                del self._history[: len(self._history) - keep]
            if self._speech_run >= self.min_speech_frames:
                self._speaking = True
                self._silence_run = 0
                self._start_frame = index - self._speech_run + 1
                start = self._seconds(self._start_frame)
                return VadEvent("speech_start", self._seconds(self._frames_seen), start)
            return None
        self._silence_run = self._silence_run + 1 if is_silence else 0
        if self._silence_run == 0:
            self._turn_silence_frames = None  # a hold was for that pause only
        if self._paused and self._silence_run == 0:
            self._paused = False
            return VadEvent("speech_resume", self._seconds(self._frames_seen), self._start_s)
        if self._silence_run >= (self._turn_silence_frames or self.min_silence_frames):
            return self._end(self._frames_seen - self._silence_run, forced=False)
        if self._frames_seen - self._start_frame >= self.max_speech_frames:
            return self._end(self._frames_seen - self._silence_run, forced=True)
        if self._silence_run == self.pause_frames:
            self._paused = True
            end = self._seconds(self._frames_seen - self._silence_run)
            at = self._seconds(self._frames_seen)
            return VadEvent("speech_pause", at, self._start_s, end, self._utterance_pcm())
        return None

    @property
    def _start_s(self) -> float:
        return self._seconds(self._start_frame)

    def _utterance_pcm(self) -> np.ndarray:
        """The turn so far, keeping `pad` frames of its trailing silence."""
        tail = max(0, self._silence_run - self.pad_frames)
        kept = self._history[: len(self._history) - tail] if tail else self._history
        return np.concatenate(kept) if kept else np.zeros(0, dtype=np.float32)

    def _end(self, end_frame: int, *, forced: bool) -> VadEvent:
        """Close the turn whose speech stopped at `end_frame`; keep `pad` frames after it."""
        event = VadEvent(
            "speech_end",
            self._seconds(self._frames_seen),
            self._start_s,
            self._seconds(end_frame),
            self._utterance_pcm(),
            forced,
        )
        self._speaking = False
        self._paused = False
        self._turn_silence_frames = None
        self._speech_run = 0
        self._silence_run = 0
        # the closing silence may be the next turn's lead-in; a forced cut has none to give
        keep = 0 if forced else min(self.pad_frames, len(self._history))
        self._history = self._history[len(self._history) - keep :]
        return event


def energy_probability(threshold_dbfs: float = -40.0) -> SpeechProbability:
    """A model-free stand-in: 1.0 when a frame's RMS level is above `threshold_dbfs`, else 0.0.

    For tests and as a fallback without the VAD model; it cannot tell speech from noise.
    """
    level = 10 ** (threshold_dbfs / 20)

    def probability(frame: np.ndarray) -> float:
        rms = float(np.sqrt(np.mean(np.square(frame, dtype=np.float64)))) if len(frame) else 0.0
        return 1.0 if rms >= level else 0.0

    return probability
