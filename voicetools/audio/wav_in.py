"""Caller recordings in: every WAV a phone system writes, decoded by libsndfile (`soundfile`).

Call recordings are 8 kHz integer PCM, G.711 mu-law or A-law, sometimes stereo with the caller
on one channel and the agent on the other; test recordings are 16-48 kHz PCM or float. The
stdlib `wave` module reads integer PCM only and `audioop` (G.711) is gone in Python 3.13, so
decoding is libsndfile's, through `soundfile` (its wheel bundles the library; the `audio`
extra). It is imported only in here, and only when a recording is read, so `validate` stays fast.

The file is read through `files.read_bounded` (regular files only, at most `WAV_FILE_CAP`)
and decoded from memory, so the reader never opens a FIFO or a device. Anything libsndfile
cannot decode, or a container other than WAV, is an `UnreadableFile` naming the path on one
line. A data chunk cut short is read as far as it goes, as `wave` did: streamed recorders
leave the sizes unset.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voicetools.errors import BackendError, Location
from voicetools.files import WAV_FILE_CAP, UnreadableFile, read_bounded

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = "pip install 'voicetools[audio]'"
WAV_SAMPLE_CAP = WAV_FILE_CAP // 2
"""Decoded samples (all channels): as many as the largest 16-bit file, 512 MiB as float32. A
G.711 or GSM file packs more samples into each byte than the file cap assumes."""
CHANNELS = ("mix", "left", "right")
"""How a stereo recording becomes the caller's mono: averaged, or one side only."""
G711 = frozenset({"ULAW", "ALAW"})
PHONE_RATE = 8000
_CONTAINERS = frozenset({"WAV", "WAVEX", "RF64"})
_NAMES = {
    "ULAW": "mu-law",
    "ALAW": "A-law",
    "PCM_U8": "8-bit PCM",
    "PCM_S8": "8-bit PCM",
    "PCM_16": "16-bit PCM",
    "PCM_24": "24-bit PCM",
    "PCM_32": "32-bit PCM",
    "FLOAT": "32-bit float",
    "DOUBLE": "64-bit float",
}


@dataclass(frozen=True)
class Recording:
    """A decoded WAV file."""

    audio: np.ndarray
    """float32 in [-1, 1]: 1-D for mono, (frames, channels) otherwise."""
    rate: int
    """Samples per second, as recorded."""
    encoding: str
    """libsndfile's name for the sample format: PCM_16, ULAW, ALAW, FLOAT, ..."""

    @property
    def phone(self) -> bool:
        """Recorded from a phone line: 8 kHz, or G.711 at any rate."""
        return self.rate == PHONE_RATE or self.encoding in G711

    def describe(self) -> str:
        """`8 kHz mu-law stereo`: the format as a person says it."""
        khz = f"{self.rate / 1000:g} kHz"
        layout = "mono" if self.audio.ndim == 1 else f"{self.audio.shape[1]}-channel"
        layout = "stereo" if layout == "2-channel" else layout
        return f"{khz} {_NAMES.get(self.encoding, self.encoding)} {layout}"


def read_recording(path: str | Path) -> Recording:
    """The WAV file at `path`, decoded; `UnreadableFile` (one line, names the path) if it is not
    one, `BackendError` with the install hint if `soundfile` is missing."""
    raw = read_bounded(path, WAV_FILE_CAP, "a WAV recording")
    try:
        import soundfile
    except ImportError:
        raise BackendError(f"reading a WAV recording needs soundfile ({INSTALL_HINT})") from None
    try:
        with soundfile.SoundFile(io.BytesIO(raw)) as wav:
            if wav.format not in _CONTAINERS:
                raise _refuse(path, f"a {wav.format} file, not a WAV recording")
            if wav.frames * wav.channels > WAV_SAMPLE_CAP:
                raise _refuse(path, f"more than {WAV_SAMPLE_CAP} samples to decode")
            audio = wav.read(dtype="float32", always_2d=False)
            return Recording(audio, int(wav.samplerate), str(wav.subtype))
    except (soundfile.SoundFileError, RuntimeError) as exc:  # libsndfile's words, our path
        reason = str(exc).split(": ", 1)[-1].strip() or "undecodable"
        raise _refuse(path, f"not a WAV recording ({reason})") from None


def read_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """(float32 samples, sample rate): 1-D for mono, (frames, channels) otherwise.

    Any WAV libsndfile decodes: integer PCM of 8-32 bits, float, mu-law, A-law, ADPCM.
    """
    recording = read_recording(path)
    return recording.audio, recording.rate


def pick_channel(audio: np.ndarray, channel: str = "mix") -> np.ndarray:
    """Mono float32 from a (frames, channels) array: `channel` is one of `CHANNELS` ("left" is
    the first channel, "right" the second); 1-D input is returned as is, whatever `channel`."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if audio.ndim == 1:
        return audio
    if channel == "mix":
        return audio.mean(axis=1, dtype="float32")
    return audio[:, 0 if channel == "left" else 1].copy()


def _refuse(path: str | Path, reason: str) -> UnreadableFile:
    return UnreadableFile(f"cannot read file: {reason}", Location(str(path), 1, 1))
