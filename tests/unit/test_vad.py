"""The endpointer on synthetic frames: each frame's first sample *is* its speech probability."""

from __future__ import annotations

import numpy as np
import pytest

from voicetools.audio.vad import Endpointer, VadEvent, energy_probability
from voicetools.testing.fake_audio import tone

RATE = 16_000
FRAME = 512
FRAME_S = FRAME / RATE  # 32 ms


def first_sample(frame: np.ndarray) -> float:
    return float(frame[0])


def stream(*spans: tuple[float, float]) -> np.ndarray:
    """Frames whose probability is given as (probability, seconds) spans."""
    parts = [np.full(round(seconds / FRAME_S) * FRAME, p, np.float32) for p, seconds in spans]
    return np.concatenate(parts)


def run(audio: np.ndarray, block: int = 1000, **options: float) -> list[VadEvent]:
    endpointer = Endpointer(first_sample, **options)
    events: list[VadEvent] = []
    for start in range(0, len(audio), block):
        events += endpointer.push(audio[start : start + block])
    return events + endpointer.flush()


def test_one_utterance_with_its_times_and_padded_samples() -> None:
    audio = stream((0.0, 1.024), (0.9, 2.048), (0.0, 1.024))
    start, end = run(audio)
    assert (start.kind, end.kind) == ("speech_start", "speech_end")
    assert start.start_s == pytest.approx(1.024)
    assert start.at_s == pytest.approx(1.024 + 3 * FRAME_S)  # 100 ms of speech -> 3 frames
    assert end.start_s == pytest.approx(1.024) and end.end_s == pytest.approx(3.072)
    assert end.at_s - end.end_s == pytest.approx(16 * FRAME_S)  # 500 ms -> 16 frames
    assert end.pcm is not None and not end.forced
    assert len(end.pcm) == (6 + 64 + 6) * FRAME  # 200 ms pad (6 frames) on each side
    assert np.count_nonzero(end.pcm) == 64 * FRAME


def test_block_size_does_not_change_the_events() -> None:
    audio = stream((0.0, 0.5), (0.8, 1.0), (0.0, 0.7), (0.8, 0.5), (0.0, 1.0))
    reference = [(e.kind, e.at_s, e.start_s, e.end_s) for e in run(audio, block=FRAME)]
    for block in (1, 100, 4096, len(audio)):
        assert [(e.kind, e.at_s, e.start_s, e.end_s) for e in run(audio, block=block)] == reference
    assert [k for k, *_ in reference] == ["speech_start", "speech_end"] * 2


def test_a_pause_shorter_than_min_silence_keeps_the_turn_open() -> None:
    audio = stream((0.9, 1.0), (0.0, 0.3), (0.9, 1.0), (0.0, 1.0))
    assert [e.kind for e in run(audio)] == ["speech_start", "speech_end"]
    assert [e.kind for e in run(audio, min_silence_ms=200)] == ["speech_start", "speech_end"] * 2


def test_a_click_is_not_a_turn_and_hysteresis_holds_the_turn() -> None:
    assert run(stream((0.0, 0.5), (0.9, FRAME_S * 2), (0.0, 1.0))) == []
    # 0.4 is below the 0.5 threshold but above 0.35: inside a turn it is not silence
    events = run(stream((0.9, 0.5), (0.4, 1.0), (0.0, 1.0)))
    assert events[1].end_s == pytest.approx(round(1.5 / FRAME_S) * FRAME_S)


def test_a_long_turn_is_cut_at_max_speech_and_flush_closes_an_open_one() -> None:
    events = run(stream((0.9, 3.0)), max_speech_s=1.0)
    ends = [e for e in events if e.kind == "speech_end"]
    assert ends[0].forced and ends[0].end_s - ends[0].start_s == pytest.approx(1.024, abs=0.04)
    assert ends[-1].forced  # the rest, closed by flush at the end of the stream
    endpointer = Endpointer(first_sample)
    assert endpointer.flush() == []
    endpointer.push(stream((0.9, 0.5)))
    assert endpointer.speaking


def test_reset_starts_the_clock_again() -> None:
    endpointer = Endpointer(first_sample)
    endpointer.push(stream((0.9, 0.5)))
    endpointer.reset()
    assert not endpointer.speaking
    start = endpointer.push(stream((0.0, 0.32), (0.9, 0.5)))[0]
    assert start.start_s == pytest.approx(0.32)


def test_energy_probability_on_tones_and_silence() -> None:
    probability = energy_probability(-40.0)
    assert probability(tone(300, FRAME_S, RATE, 0.1)) == 1.0
    assert probability(np.zeros(FRAME, np.float32)) == 0.0
    assert probability(tone(300, FRAME_S, RATE, 0.001)) == 0.0
    audio = np.concatenate([np.zeros(RATE), tone(300, 1.0), np.zeros(RATE)])
    events = Endpointer(probability).push(audio)
    assert [e.kind for e in events] == ["speech_start", "speech_end"]
    assert events[1].start_s == pytest.approx(1.0, abs=FRAME_S)
    assert events[1].end_s == pytest.approx(2.0, abs=FRAME_S)


def test_bad_threshold() -> None:
    with pytest.raises(ValueError):
        Endpointer(first_sample, speech_threshold=0.0)


def test_a_pause_then_resume_then_end_and_the_pause_carries_the_end_audio() -> None:
    audio = stream((0.0, 0.5), (0.9, 1.0), (0.0, 0.3), (0.9, 0.5), (0.0, 1.0))
    events = run(audio, pause_ms=200)
    kinds = [e.kind for e in events]
    assert kinds == ["speech_start", "speech_pause", "speech_resume", "speech_pause", "speech_end"]
    pause, end = events[3], events[4]
    assert pause.at_s - pause.end_s == pytest.approx(6 * FRAME_S)  # 200 ms -> 6 frames
    assert (pause.start_s, pause.end_s) == (end.start_s, end.end_s)
    assert pause.pcm is not None and end.pcm is not None
    assert np.array_equal(pause.pcm, end.pcm)  # the same audio: work on it can be reused
    assert len(events[1].pcm) < len(end.pcm)  # type: ignore[arg-type]


def test_pause_is_never_shorter_than_the_pad_and_off_by_default() -> None:
    audio = stream((0.9, 1.0), (0.0, 1.0))
    assert [e.kind for e in run(audio)] == ["speech_start", "speech_end"]
    assert Endpointer(first_sample, pause_ms=50, pad_ms=200).pause_frames == 6
