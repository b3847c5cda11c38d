"""The speech seams: `STT` turns an utterance into text, `TTS` turns a reply into audio chunks.

Like the LLM seam (`voicetools.backends.base`), each protocol is what the voice loop drives, and
each base class owns what every backend needs the same way: timing (seconds per call and the
real-time factor, the figure that says whether a CPU keeps up) and translating outside
exceptions into `BackendError`. An implementation writes one method: `_transcribe_impl` for a
recognizer, `_synthesize_impl` for a voice.

`BaseTTS` cleans the text for speech (`voicetools.audio.speakable`) and splits it into sentences
itself, then synthesises one sentence at a time: the first sentence can play while the next is
made, every chunk knows which words it speaks (so barge-in can mark the unheard rest as not
said), and a reply made only of emoji or markup yields no audio instead of an error.

Audio conventions: recognizers take float32 mono PCM at 16 kHz in [-1, 1] (int16 is
converted); voices yield mono PCM at their own `sample_rate`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from voicetools.errors import BackendError, VoicetoolsError

STT_RATE = 16_000
"""Whisper's (and Silero VAD's) sample rate."""


@dataclass(frozen=True)
class Transcript:
    """What a recognizer heard in one utterance."""

    text: str
    """The words, stripped; empty when nothing was said."""
    language: str
    """ISO code of the language (the forced one, or the detected one)."""
    duration_s: float
    """Length of the audio that was transcribed."""
    no_speech_prob: float | None = None
    """The model's probability that there was no speech (highest over segments), if known."""
    avg_logprob: float | None = None
    """Mean log-probability per token of the text (lowest over segments), if known: Whisper's
    confidence, which with `no_speech_prob` tells made-up words (`audio.hallucination`)."""


@dataclass(frozen=True)
class AudioChunk:
    """One sentence of synthesised speech."""

    pcm: np.ndarray
    """Mono samples, int16 or float32 in [-1, 1]."""
    sample_rate: int
    """Samples per second of `pcm`."""
    text: str
    """The sentence this audio speaks (after cleaning for speech)."""

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / self.sample_rate


@dataclass(frozen=True)
class SpeechStats:
    """Timing of one `transcribe` or `synthesize` call."""

    audio_s: float
    """Seconds of audio heard (STT) or produced (TTS)."""
    total_s: float
    """Wall-clock seconds the call took (for TTS: until the last chunk)."""
    first_chunk_s: float | None = None
    """TTS: seconds until the first chunk was ready; None for STT or when nothing was made."""
    chunks: int = 0
    """TTS: chunks (sentences) yielded."""
    finished: bool = True
    """False when the consumer stopped early (barge-in) or an error ended the call."""

    @property
    def rtf(self) -> float:
        """Real-time factor: compute seconds per second of audio (below 1 keeps up)."""
        return self.total_s / self.audio_s if self.audio_s > 0 else 0.0


@runtime_checkable
class STT(Protocol):
    """Anything that transcribes one utterance."""

    def transcribe(self, pcm: np.ndarray, *, prompt: str | None = None) -> Transcript:
        """The words in `pcm` (float32 mono, 16 kHz); `prompt` is text the caller is likely
        to say in this utterance ("Order number: 4 4 7 1 9."), which a recognizer may use
        to prefer those words and forms, or ignore."""
        ...


@runtime_checkable
class TTS(Protocol):
    """Anything that speaks text, sentence by sentence."""

    sample_rate: int

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        """Yield one chunk per sentence of `text`, as soon as each is ready."""
        ...


@contextmanager
def translated(label: str) -> Iterator[None]:
    """Our own errors pass; any other exception becomes a `BackendError` naming the backend."""
    try:
        yield
    except VoicetoolsError:
        raise
    except Exception as exc:
        raise BackendError(f"{label}: {type(exc).__name__}: {exc}") from exc


class _Timed:
    label = "speech"

    def __init__(self) -> None:
        self.last_stats: SpeechStats | None = None
        self.on_stats: Callable[[SpeechStats], None] | None = None
        """Called after each call, e.g. to feed the per-turn latency table."""

    def _record(self, stats: SpeechStats) -> None:
        self.last_stats = stats
        if self.on_stats is not None:
            self.on_stats(stats)


def as_float32(pcm: np.ndarray) -> np.ndarray:
    """Mono float32 in [-1, 1] from float or int16 samples; a clear error for anything else."""
    array = np.asarray(pcm)
    if array.ndim != 1:
        raise ValueError(f"expected mono (1-D) PCM, got shape {array.shape}")
    if array.dtype == np.int16:
        return array.astype(np.float32) / 32768.0
    if array.dtype.kind != "f":
        raise ValueError(f"expected float32 or int16 PCM, got {array.dtype}")
    return array.astype(np.float32, copy=False)


class BaseSTT(_Timed, ABC):
    """Input checks, timing and error translation around `_transcribe_impl`."""

    label = "stt"
    sample_rate = STT_RATE

    def transcribe(self, pcm: np.ndarray, *, prompt: str | None = None) -> Transcript:
        audio = as_float32(pcm)
        start = time.perf_counter()
        with translated(self.label):
            result = self._transcribe_impl(audio, prompt)
        self._record(SpeechStats(len(audio) / self.sample_rate, time.perf_counter() - start))
        return result

    @abstractmethod
    def _transcribe_impl(self, pcm: np.ndarray, prompt: str | None = None) -> Transcript:
        """Transcribe float32 mono 16 kHz samples, primed with `prompt` if the model can be."""


class BaseTTS(_Timed, ABC):
    """Cleaning, sentence splitting, timing and error translation around `_synthesize_impl`."""

    label = "tts"
    sample_rate = 22_050

    def synthesize(self, text: str, *, clean: bool = True) -> Iterator[AudioChunk]:
        """Chunks for each sentence of `text`; `clean=False` speaks the text exactly as given."""
        from voicetools.audio.speakable import speakable
        from voicetools.language import sentence_pieces

        parts = sentence_pieces(speakable(text) if clean else text)
        return self._timed(parts)

    def _timed(self, parts: list[str]) -> Iterator[AudioChunk]:
        start = time.perf_counter()
        first: float | None = None
        audio_s = 0.0
        count = 0
        finished = False
        try:
            for sentence in parts:
                with translated(self.label):
                    pcm = self._synthesize_impl(sentence)
                if len(pcm) == 0:
                    continue
                chunk = AudioChunk(pcm, self.sample_rate, sentence)
                if first is None:
                    first = time.perf_counter() - start
                count += 1
                audio_s += chunk.duration_s
                yield chunk
            finished = True
        finally:
            total = time.perf_counter() - start
            self._record(SpeechStats(audio_s, total, first, count, finished))

    @abstractmethod
    def _synthesize_impl(self, sentence: str) -> np.ndarray:
        """Mono PCM (int16 or float32) at `self.sample_rate` for one sentence."""
