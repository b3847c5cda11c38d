"""Build a voice call (engine + Whisper + Piper + Silero) from command-line choices.

Kept apart from argument parsing so `voicetools call`, the latency benchmark
and the integration test build calls the same way. Loading order matters for the first turn:
every model is loaded, the system prompt evaluated (`warm`) and the known phrases synthesised
(`VoiceLoop.prepare`) before the call's clock starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voicetools.audio.vad import SpeechDetector
from voicetools.backends.speech import STT, TTS
from voicetools.dialogue import Engine
from voicetools.runtime.call_clock import Timeline
from voicetools.runtime.voice_latency import TurnLatency
from voicetools.runtime.voice_loop import VoiceLoop, VoiceOptions
from voicetools.runtime.voice_turn import Emit

if TYPE_CHECKING:
    import numpy as np


@dataclass
class SpeechStack:
    """The loaded speech models, reusable across calls (the benchmark runs many)."""

    stt: STT
    tts: TTS
    vad: SpeechDetector
    load_s: float


def load_speech(
    stt_model: str | None = None, voice: str | None = None, *, length_scale: float | None = None
) -> SpeechStack:
    """Whisper (`stt_model`), Piper (`voice`) and the Silero VAD; BackendError if missing."""
    from voicetools.backends.piper import PiperTTS
    from voicetools.backends.silero import SileroVAD
    from voicetools.backends.whisper import WhisperSTT

    began = time.perf_counter()
    stt = WhisperSTT(stt_model)
    tts = PiperTTS(voice, length_scale=length_scale)
    vad = SileroVAD()
    return SpeechStack(stt, tts, vad, time.perf_counter() - began)


def build_voice_loop(
    engine: Engine,
    speech: SpeechStack,
    *,
    clock: Timeline,
    options: VoiceOptions | None = None,
    emit: Emit | None = None,
    on_latency: Callable[[TurnLatency], None] | None = None,
) -> VoiceLoop:
    """A loop ready to run: known phrases synthesised, the VAD's state reset. The engine must
    run on `clock` and be built with `options.engine_options()`."""
    speech.vad.reset()
    loop = VoiceLoop(
        engine,
        speech.stt,
        speech.tts,
        speech.vad,
        clock=clock,
        options=options,
        emit=emit,
        on_latency=on_latency,
    )
    loop.prepare()
    return loop


@dataclass(frozen=True)
class CallerAudio:
    """A caller recording as the loop hears it."""

    audio: np.ndarray
    """16 kHz mono float32."""
    phone: bool
    """Heard through the phone line (`audio.phone`); the call is then written at 8 kHz."""
    phone_auto: bool
    """`phone` was chosen by the recording's format (8 kHz or G.711), not asked for."""
    source: str
    """The recording's format as a person says it (`8 kHz mu-law mono`)."""


def read_caller(
    path: str | Path, *, channel: str = "mix", phone: bool | None = False
) -> CallerAudio:
    """A caller recording (any WAV, any rate) at the loop's rate: `channel` of a stereo file,
    through the phone line if `phone`, or if `phone` is None and the file came from one."""
    from voicetools.audio.pcm import resample
    from voicetools.audio.phone import phone_line
    from voicetools.audio.wav_in import PHONE_RATE, pick_channel, read_recording
    from voicetools.backends.speech import STT_RATE

    recording = read_recording(path)
    on_phone = recording.phone if phone is None else phone
    mono, rate = pick_channel(recording.audio, channel), recording.rate
    if on_phone:  # down to 8 kHz, the band, then up: the line as the loop hears it
        mono, rate = phone_line(mono, rate), PHONE_RATE
    audio = resample(mono, rate, STT_RATE)
    return CallerAudio(audio, on_phone, phone is None and on_phone, recording.describe())
