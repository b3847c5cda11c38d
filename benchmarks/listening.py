"""Does a context prompt help Whisper hear phone-band answers? Word errors with and without.

Caller lines of the order-support agent (digits read out, a phone number, opening lines) are
synthesised in four voices (Piper joe at x1.0 and x1.25, espeak-ng en-us and en-gb), put
through the phone line (`audio.phone.phone_line`: 8 kHz, 300-3400 Hz) and transcribed by
whisper-base three ways: no prompt; the prompt the voice loop gives for the answer the agent
expects (`runtime.listening.stt_prompt`: for digits the answer's form alone, for an opening
line the agent's domain words); and, for digits, the domain words before the form. Silence
and line noise are transcribed with each prompt too, to count text that reaches the engine
from no speech. Every line is heard as the voice loop hears it (`runtime.listening.hear`): a
transcript that copies its prompt is decoded again without it, and those second decodes are
counted.

Word errors are counted after the same normalisation the engine applies (lower case, spoken
numbers as digits), with every digit a word, so "44719" and "4 4 7 1 9" are the same words.

    python benchmarks/listening.py --threads 1
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from benchmarks.scoring import edit_distance
from voicetools.audio.pcm import resample, to_float32
from voicetools.audio.phone import phone_line
from voicetools.backends.speech import STT, Transcript
from voicetools.dialogue import ExpectedAnswer
from voicetools.dialogue.expected import domain_words
from voicetools.language import clean_transcript, spoken_to_digits
from voicetools.runtime.listening import hear, stt_prompt
from voicetools.spec import load_agent

RATE = 16_000
AGENT = Path(__file__).resolve().parents[1] / "agents" / "order_support.yaml"


@dataclass(frozen=True)
class Line:
    """One caller line and the answer the agent expected when it was said."""

    said: str
    number: str
    """The digits in it, as the lookup needs them ("" when none)."""
    kind: str
    """The expected answer's kind: digits, phone, or none (an opening line)."""
    label: str = ""


LINES = (
    Line("four four seven one nine", "44719", "digits", "order number"),
    Line("three oh eight two two", "30822", "digits", "order number"),
    Line("My order number is double four seven one nine.", "44719", "digits", "order number"),
    Line("It's oh seven seven three, oh one nine.", "0773019", "digits", "order number"),
    Line("five five five, one two three, four five six seven", "5551234567", "phone", "phone"),
    Line("I'm calling to check on prescription three oh eight two two", "30822", "none"),
    Line("Hi, what's the status of order four five two one?", "4521", "none"),
    Line("I'd like to open a support ticket, my parcel arrived damaged.", "", "none"),
)


def words(text: str) -> list[str]:
    """Normalised words: lower case, spoken numbers as digits, each digit a word."""
    digits = spoken_to_digits(clean_transcript(text))
    return [w for token in re.findall(r"[a-z']+|\d+", digits) for w in _split(token)]


def _split(token: str) -> list[str]:
    return list(token) if token.isdigit() else [token]


def errors(heard: str, said: str) -> int:
    """Word-level edit distance."""
    return edit_distance(words(heard), words(said))


def number_of(text: str) -> str:
    return "".join(re.findall(r"\d", spoken_to_digits(clean_transcript(text))))


def voices() -> dict[str, Callable[[str], np.ndarray]]:
    """Caller voices: text -> float32 mono at 16 kHz."""
    from benchmarks.make_caller_audio import utterance
    from voicetools.backends.piper import PiperTTS

    def piper(scale: float) -> Callable[[str], np.ndarray]:
        tts = PiperTTS(length_scale=scale)

        def say(text: str) -> np.ndarray:
            chunks = list(tts.synthesize(text, clean=False))
            pcm = np.concatenate([to_float32(c.pcm) for c in chunks])
            return resample(pcm, chunks[0].sample_rate, RATE)

        return say

    return {
        "piper x1.0": piper(1.0),
        "piper x1.25": piper(1.25),
        "espeak en-us": lambda text: utterance(text, "en-us"),
        "espeak en-gb": lambda text: utterance(text, "en-gb"),
    }


