"""The transcript judge (`audio.hallucination`) on a table of lines and the audio they came from.

Speech is stood in for by a tone at a normal level (-13 dBFS RMS): the judge reads only the
level of the audio, never its content, so a tone of the right length is all it sees of speech.
"""

from __future__ import annotations

import numpy as np
import pytest

from voicetools.audio.hallucination import (
    MIN_SPEECH_S,
    SPEECH_FLOOR_DBFS,
    compression_ratio,
    judge,
    judge_transcript,
    repetition,
    speech_seconds,
)
from voicetools.backends.speech import Transcript
from voicetools.testing.fake_audio import tone

RATE = 16_000
LOOP = " ".join(["Please"] * 27)
"""What Whisper heard on the phone band for "Is prescription five one two oh four, sorry,
five one two oh six, ready?" (issue 13)."""


def speech(seconds: float, amplitude: float = 0.3) -> np.ndarray:
    """`seconds` of "speech" with half a second of digital silence either side, as the
    endpointer pads an utterance."""
    pad = np.zeros(RATE // 2, np.float32)
    return np.concatenate([pad, tone(220.0, seconds, RATE, amplitude), pad])


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("Yes.", 0.3),
        ("No.", 0.2),
        ("Yes, please.", 0.25),  # clipped by the endpointer: within the slack
        ("four four seven one nine", 2.0),
        ("4 4 7 1 9", 2.0),
        ("44719", 1.5),
        ("No, no, no, no.", 1.0),
        ("Bye bye.", 0.5),
        ("five five five, one two one two", 2.5),
        ("My number is 555 5555, that's five five five five five five five.", 5.0),
        ("What's the status of order 4521?", 1.5),
        ("Is prescription five one two oh four, sorry, five one two oh six, ready?", 4.5),
        ("Thank you. Thank you. Thank you. Thank you.", 2.0),
        ("I'd like to book a table for four at eight on Friday, the twelfth, for my wife.", 4.0),
        ("", 0.0),  # nothing to act on: the voice turn ignores it as empty
        ("...", 0.0),
    ],
)
def test_real_answers_pass(text: str, seconds: float) -> None:
    verdict = judge(text, speech(seconds))
    assert verdict.safe, verdict
    assert verdict.reason == ""


@pytest.mark.parametrize(
    ("text", "seconds", "check", "reason"),
    [
        (LOOP, 4.5, "repetition", "repetition loop: 'please' x27"),
        ("Please, please, please, please, please.", 4.0, "repetition", "'please' x5"),
        ("I want to I want to I want to I want to I want to", 4.0, "repetition", "x5"),
        ("Order 4521 thank you thank you thank you thank you thank you", 6.0, "repetition", ""),
        (" ".join(["five"] * 8), 4.0, "repetition", "'five' x8"),
        ("Hmm" + "m" * 80, 3.0, "repetition", "text compresses"),
        ("Thank you.", 0.0, "near_silence", "digital silence"),
        ("I'd like to cancel my order and get a refund please.", 0.5, "word_rate", "11 words"),
        ("Transfer me to a person now, I want to cancel everything today.", 0.3, "word_rate", ""),
    ],
)
def test_made_up_lines_are_dropped_with_a_reason(
    text: str, seconds: float, check: str, reason: str
) -> None:
    verdict = judge(text, speech(seconds))
    assert not verdict.safe
    assert verdict.check == check, verdict
    assert reason in verdict.reason


def test_text_on_line_noise_is_near_silence_but_a_quiet_caller_is_heard() -> None:
    noise = np.random.default_rng(1).normal(0.0, 10 ** (-62 / 20), 2 * RATE).astype(np.float32)
    verdict = judge("Thank you.", noise)
    assert verdict.check == "near_silence" and "loudest -6" in verdict.reason
    assert verdict.evidence.speech_s == 0.0
    quiet = speech(0.6, amplitude=10 ** (-40 / 20))  # 20 dB under a normal caller
    assert judge("Yes, that's right.", quiet).safe
    assert judge("Yes.", speech(MIN_SPEECH_S + 0.02)).safe  # the shortest word still counts


def test_speech_time_counts_frames_above_the_floor_only() -> None:
    audio = np.concatenate([speech(1.0), np.full(RATE, 10 ** ((SPEECH_FLOOR_DBFS - 3) / 20))])
    seconds, peak = speech_seconds(audio.astype(np.float32))
    assert seconds == pytest.approx(1.0, abs=0.03)
    assert peak == pytest.approx(-13.5, abs=0.2)
    int16 = (speech(1.0) * 32767).astype(np.int16)
    assert speech_seconds(int16)[0] == pytest.approx(1.0, abs=0.03)


@pytest.mark.parametrize(
    "pcm",
    [
        np.zeros(0, np.float32),
        np.zeros(5, np.float32),
        np.array(["not", "audio"]),
        np.full(RATE, np.nan, np.float32),
        np.zeros((RATE, 2), np.float32),
    ],
)
def test_odd_audio_is_judged_without_an_error(pcm: np.ndarray) -> None:
    verdict = judge("Cancel my order.", pcm)
    assert verdict.check == "near_silence"
    assert judge("", pcm).safe


def test_repetition_finds_the_unit_and_leaves_real_repeats() -> None:
    assert repetition("a b c a b c a b c a b c a b c".split()) == "'a b c' x5"
    assert repetition("no no no no".split()) is None
    assert repetition("1 1 1 1 1 1 1".split()) is None  # a digit may repeat in a number
    assert repetition([]) is None
    assert compression_ratio(LOOP) > 2.4 > compression_ratio("What's the status of order 4521?")


def test_the_recognizers_no_speech_rule_applies_when_it_reports_its_figures() -> None:
    audio = speech(1.0)
    unsure = Transcript("You.", "en", 2.0, no_speech_prob=0.8, avg_logprob=-1.4)
    verdict = judge_transcript(unsure, "You.", audio)
    assert verdict.check == "no_speech" and "0.80" in verdict.reason
    sure = Transcript("Yes.", "en", 2.0, no_speech_prob=0.8, avg_logprob=-0.2)
    assert judge_transcript(sure, "Yes.", audio).safe
    unknown = Transcript("Yes.", "en", 2.0, no_speech_prob=0.9)
    assert judge_transcript(unknown, "Yes.", audio).safe
