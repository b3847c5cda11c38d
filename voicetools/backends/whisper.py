"""`WhisperSTT`: faster-whisper (CTranslate2) on the CPU, the default offline recognizer.

The only module that imports `faster_whisper`, and only when an instance is created; a missing
package is a `BackendError` with the install command. The model is always a local directory
(`voicetools.backends.speech_models.resolve_stt_model`): names like "base" would ask the model
hub, which is unreachable offline.

Settings are chosen for one short utterance at a time, where latency matters most: int8
weights, greedy decoding (beam 1: MODELS.md measured beam 5 much slower for no gain on short
turns), one temperature (no fallback re-decoding, so the time per turn is predictable), no
conditioning on previous text, no timestamps, and no VAD filter, because endpointing already
happened in `voicetools.audio.vad` and running Silero twice would only add time.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from voicetools.backends.speech import BaseSTT, Transcript
from voicetools.backends.speech_models import resolve_stt_model
from voicetools.errors import BackendError

INSTALL_HINT = "pip install 'voicetools[stt]'"


def import_faster_whisper() -> Any:
    """The `faster_whisper` module, or a `BackendError` saying how to install it."""
    try:
        import faster_whisper
    except ImportError as exc:
        raise BackendError(
            f"faster-whisper is not installed ({exc}); install it with: {INSTALL_HINT}"
        ) from None
    return faster_whisper


class WhisperSTT(BaseSTT):
    """A CTranslate2 Whisper model loaded in this process."""

    label = "whisper"

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        language: str | None = "en",
        beam_size: int = 1,
        cpu_threads: int = 2,
        compute_type: str = "int8",
        prompt: str | None = None,
    ) -> None:
        """`model`: None (the default), a registry name, or a model directory.

        `language` None detects it per utterance (slower; multilingual models only). `prompt`
        primes the decoder with domain words ("order number, refund, Acme").

        Whisper pads every clip to its 30 s window, so a one-word turn costs about as much as
        a four-second one (~1.0 s for base on 2 busy cores). A shorter `chunk_length` saved
        nothing measurable in a trial on that machine, so it is not offered.
        """
        super().__init__()
        faster_whisper = import_faster_whisper()
        self.path = resolve_stt_model(str(model) if model is not None else None)
        start = time.perf_counter()
        try:
            self.model = faster_whisper.WhisperModel(
                str(self.path),
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise BackendError(f"cannot load Whisper model {self.path}: {exc}") from None
        self.load_s = time.perf_counter() - start
        """Seconds the model took to load."""
        self.language = language
        self.beam_size = beam_size
        self.prompt = prompt

    def _transcribe_impl(self, pcm: np.ndarray) -> Transcript:
        duration = len(pcm) / self.sample_rate
        if duration < 0.1:  # nothing to hear; Whisper would make something up
            return Transcript("", self.language or "en", duration, 1.0)
        segments, info = self.model.transcribe(
            pcm,
            language=self.language,
            beam_size=self.beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,
            initial_prompt=self.prompt,
        )
        parts = list(segments)  # the generator does the decoding
        text = " ".join(s.text.strip() for s in parts).strip()
        no_speech = max((s.no_speech_prob for s in parts), default=None)
        return Transcript(text, info.language, duration, no_speech)