def on_the_phone(speech: np.ndarray) -> np.ndarray:
    """0.2 s of silence either side, peak at -6 dBFS, through the phone line, back at 16 kHz."""
    pad = np.zeros(round(0.2 * RATE), np.float32)
    peak = float(np.abs(speech).max()) or 1.0
    audio = np.concatenate([pad, speech * (0.5 / peak), pad]).astype(np.float32)
    return resample(phone_line(audio, RATE), 8000, RATE)


def with_domain_words(expected: ExpectedAnswer) -> str | None:
    """The domain words before a digits prompt too (the shipped prompt leaves them out)."""
    words = stt_prompt(replace(expected, kind="none"))
    form = stt_prompt(replace(expected, vocabulary=()))
    return " ".join(p for p in (words, form) if p) or None


class Counting:
    """An STT that counts its calls (a second call for a line is a copied prompt)."""

    def __init__(self, stt: STT) -> None:
        self.stt, self.calls = stt, 0

    def transcribe(self, pcm: np.ndarray, *, prompt: str | None = None) -> Transcript:
        self.calls += 1
        return self.stt.transcribe(pcm, prompt=prompt)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="Whisper's CPU threads")
    parser.add_argument("--verbose", action="store_true", help="print every transcript")
    args = parser.parse_args(argv)
    from voicetools.backends.whisper import WhisperSTT

    stt = Counting(WhisperSTT(cpu_threads=args.threads))
    vocabulary = domain_words(load_agent(AGENT))
    setups: dict[str, Callable[[ExpectedAnswer], str | None]] = {
        "no prompt": lambda expected: None,
        "shipped prompt": stt_prompt,
        "domain words + form": with_domain_words,
    }
    # word errors, words, numbers right, numbers, dropped by the judge, second decodes
    totals = {name: [0, 0, 0, 0, 0, 0] for name in setups}
    for voice, say in voices().items():
        for line in LINES:
            audio = on_the_phone(say(line.said))
            kind = line.kind if line.kind in ("digits", "phone") else "none"
            expected = ExpectedAnswer(kind, (), line.label, (), vocabulary)  # type: ignore[arg-type]
            for name, make in setups.items():
                prompt = make(expected)
                before = stt.calls
                text, verdict = hear(stt, audio, prompt)
                total = totals[name]
                total[5] += stt.calls - before - 1
                total[0] += errors(text, line.said)
                total[1] += len(words(line.said))
                if line.number:
                    total[2] += number_of(text) == line.number
                    total[3] += 1
                total[4] += not verdict.safe
                if args.verbose:
                    mark = "" if verdict.safe else f"  [dropped: {verdict.check}]"
                    print(f"{voice:12s} {name:14s} {line.said[:40]!r:44s} -> {text!r}{mark}")
    print("| setup | word errors | numbers right | dropped by the judge | prompt copied |")
    print("|---|---|---|---|---|")
    for name, (err, count, right, of, dropped, again) in totals.items():
        share = f"{err}/{count} ({err / count:.0%})"
        print(f"| {name} | {share} | {right}/{of} | {dropped} | {again} |")
    quiet = {
        "1 s digital silence": np.zeros(RATE, np.float32),
        "1.5 s line noise at -60 dBFS": (
            np.random.default_rng(0).standard_normal(24_000) * 1e-3
        ).astype(np.float32),
    }
    for what, audio in quiet.items():
        for name, make in setups.items():
            for kind in ("digits", "none"):
                prompt = make(ExpectedAnswer(kind, (), "order number", (), vocabulary))  # type: ignore[arg-type]
                text, verdict = hear(stt, audio, prompt)
                passed = "reaches the engine" if text and verdict.safe else "nothing"
                print(f"{what}, {name}, expecting {kind}: {text!r} ({passed})")


if __name__ == "__main__":
    main()
