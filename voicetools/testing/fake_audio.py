"""`FakeSTT` and `FakeTTS`: deterministic speech backends shipped for tests and for users.

The voice loop's logic (endpointing, barge-in, filler timing, audio placed on the call's
timeline) is tested without models. `FakeTTS` makes audio whose length depends only on the text
(a fixed speaking rate), so "the filler ends at 1.2 s" is exact; it can be silent or a sine, so a
test can tell the agent's voice apart. `FakeSTT` answers from a queue of texts, from a table of
tones (a caller "utterance" in a test is a sine of a given pitch), or from any function of the
samples. Both record what they were given (`FakeSTT` its prompts too).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from voicetools.backends.speech import STT_RATE, BaseSTT, BaseTTS, Transcript


def dominant_hz(pcm: np.ndarray, sample_rate: int = STT_RATE) -> float:
    """The strongest frequency in `pcm` (0.0 for silence or an empty array)."""
    if len(pcm) == 0 or not np.any(pcm):
        return 0.0
    spectrum = np.abs(np.fft.rfft(pcm * np.hanning(len(pcm))))
    spectrum[0] = 0.0  # ignore DC
    return float(np.argmax(spectrum) * sample_rate / len(pcm))


def tone(
    hz: float, seconds: float, sample_rate: int = STT_RATE, amplitude: float = 0.3
) -> np.ndarray:
    """A float32 sine: the synthetic "speech" of fake callers and of `FakeTTS`."""
    t = np.arange(round(seconds * sample_rate)) / sample_rate
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


class FakeSTT(BaseSTT):
    """Scripted transcripts: the queue first, then the tone table, then `rule`, then `default`."""

    label = "fake STT"

    def __init__(
        self,
        texts: Iterable[str] = (),
        *,
        tones: Mapping[float, str] | None = None,
        rule: Callable[[np.ndarray], str] | None = None,
        default: str = "",
        language: str = "en",
        tolerance_hz: float = 20.0,
    ) -> None:
        super().__init__()
        self.queue = deque(texts)
        """Texts returned in order, one per call."""
        self.tones = dict(tones or {})
        """Pitch (Hz) of a caller tone -> its text; matched within `tolerance_hz`."""
        self.rule = rule
        self.default = default
        self.language = language
        self.tolerance_hz = tolerance_hz
        self.heard: list[np.ndarray] = []
        """Every utterance transcribed, in order."""
        self.prompts: list[str | None] = []
        """The prompt given with each utterance, in order (`STT.transcribe`)."""

    def _transcribe_impl(self, pcm: np.ndarray, prompt: str | None = None) -> Transcript:
        self.heard.append(pcm)
        self.prompts.append(prompt)
        text = self._text(pcm)
        duration = len(pcm) / self.sample_rate
        return Transcript(text.strip(), self.language, duration, 0.0 if text else 1.0)

    def _text(self, pcm: np.ndarray) -> str:
        if self.queue:
            return self.queue.popleft()
        if self.tones:
            hz = dominant_hz(pcm, self.sample_rate)
            nearest = min(self.tones, key=lambda k: abs(k - hz))
            if abs(nearest - hz) <= self.tolerance_hz:
                return self.tones[nearest]
        if self.rule is not None:
            return self.rule(pcm)
        return self.default


class FakeTTS(BaseTTS):
    """Audio of `len(sentence) / chars_per_s` seconds: silence, or a sine at `tone_hz`."""

    label = "fake TTS"

    def __init__(
        self,
        *,
        sample_rate: int = STT_RATE,
        chars_per_s: float = 15.0,
        tone_hz: float | None = None,
        amplitude: float = 0.3,
        on_sentence: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        if chars_per_s <= 0:
            raise ValueError("chars_per_s must be positive")
        self.sample_rate = sample_rate
        self.chars_per_s = chars_per_s
        """Speaking rate: 15 characters per second is about 170 words a minute."""
        self.tone_hz = tone_hz
        self.amplitude = amplitude
        self.on_sentence = on_sentence
        """Called before each sentence is made: a virtual clock can charge synthesis time."""
        self.spoken: list[str] = []
        """Every sentence synthesised, in order."""

    def seconds(self, sentence: str) -> float:
        """How long `sentence` lasts when this fake speaks it."""
        return len(sentence) / self.chars_per_s

    def _synthesize_impl(self, sentence: str) -> np.ndarray:
        if self.on_sentence is not None:
            self.on_sentence(sentence)
        self.spoken.append(sentence)
        seconds = self.seconds(sentence)
        if self.tone_hz is None:
            return np.zeros(round(seconds * self.sample_rate), dtype=np.float32)
        return tone(self.tone_hz, seconds, self.sample_rate, self.amplitude)
