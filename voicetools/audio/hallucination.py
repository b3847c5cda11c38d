"""Whether a transcript can be acted on: Whisper's made-up words, caught before the engine.

Whisper writes fluent text whatever it hears, so its failures look like speech: a word or a
phrase repeated until the token budget runs out (phone-band audio of "Is prescription five one
two oh four, sorry, five one two oh six, ready?" came out as "Please" 27 times), "Thank you."
on line noise, a sentence on a click. Acting on such a line can open a ticket or transfer a call
nobody asked for. `judge(transcript, pcm)` looks at the words *and* the audio they came from,
pure and cheap (a few numpy passes over one utterance), and returns a `Verdict`:

- **repetition**: one word or phrase said `LOOP_REPEATS` times in a row (more for a digit, since
  numbers repeat digits), or text that compresses like a loop (Whisper's own `compression_ratio`
  test, computed here from the text so it holds for every decoding path);
- **near silence**: words, but under `MIN_SPEECH_S` of audio above the speech floor;
- **word rate**: more words than anyone says in the audio's speech time;
- **no speech**: the recognizer's own no-speech rule, when the transcript carries its figures.

Each test is built not to fire on short real answers ("Yes.", "four four seven one nine",
"No, no, no."): a caller who is dropped wrongly is asked to repeat, which costs a turn, while a
made-up line acted on can cost much more, but a call where every "yes" is dropped is broken.
An empty transcript is safe here (there is nothing to act on; the voice turn ignores it).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Literal

import numpy as np

from voicetools.audio.pcm import to_mono
from voicetools.backends.speech import STT_RATE, Transcript

Check = Literal["ok", "repetition", "near_silence", "word_rate", "no_speech", "prompt_copy"]

FRAME_S = 0.02
"""Frame length for the audio level: 20 ms, about one phone, so a pause between words counts
as quiet and a short "no" still fills several frames."""
SPEECH_FLOOR_DBFS = -50.0
"""A frame quieter than this carries no word Whisper could hear: line and room noise sit below
it, the quietest consonants of a caller at a normal level above it."""
MIN_SPEECH_S = 0.1
"""Less audio above the floor than this holds no word: a short "no" has 0.2 s and more."""
MAX_WORDS_PER_S = 6.0
"""Fast conversational speech is 3 to 4 words per second of voiced audio; 6 is beyond anyone."""
WORD_SLACK = 2
"""Words allowed on top of the rate, so a clipped "Yes, please." on a short burst passes."""
LOOP_REPEATS = 5
"""A word or phrase this many times in a row is a decoding loop ("no, no, no, no" is 4)."""
DIGIT_LOOP_REPEATS = 8
"""A digit may repeat in a real number ("five five five"); eight in a row is not a number."""
MAX_PHRASE_WORDS = 4
"""Longest phrase looked for as a repeating unit (Whisper loops on short phrases)."""
MAX_COMPRESSION = 2.4
"""Whisper's `compression_ratio_threshold`: text that zlib shrinks more than this repeats."""
NO_SPEECH_PROB = 0.6
"""Whisper's `no_speech_threshold` ..."""
LOW_LOGPROB = -1.0
"""... together with its `log_prob_threshold`: the decoder guessed words over no speech."""
PROMPT_RUN = 4
"""Words of the recognizer's prompt this many in a row in its text, or a number of this
many digits from the prompt, are the prompt copied, not heard: Whisper wrote a whole
primer of domain words back on one espeak-ng clip (docs/decisions.md)."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGITS = frozenset(
    "0 1 2 3 4 5 6 7 8 9 zero oh o one two three four five six seven eight nine".split()
)


@dataclass(frozen=True)
class Evidence:
    """What the judge measured, kept so a dropped line's record says why in numbers."""

    words: int
    """Words in the text (a number written in digits counts as one)."""
    speech_s: float
    """Seconds of audio above `SPEECH_FLOOR_DBFS`."""
    peak_dbfs: float
    """Level of the loudest frame (-inf for digital silence)."""
    compression: float
    """zlib compression ratio of the text, as Whisper computes it."""


@dataclass(frozen=True)
class Verdict:
    """Whether the engine may be given a transcript."""

    check: Check
    """"ok", or the first test that failed."""
    reason: str
    """Why the line was dropped, in words for the call's transcript file; empty when ok."""
    evidence: Evidence
    """The measurements behind it."""

    @property
    def safe(self) -> bool:
        return self.check == "ok"


