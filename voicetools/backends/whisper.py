"""`WhisperSTT`: faster-whisper (CTranslate2) on the CPU, the default offline recognizer.

The only module that imports `faster_whisper`, and only when an instance is created; a missing
package is a `BackendError` with the install command. The model is always a local directory
(`voicetools.backends.speech_models.resolve_stt_model`): names like "base" would ask the model
hub, which is unreachable offline.

Settings are chosen for one short utterance at a time, where latency matters most: int8 weights,
greedy decoding (beam 5 was much slower for no gain on short turns), one temperature (no
temperature fallback, so the time per turn is predictable; it did not stop loops either), no
conditioning on previous text, no timestamps, and no VAD filter, because endpointing already
happened in `voicetools.audio.vad` and running Silero twice would only add time.

A short window (`window_s`, 10 s): Whisper pads every clip to 30 s, so the encoder costs the
same however short the turn; a caller turn that fits is padded only to `window_s` and decoded
directly (`_short`), about four times faster with no loss of accuracy (docs/decisions.md).
Longer turns take the usual 30 s path.

A short window makes Whisper loop more ("Yes Yes Yes ..."), so a short decode whose text loops
(one thing three times in a row) or holds more words than the audio could
(`audio.hallucination`) is decoded once more on the 30 s path, the input Whisper was trained
on. That costs one more decode on such a turn only; in the measurement it gave the right words
every time, where beam 5 and temperature sampling did not, and a repetition penalty (which
also did) garbles numbers at 1.2 (docs/decisions.md). What still fails is dropped by the
voice turn.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from voicetools.audio.hallucination import judge, repetition, words_of
from voicetools.backends.speech import BaseSTT, Transcript
from voicetools.backends.speech_models import resolve_stt_model
from voicetools.errors import BackendError

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'voicetools[stt]'"
REDECODE = frozenset({"repetition", "word_rate"})
"""Verdicts on a short decode that the 30 s path may put right (near-silence it cannot)."""
REDECODE_REPEATS = 3
"""A short decode saying one thing this many times in a row is decoded again too: the short
window's loops start so ("Yes. Yes. Yes. Yes."), and another decode costs time, never words."""


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
        window_s: float | None = 10.0,
    ) -> None:
        """`model`: None (the default), a registry name, or a model directory.

        `language` None detects it per utterance (slower; multilingual models only). `prompt`
        primes the decoder with domain words ("order number, refund, Acme") on every
        utterance, before the prompt given with one (`transcribe(pcm, prompt=...)`). `window_s`: the
        shortest encoder window (module docstring); None always uses the full 30 s.
        (faster-whisper's own `chunk_length` does not help: it pads the features to 30 s.)
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
        self.window_s = window_s
        self._tokenizer: Any = None
        self._suppressed: list[int] | None = None

    def _transcribe_impl(self, pcm: np.ndarray, prompt: str | None = None) -> Transcript:
        duration = len(pcm) / self.sample_rate
        if duration < 0.1:  # nothing to hear; Whisper would make something up
            return Transcript("", self.language or "en", duration, 1.0)
        primer = " ".join(p for p in (self.prompt, prompt) if p) or None
        window = self._window(duration)
        if window is not None:
            heard = self._short(pcm, window, duration, primer)
            loop = self._loops(heard.text, pcm)
            if loop is None:
                return heard
            log.debug("short window: %s; decoding again on 30 s", loop)
        return self._full(pcm, duration, primer)

    def _loops(self, text: str, pcm: np.ndarray) -> str | None:
        """Why a short decode's `text` looks like a loop, or None."""
        verdict = judge(text, pcm, self.sample_rate)
        if verdict.check in REDECODE:
            return verdict.reason
        unit = repetition(words_of(text), REDECODE_REPEATS, REDECODE_REPEATS)
        return None if unit is None else f"{unit} in a row"

    def _full(self, pcm: np.ndarray, duration: float, primer: str | None = None) -> Transcript:
        """faster-whisper's own path: the audio padded to 30 s, decoded segment by segment."""
        segments, info = self.model.transcribe(
            pcm,
            language=self.language,
            beam_size=self.beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,
            initial_prompt=primer,
        )
        parts = list(segments)  # the generator does the decoding
        text = " ".join(s.text.strip() for s in parts).strip()
        no_speech = max((s.no_speech_prob for s in parts), default=None)
        logprob = min((s.avg_logprob for s in parts), default=None)
        return Transcript(text, info.language, duration, no_speech, logprob)

    def _window(self, duration: float) -> float | None:
        """The encoder window for `duration` s of audio, or None for the usual 30 s path."""
        if self.window_s is None or (self.language is None and self.model.model.is_multilingual):
            return None  # language detection is faster-whisper's job
        window = max(self.window_s, math.ceil(duration + 1.0))  # 1 s of margin after the words
        return window if window < 30 else None

    def _short(
        self, pcm: np.ndarray, window: float, duration: float, primer: str | None = None
    ) -> Transcript:
        """Encode `pcm` padded to `window` seconds and decode it greedily (no timestamps)."""
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        model = self.model
        multilingual = model.model.is_multilingual
        if self._tokenizer is None:
            language = self.language if multilingual else None
            self._tokenizer = Tokenizer(model.hf_tokenizer, multilingual, "transcribe", language)
            self._suppressed = get_suppressed_tokens(self._tokenizer, (-1,))  # its default
        # padded like faster-whisper pads to 30 s: zeros after the log-mel features (padding the
        # audio instead misheard the shipped sample caller: "I was the standard of order")
        frames = round(window * 100)  # 10 ms hop
        features = model.feature_extractor(pcm)[:, :frames]
        features = np.pad(features, ((0, 0), (0, frames - features.shape[1])))
        encoded = model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])),
            to_cpu=False,
        )
        tokenizer = self._tokenizer
        prompt = model.get_prompt(tokenizer, [], without_timestamps=True, hotwords=primer)
        result = model.model.generate(
            encoded,
            [prompt],
            beam_size=self.beam_size,
            max_length=len(prompt) + int(12 + 6 * duration),  # speech: ~3 tokens a second
            return_no_speech_prob=True,
            return_scores=True,
            suppress_blank=True,
            suppress_tokens=self._suppressed,
        )[0]
        tokens = result.sequences_ids[0]
        text = tokenizer.decode(tokens).strip()
        # the score is the sum of log-probs over the length (length_penalty 1); faster-whisper
        # divides that sum by one more token (the end of text) for its avg_logprob
        logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        # faster-whisper's rule (no_speech_threshold 0.6, log_prob_threshold -1): silence or
        # noise that the decoder still put words to ("you") is no speech
        if result.no_speech_prob > 0.6 and logprob < -1.0:
            text = ""
        return Transcript(
            text, self.language or "en", duration, result.no_speech_prob, round(logprob, 3)
        )
