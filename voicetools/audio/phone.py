"""The phone line: audio as a G.711 call carries it, 8 kHz and 300-3400 Hz.

`voicetools call --phone` runs the loop as a phone line would. The caller's audio goes down to
8 kHz with the windowed-sinc resampler in `pcm` (which removes everything above 4 kHz),
through a band-pass that keeps the telephone band, and back up to the loop's rate; the call is
written at 8 kHz through the same band. The band-pass is a linear-phase FIR: the difference of
two windowed-sinc low-passes (3400 Hz and 300 Hz), Kaiser window (beta 8, as the resampler),
255 taps at 8 kHz. That makes each edge about 160 Hz wide and the stopband about 80 dB down,
with no phase distortion and no filter state to carry between blocks (docs/decisions.md).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from voicetools.audio.pcm import resample, to_float32
from voicetools.audio.wav_in import PHONE_RATE

BAND_HZ = (300.0, 3400.0)
"""The telephone band (ITU-T G.712): what a narrowband call carries."""
_TAPS = 255


@cache
def band_kernel() -> np.ndarray:
    """The 8 kHz band-pass FIR: low-pass at 3400 Hz minus low-pass at 300 Hz, Kaiser-windowed."""
    n = np.arange(_TAPS) - (_TAPS - 1) / 2
    low, high = (hz / PHONE_RATE for hz in BAND_HZ)
    ideal = 2 * high * np.sinc(2 * high * n) - 2 * low * np.sinc(2 * low * n)
    return (ideal * np.kaiser(_TAPS, 8.0)).astype(np.float32)


def phone_line(pcm: np.ndarray, rate: int) -> np.ndarray:
    """`pcm` at `rate` as the line carries it: 8 kHz float32, 300-3400 Hz. Mono (1-D) or
    (frames, channels), each channel on its own line."""
    audio = to_float32(pcm)
    if audio.ndim == 2:
        sides = [phone_line(audio[:, i], rate) for i in range(audio.shape[1])]
        return np.stack(sides, axis=1) if sides else np.zeros((0, 0), np.float32)
    narrow = resample(audio, rate, PHONE_RATE)
    if len(narrow) == 0:
        return narrow
    return np.convolve(narrow, band_kernel(), mode="same").astype(np.float32)


def phone_band(pcm: np.ndarray, rate: int) -> np.ndarray:
    """Mono `pcm` through the phone line and back to `rate`, as long as it was."""
    audio = to_float32(pcm)
    back = resample(phone_line(audio, rate), PHONE_RATE, rate)
    out = np.zeros(len(audio), np.float32)
    out[: min(len(out), len(back))] = back[: len(out)]
    return out
