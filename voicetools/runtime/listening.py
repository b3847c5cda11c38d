"""How the loop hears the caller's next turn, from the answer the agent's question expects.

Two things follow the expected answer (`dialogue.ExpectedAnswer`):

- the recognizer's prompt for the turn (`stt_prompt`), which Whisper reads as the text before
  the caller's and continues in kind: for digits, a phone number or a code, one answer in that
  form ("Order number: 2 8 0 6 3."), so it writes digits rather than "for" or "free"; for any
  other turn the agent's domain words, then an enum's options ("Checkup, followup."). Domain
  words are left out of a digits prompt because with them fewer numbers came out right on
  phone-band clips (docs/decisions.md, "Listening with context");
- the silence that ends the turn: when digits, a phone number or a code were asked for it is
  `VoiceOptions.digits_silence_ms` (1.2 s) instead of 0.5 s, so a caller reading "four four
  seven" (a breath) "one nine" is heard as one answer, not cut after the first group.

A prompt can be copied instead of heard: a transcript that repeats it
(`audio.hallucination.copied_prompt`) is decoded again without the prompt (`hear`), so the
example digits never become a caller's number, and a caller whose number happens to be the
example is still heard.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicetools.audio.hallucination import Verdict, judge_transcript
from voicetools.backends.speech import STT
from voicetools.dialogue import AnswerKind, ExpectedAnswer
from voicetools.language import clean_transcript

EXAMPLES = {
    "digits": "2 8 0 6 3",
    "phone": "2 0 2, 8 6 4, 0 1 3 9",
    "code": "B M 7 1 2 Z",
    "date": "Friday, May 8th",
    "time": "3:30 pm",
}
"""One answer of each form, written as it should be transcribed: digits one by one (Whisper
then writes digits, not "for" or "free"), a date and a time as the date parser reads them."""


@dataclass(frozen=True)
class Listening:
    """How the next caller turn is heard."""

    expected: AnswerKind
    """The kind of answer the agent's question expects ("none" when it asked nothing)."""
    prompt: str | None
    """The recognizer's prompt for the turn (`STT.transcribe(prompt=...)`); None: none."""
    min_silence_ms: float
    """Silence that ends the turn."""

    @property
    def spoken_digits(self) -> bool:
        """Digits, a phone number or a code: read out in groups, so never ended early."""
        return self.expected in ("digits", "phone", "code")


def stt_prompt(expected: ExpectedAnswer) -> str | None:
    """The prompt for a turn that answers `expected`: the form of digits or a code alone;
    otherwise the domain words, then an enum's options or a date's or a time's form."""
    parts: list[str] = []
    if expected.vocabulary and not expected.spoken_digits:
        parts.append(_capital(", ".join(expected.vocabulary)) + ".")
    if expected.kind == "enum" and expected.options:
        parts.append(_capital(", ".join(expected.options)) + ".")
    example = EXAMPLES.get(expected.kind)
    if example is not None:
        parts.append(f"{_capital(expected.label or expected.kind)}: {example}.")
    return " ".join(parts) or None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def listening_for(
    expected: ExpectedAnswer,
    *,
    min_silence_ms: float,
    digits_silence_ms: float | None,
    prompt: bool = True,
) -> Listening:
    """The `Listening` for the next turn: the longer silence only when digits are expected
    (and never shorter than `min_silence_ms`), the prompt when `prompt` is on."""
    silence = min_silence_ms
    if digits_silence_ms is not None and expected.spoken_digits:
        silence = max(min_silence_ms, digits_silence_ms)
    return Listening(expected.kind, stt_prompt(expected) if prompt else None, silence)


def hear(stt: STT, pcm: np.ndarray, prompt: str | None) -> tuple[str, Verdict]:
    """The cleaned transcript of `pcm` heard with `prompt`, and whether it may be acted on
    (`audio.hallucination`); one that copies the prompt is decoded again without it.
    Blocking: run it in a worker thread."""
    heard = stt.transcribe(pcm, prompt=prompt)
    text = clean_transcript(heard.text)
    verdict = judge_transcript(heard, text, pcm, prompt)
    if verdict.check == "prompt_copy":
        heard = stt.transcribe(pcm)
        text = clean_transcript(heard.text)
        verdict = judge_transcript(heard, text, pcm)
    return text, verdict
