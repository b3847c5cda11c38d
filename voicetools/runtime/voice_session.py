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


def read_caller(path: str | Path) -> np.ndarray:
    """A caller recording as 16 kHz mono float32 (any rate or channel count in)."""
    from voicetools.audio.pcm import read_mono
    from voicetools.backends.speech import STT_RATE

    return read_mono(path, STT_RATE)