def judge(
    text: str,
    pcm: np.ndarray,
    sample_rate: int = STT_RATE,
    *,
    no_speech_prob: float | None = None,
    avg_logprob: float | None = None,
) -> Verdict:
    """The verdict on `text`, heard in `pcm` (mono, float in [-1, 1] or int16)."""
    words = words_of(text)
    speech_s, peak = speech_seconds(pcm, sample_rate)
    evidence = Evidence(len(words), round(speech_s, 3), round(peak, 1), compression_ratio(text))
    if not words:
        return Verdict("ok", "", evidence)
    loop = repetition(words)
    if loop is not None:
        return Verdict("repetition", f"repetition loop: {loop}", evidence)
    if evidence.compression > MAX_COMPRESSION:
        ratio = f"{evidence.compression:.1f}"
        return Verdict("repetition", f"repetition loop: text compresses {ratio}x", evidence)
    if speech_s < MIN_SPEECH_S:
        level = "digital silence" if peak == float("-inf") else f"loudest {peak:.0f} dBFS"
        return Verdict("near_silence", f"text on near-silence ({level})", evidence)
    allowed = MAX_WORDS_PER_S * speech_s + WORD_SLACK
    if len(words) > allowed:
        said = f"{len(words)} words in {speech_s:.2f} s of speech"
        return Verdict("word_rate", f"implausible word rate ({said})", evidence)
    if (
        no_speech_prob is not None
        and avg_logprob is not None
        and no_speech_prob > NO_SPEECH_PROB
        and avg_logprob < LOW_LOGPROB
    ):
        said = f"no-speech probability {no_speech_prob:.2f}, mean log-prob {avg_logprob:.2f}"
        return Verdict("no_speech", f"recognizer heard no speech ({said})", evidence)
    return Verdict("ok", "", evidence)


def speech_seconds(pcm: np.ndarray, sample_rate: int = STT_RATE) -> tuple[float, float]:
    """(seconds of `FRAME_S` frames above the speech floor, the loudest frame's dBFS)."""
    try:
        audio = to_mono(np.asarray(pcm)).astype(np.float64).ravel()
    except (TypeError, ValueError):  # not audio at all: nothing heard
        return 0.0, float("-inf")
    audio = np.nan_to_num(audio, nan=0.0, posinf=0.0, neginf=0.0)
    size = max(1, round(FRAME_S * sample_rate)) if sample_rate > 0 else 0
    count = len(audio) // size if size else 0
    if count == 0:
        return 0.0, float("-inf")
    rms = np.sqrt(np.mean(np.square(audio[: count * size].reshape(count, size)), axis=1))
    loudest = float(rms.max())
    peak = 20 * np.log10(loudest) if loudest > 0 else float("-inf")
    floor = 10 ** (SPEECH_FLOOR_DBFS / 20)
    return float(np.count_nonzero(rms >= floor)) * size / sample_rate, float(peak)


def words_of(text: str) -> list[str]:
    """The words of `text` as the judge counts them: lower case, punctuation dropped."""
    return _WORD.findall(text.lower())


def repetition(
    words: list[str], repeats: int = LOOP_REPEATS, digit_repeats: int = DIGIT_LOOP_REPEATS
) -> str | None:
    """The looping unit and its count ("'please' x27"), or None when no word or phrase comes
    `repeats` times in a row (`digit_repeats` for digits)."""
    for size in range(1, MAX_PHRASE_WORDS + 1):
        i = 0
        while i + size <= len(words):
            unit = words[i : i + size]
            count = 1
            while words[i + count * size : i + (count + 1) * size] == unit:
                count += 1
            digits = all(w in _DIGITS for w in unit)
            if count >= (digit_repeats if digits else repeats):
                return f"{' '.join(unit)!r} x{count}"
            i += 1
    return None


def compression_ratio(text: str) -> float:
    """Bytes of `text` over bytes of its zlib compression (Whisper's loop measure)."""
    data = text.encode("utf-8")
    return round(len(data) / len(zlib.compress(data)), 3) if data else 0.0


def judge_transcript(
    transcript: Transcript, text: str, pcm: np.ndarray, prompt: str | None = None
) -> Verdict:
    """`judge` for a recognizer's `transcript` whose text, as the engine would get it, is `text`
    (cleaned by `language.clean_transcript`), with the recognizer's own figures; and, when it
    was given a `prompt`, not a copy of it (`copied_prompt`)."""
    verdict = judge(
        text,
        pcm,
        no_speech_prob=transcript.no_speech_prob,
        avg_logprob=transcript.avg_logprob,
    )
    copied = copied_prompt(text, prompt) if verdict.safe and prompt else None
    if copied is not None:
        return Verdict(
            "prompt_copy", f"copied from the recognizer's prompt: {copied!r}", verdict.evidence
        )
    return verdict


def _merged(text: str) -> list[str]:
    """`words_of(text)` with digits in a row joined ("4 4 7 1 9" and "44719" alike)."""
    out: list[str] = []
    for word in words_of(text):
        if word.isdigit() and out and out[-1].isdigit():
            out[-1] += word
        else:
            out.append(word)
    return out


def copied_prompt(text: str, prompt: str | None) -> str | None:
    """What `text` copied from `prompt` (`PROMPT_RUN` words in a row, or a number of that
    many digits), or None."""
    if not prompt:
        return None
    said, primer = _merged(text), _merged(prompt)
    for word in said:
        if word.isdigit() and len(word) >= PROMPT_RUN and word in primer:
            return word
    runs = {tuple(primer[i : i + PROMPT_RUN]) for i in range(len(primer) - PROMPT_RUN + 1)}
    for i in range(len(said) - PROMPT_RUN + 1):
        if tuple(said[i : i + PROMPT_RUN]) in runs:
            return " ".join(said[i : i + PROMPT_RUN])
    return None
