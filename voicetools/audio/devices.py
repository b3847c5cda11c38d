"""Microphones and speakers through sounddevice: the only module that touches the sound card.

Everything that can go wrong here is common and not a bug: sounddevice not installed, the
PortAudio library missing (sounddevice is a thin wrapper that loads it at import), a server or
CI machine with no sound card at all, a device index that no longer exists, a device busy in
another program. Each becomes a one-line `BackendError` that says what to do, so
`voicetools devices` and `voicetools call --mic` never show a traceback. Where there is no
device, the answer is the WAV mode (`--input caller.wav --output call.wav`).

Streams are float32 mono. `open_input` calls back with each block (from PortAudio's thread:
the callback should only enqueue); `open_output` returns a stream to `write` to, whose `abort`
stops playback at once (barge-in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from voicetools.errors import BackendError

INSTALL_HINT = "pip install 'voicetools[audio]'"
PORTAUDIO_HINT = "apt-get install libportaudio2 (Debian/Ubuntu) or brew install portaudio (macOS)"
NO_DEVICE = (
    "no sound device found (PortAudio sees no microphone or speaker on this machine); "
    "use --input caller.wav --output call.wav instead"
)
Direction = Literal["input", "output"]


@dataclass(frozen=True)
class Device:
    """One sound device as PortAudio reports it."""

    index: int
    """What `--device` takes (a part of the name works too)."""
    name: str
    hostapi: str
    """ALSA, PulseAudio, Core Audio, WASAPI..."""
    inputs: int
    """Input channels (0: not a microphone)."""
    outputs: int
    """Output channels (0: not a speaker)."""
    default_rate: float
    default_input: bool = False
    default_output: bool = False


def sounddevice() -> Any:
    """The `sounddevice` module, or a `BackendError` saying what to install."""
    try:
        import sounddevice
    except ImportError:
        hint = f"sounddevice is not installed; install it with: {INSTALL_HINT}"
        raise BackendError(hint) from None
    except OSError:  # sounddevice raises OSError when it cannot load the PortAudio library
        raise BackendError(f"the PortAudio library is not installed: {PORTAUDIO_HINT}") from None
    return sounddevice


def list_devices() -> list[Device]:
    """Every device PortAudio knows, microphones and speakers (may be empty)."""
    sd = sounddevice()
    try:
        found = list(sd.query_devices())
        hostapis = [h["name"] for h in sd.query_hostapis()]
        default_in, default_out = _defaults(sd)
    except sd.PortAudioError as exc:
        raise BackendError(f"cannot list sound devices: {exc}") from None
    return [
        Device(
            index=int(d["index"]),
            name=str(d["name"]),
            hostapi=hostapis[d["hostapi"]] if 0 <= d["hostapi"] < len(hostapis) else "?",
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_rate=float(d["default_samplerate"]),
            default_input=d["index"] == default_in,
            default_output=d["index"] == default_out,
        )
        for d in found
    ]


def _defaults(sd: Any) -> tuple[int, int]:
    pair = sd.default.device
    return int(pair[0]), int(pair[1])


def pick_device(spec: str | int | None, direction: Direction) -> int | None:
    """The index for `--device` (an index or part of a name; None: the system default).

    Raises `BackendError` when there is no device for `direction`, or `spec` matches none.
    """
    devices = list_devices()
    usable = [d for d in devices if (d.inputs if direction == "input" else d.outputs)]
    if not usable:
        raise BackendError(NO_DEVICE if not devices else f"no {direction} device found")
    if spec is None or spec == "":
        return None
    text = str(spec).strip()
    if text.isdigit():
        if any(d.index == int(text) for d in usable):
            return int(text)
        raise BackendError(f"no {direction} device with index {text} (see `voicetools devices`)")
    matches = [d for d in usable if text.lower() in d.name.lower()]
    if len(matches) != 1:
        what = "no" if not matches else f"{len(matches)}"
        raise BackendError(f"{what} {direction} devices match {text!r} (see `voicetools devices`)")
    return matches[0].index


def open_input(
    on_audio: Callable[[np.ndarray], None],
    *,
    sample_rate: int = 16_000,
    block: int = 512,
    device: str | int | None = None,
) -> Any:
    """An unstarted mono float32 input stream calling `on_audio(samples)` per block.

    Use it as a context manager (`with open_input(q.put): ...`) to start and close it.
    """
    sd = sounddevice()
    index = pick_device(device, "input")

    def callback(indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        on_audio(indata[:, 0].copy())

    return _open(
        sd,
        "input",
        lambda: sd.InputStream(
            samplerate=sample_rate,
            blocksize=block,
            device=index,
            channels=1,
            dtype="float32",
            callback=callback,
        ),
    )


def open_output(*, sample_rate: int, device: str | int | None = None) -> Any:
    """An unstarted mono float32 output stream: `start()`, `write(pcm)`, `abort()` to cut off."""
    sd = sounddevice()
    index = pick_device(device, "output")
    return _open(
        sd,
        "output",
        lambda: sd.OutputStream(
            samplerate=sample_rate,
            device=index,
            channels=1,
            dtype="float32",
        ),
    )


def _open(sd: Any, direction: Direction, make: Callable[[], Any]) -> Any:
    try:
        return make()
    except (sd.PortAudioError, ValueError) as exc:
        raise BackendError(f"cannot open the {direction} device: {exc}") from None
