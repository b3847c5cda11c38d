"""PCM arithmetic in pure numpy: sample formats, resampling, WAV files, mixing, the call timeline.

Conventions: audio in memory is float32 in [-1, 1], mono unless a function says otherwise; int16
is for files and sound cards. WAV files are written with the stdlib `wave` module (16-bit PCM)
and read by `audio.wav_in` (any WAV, through libsndfile), whose `read_wav` is re-exported here.

Resampling is band-limited interpolation with a Kaiser-windowed sinc, not linear
interpolation: Piper speaks at 22.05 kHz and Whisper listens at 16 kHz, and a linear
downsampler folds the 8-11 kHz band back into the speech band as aliasing, while a sinc
low-passed at the lower Nyquist frequency does not. The kernel is tabulated once per phase
(polyphase), so it is cheap enough to run on every block (docs/decisions.md).
"""

from __future__ import annotations

import math
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from voicetools.audio.wav_in import pick_channel
from voicetools.audio.wav_in import read_wav as read_wav  # the reader's old home

_TAPS = 16
"""Half-width of the sinc kernel in input samples (at the output rate when downsampling)."""
_BLOCK = 8192


def to_float32(pcm: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] from int16 (or float, passed through)."""
    array = np.asarray(pcm)
    if array.dtype == np.int16:
        return array.astype(np.float32) / 32768.0
    return array.astype(np.float32, copy=False)


def to_int16(pcm: np.ndarray) -> np.ndarray:
    """int16 from float in [-1, 1], clipped (int16 passed through)."""
    array = np.asarray(pcm)
    if array.dtype == np.int16:
        return array
    return (np.clip(array, -1.0, 1.0) * 32767.0).round().astype(np.int16)


def to_mono(pcm: np.ndarray) -> np.ndarray:
    """Average the channels of a (frames, channels) array; 1-D input is returned as is."""
    array = to_float32(pcm)
    return array if array.ndim == 1 else array.mean(axis=1).astype(np.float32)


def stereo(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A (frames, 2) float32 array; the shorter side is padded with silence."""
    n = max(len(left), len(right))
    out = np.zeros((n, 2), dtype=np.float32)
    out[: len(left), 0] = to_float32(left)
    out[: len(right), 1] = to_float32(right)
    return out


def mix(*tracks: np.ndarray) -> np.ndarray:
    """Sum mono tracks (padded to the longest) and clip to [-1, 1]."""
    n = max((len(t) for t in tracks), default=0)
    out = np.zeros(n, dtype=np.float32)
    for track in tracks:
        out[: len(track)] += to_float32(track)
    return np.clip(out, -1.0, 1.0)


def resample(pcm: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Mono float32 `pcm` from `src_rate` to `dst_rate` (windowed-sinc; see the module doc)."""
    audio = to_float32(pcm)
    if src_rate <= 0 or dst_rate <= 0:
        raise ValueError("sample rates must be positive")
    if src_rate == dst_rate or len(audio) == 0:
        return audio.copy()
    g = math.gcd(src_rate, dst_rate)
    up, down = dst_rate // g, src_rate // g  # output n sits at input position n * down / up
    cutoff = min(1.0, up / down)  # low-pass at the lower Nyquist frequency
    width = int(np.ceil(_TAPS / cutoff))
    offsets = np.arange(-width + 1, width + 1)
    table = _kernel(np.arange(up)[:, None] / up - offsets, width, cutoff) if up <= 1024 else None
    padded = np.concatenate([np.zeros(width, np.float32), audio, np.zeros(width + 1, np.float32)])
    n_out = len(audio) * up // down
    out = np.empty(n_out, dtype=np.float32)
    for start in range(0, n_out, _BLOCK):
        position = np.arange(start, min(start + _BLOCK, n_out), dtype=np.int64) * down
        phase = position % up
        if table is not None:
            kernel = table[phase]
        else:  # an unusual ratio: evaluate the kernel per sample instead of per phase
            kernel = _kernel((phase / up)[:, None] - offsets, width, cutoff)
        taps = padded[(position // up)[:, None] + offsets + width]
        out[start : start + len(phase)] = np.einsum("ij,ij->i", taps, kernel)
    return out


def _kernel(x: np.ndarray, width: int, cutoff: float) -> np.ndarray:
    """Low-pass sinc times a Kaiser window (beta 8), at distances `x` in input samples."""
    inside = np.clip(1.0 - (x / width) ** 2, 0.0, None)
    window = np.i0(8.0 * np.sqrt(inside)) / np.i0(8.0)
    return (cutoff * np.sinc(cutoff * x) * window).astype(np.float32)


def frames(pcm: np.ndarray, size: int) -> Iterator[np.ndarray]:
    """Consecutive blocks of `size` samples (the last one may be shorter): a stream from a file."""
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]


def read_mono(path: str | Path, rate: int, channel: str = "mix") -> np.ndarray:
    """A WAV file as mono float32 at `rate`: `channel` of a stereo file ("mix", "left" or
    "right"; `wav_in.pick_channel`), resampled as needed."""
    data, src = read_wav(path)
    return resample(pick_channel(data, channel), src, rate)


def write_wav(path: str | Path, pcm: np.ndarray, sample_rate: int) -> None:
    """16-bit PCM WAV from float or int16 samples, mono (1-D) or (frames, channels)."""
    data = to_int16(pcm)
    channels = 1 if data.ndim == 1 else data.shape[1]
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(data.astype("<i2").tobytes())


class Timeline:
    """A growing mono track where audio is placed at given times: the agent's side of a call.

    Overlapping placements are summed (a filler cut short by the answer, say); `end` is where
    the last placed audio ends, so the caller and agent tracks can be padded to one length.
    """

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._buffer = np.zeros(0, dtype=np.float32)
        self.end_s = 0.0
        """Where the last sample of placed audio ends."""

    def place(self, pcm: np.ndarray, at_s: float, *, until_s: float | None = None) -> float:
        """Add `pcm` starting at `at_s` (cut at `until_s`: barge-in); returns where it ends."""
        if at_s < 0:
            raise ValueError("at_s must not be negative")
        audio = to_float32(pcm)
        start = int(round(at_s * self.sample_rate))
        if until_s is not None:
            audio = audio[: max(0, int(round(until_s * self.sample_rate)) - start)]
        stop = start + len(audio)
        if stop > len(self._buffer):
            grown = np.zeros(max(stop, 2 * len(self._buffer)), dtype=np.float32)
            grown[: len(self._buffer)] = self._buffer
            self._buffer = grown
        self._buffer[start:stop] += audio
        end_s = stop / self.sample_rate
        self.end_s = max(self.end_s, end_s)
        return end_s

    def audio(self, length_s: float | None = None) -> np.ndarray:
        """The track, clipped to [-1, 1], `length_s` long (default: to `end_s`), silence-padded."""
        n = int(round((self.end_s if length_s is None else length_s) * self.sample_rate))
        out = np.zeros(n, dtype=np.float32)
        have = min(n, len(self._buffer))
        out[:have] = self._buffer[:have]
        return np.clip(out, -1.0, 1.0)
