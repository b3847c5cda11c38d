"""`PiperTTS`: a Piper voice (ONNX, through piper-tts 1.8) speaking one sentence at a time.

The only module that imports `piper`, and only when an instance is created; a missing package
is a `BackendError` with the install command. The voice is a local `.onnx` file with its
`.onnx.json` beside it (`voicetools.backends.speech_models.resolve_voice`).

`PiperVoice.synthesize(text)` phonemizes the whole text and yields one `piper.AudioChunk` per
sentence it finds, but those chunks do not say which words they speak. `BaseTTS` therefore
splits sentences itself and hands this class one sentence at a time; piper may still cut a
sentence further, and the pieces are joined. Piper normalises every chunk to full scale by
default; `volume` scales it back so the agent is not louder than a phone line.

piper-tts is GPL-3.0-or-later (voicetools is MIT): it is an optional extra, never a dependency.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from voicetools.backends.speech import BaseTTS
from voicetools.backends.speech_models import resolve_voice
from voicetools.errors import BackendError

INSTALL_HINT = "pip install 'voicetools[tts]'"


def import_piper() -> Any:
    """The `piper` module, or a `BackendError` saying how to install it."""
    try:
        import piper
    except ImportError as exc:
        raise BackendError(
            f"piper-tts is not installed ({exc}); install it with: {INSTALL_HINT}"
        ) from None
    return piper


class PiperTTS(BaseTTS):
    """A Piper voice loaded in this process."""

    label = "piper"

    def __init__(
        self,
        voice: str | Path | None = None,
        *,
        length_scale: float | None = None,
        volume: float = 0.8,
    ) -> None:
        """`voice`: None (the default), a registry name, or an `.onnx` path.

        `length_scale` above 1 speaks slower (None: the voice's own pace).
        """
        super().__init__()
        piper = import_piper()
        self.path = resolve_voice(str(voice) if voice is not None else None)
        start = time.perf_counter()
        try:
            self.voice = piper.PiperVoice.load(self.path)
        except (RuntimeError, ValueError, OSError, KeyError) as exc:
            raise BackendError(f"cannot load Piper voice {self.path}: {exc}") from None
        self.load_s = time.perf_counter() - start
        """Seconds the voice took to load."""
        self.sample_rate = int(self.voice.config.sample_rate)
        self.config = piper.SynthesisConfig(length_scale=length_scale, volume=volume)

    def _synthesize_impl(self, sentence: str) -> np.ndarray:
        pieces = [c.audio_float_array for c in self.voice.synthesize(sentence, self.config)]
        if not pieces:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(pieces).astype(np.float32, copy=False)
