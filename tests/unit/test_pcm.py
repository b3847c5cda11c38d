"""PCM helpers: formats, windowed-sinc resampling, WAV round trips, mixing, the call timeline."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicetools.audio import pcm
from voicetools.files import UnreadableFile
from voicetools.testing.fake_audio import dominant_hz, tone


def test_int16_float32_round_trip_and_clipping() -> None:
    ints = np.array([-32768, -1, 0, 1, 32767], dtype=np.int16)
    floats = pcm.to_float32(ints)
    assert floats.dtype == np.float32 and floats[0] == -1.0 and floats[2] == 0.0
    assert np.array_equal(
        pcm.to_int16(np.array([2.0, -2.0, 0.5], np.float32)),
        np.array([32767, -32767, 16384], np.int16),
    )
    assert pcm.to_int16(ints) is ints


@pytest.mark.parametrize(("src", "dst"), [(22050, 16000), (16000, 48000), (44100, 16000)])
def test_resample_keeps_a_tone_and_its_level(src: int, dst: int) -> None:
    out = pcm.resample(tone(1000, 1.0, src, 0.5), src, dst)
    assert len(out) == dst
    reference = tone(1000, 1.0, dst, 0.5)
    assert np.abs(out[500:-500] - reference[500:-500]).max() < 1e-3


def test_resample_removes_what_the_new_rate_cannot_hold() -> None:
    """10 kHz cannot exist at 16 kHz: a linear resampler would alias it to 6 kHz."""
    out = pcm.resample(tone(10_000, 1.0, 22050, 0.5), 22050, 16000)
    assert np.abs(out[500:-500]).max() < 0.01


def test_resample_an_unusual_ratio_and_edge_cases() -> None:
    out = pcm.resample(tone(440, 0.5, 16000), 16000, 16001)
    assert abs(dominant_hz(out, 16001) - 440) < 3
    assert len(pcm.resample(np.zeros(0, np.float32), 16000, 8000)) == 0
    with pytest.raises(ValueError):
        pcm.resample(np.ones(10, np.float32), 0, 16000)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 3000),
    src=st.sampled_from([8000, 16000, 22050, 44100, 48000]),
    dst=st.sampled_from([8000, 16000, 22050, 24000, 48000]),
)
def test_resampled_length_follows_the_ratio(n: int, src: int, dst: int) -> None:
    out = pcm.resample(np.ones(n, np.float32) * 0.1, src, dst)
    assert abs(len(out) - n * dst / src) <= 1
    assert out.dtype == np.float32 and np.all(np.isfinite(out))


def test_wav_round_trip_mono_and_stereo(tmp_path: Path) -> None:
    mono = tone(440, 0.1, 16000)
    pcm.write_wav(tmp_path / "m.wav", mono, 16000)
    back, rate = pcm.read_wav(tmp_path / "m.wav")
    assert rate == 16000 and back.shape == mono.shape
    assert np.abs(back - mono).max() < 1e-4
    both = pcm.stereo(mono, mono[:800] * 0.5)
    pcm.write_wav(tmp_path / "s.wav", both, 16000)
    back, _ = pcm.read_wav(tmp_path / "s.wav")
    assert back.shape == (1600, 2) and np.all(back[800:, 1] == 0)
    assert np.allclose(
        pcm.read_mono(tmp_path / "s.wav", 8000)[:10],
        pcm.resample(pcm.to_mono(back), 16000, 8000)[:10],
    )


@pytest.mark.parametrize(
    ("width", "raw", "expected"),
    [
        (1, bytes([128, 255, 0]), [0.0, 127 / 128, -1.0]),
        (3, b"\x00\x00\x40" + b"\x00\x00\xc0", [0.5, -0.5]),
        (4, np.array([2**30, -(2**31)], "<i4").tobytes(), [0.5, -1.0]),
    ],
)
def test_reads_8_24_and_32_bit_wav(
    tmp_path: Path, width: int, raw: bytes, expected: list[float]
) -> None:
    path = tmp_path / "x.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(width)
        wav.setframerate(8000)
        wav.writeframes(raw)
    data, rate = pcm.read_wav(path)
    assert rate == 8000 and np.allclose(data, expected, atol=1e-2)


def test_a_non_wav_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_bytes(b"ID3 not a wav")
    with pytest.raises(UnreadableFile, match=r"x\.wav:1:1: cannot read file: not a WAV record"):
        pcm.read_wav(path)


def test_mono_mix_and_frames() -> None:
    two = np.array([[1.0, 0.0], [0.5, 0.5]], np.float32)
    assert np.allclose(pcm.to_mono(two), [0.5, 0.5])
    assert np.allclose(
        pcm.mix(np.full(3, 0.8, np.float32), np.full(2, 0.8, np.float32)), [1.0, 1.0, 0.8]
    )
    assert [len(f) for f in pcm.frames(np.zeros(1100), 512)] == [512, 512, 76]


def test_timeline_places_audio_at_times_sums_overlaps_and_cuts() -> None:
    line = pcm.Timeline(1000)
    assert line.place(np.full(500, 0.25, np.float32), 1.0) == 1.5
    line.place(np.full(500, 0.25, np.float32), 1.25, until_s=1.5)  # cut short: barge-in
    audio = line.audio()
    assert len(audio) == 1500 and line.end_s == 1.5
    assert np.all(audio[:1000] == 0)
    assert np.allclose(audio[1000:1250], 0.25) and np.allclose(audio[1250:1500], 0.5)
    assert len(line.audio(3.0)) == 3000
    with pytest.raises(ValueError):
        line.place(np.zeros(1, np.float32), -1.0)
