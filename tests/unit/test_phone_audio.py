"""Phone recordings in: G.711 and 8 kHz WAV files decoded, a stereo side picked, the phone band.

The files are written by libsndfile (soundfile) itself, as a phone system would write them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from voicetools.audio import pcm, wav_in
from voicetools.errors import VoicetoolsError
from voicetools.files import UnreadableFile
from voicetools.testing.fake_audio import dominant_hz, tone

RATE = 8000


def _write(path: Path, audio: np.ndarray, rate: int, subtype: str) -> Path:
    soundfile.write(str(path), audio, rate, subtype=subtype, format="WAV")
    return path


def _similar(decoded: np.ndarray, original: np.ndarray) -> tuple[float, float]:
    """(correlation, RMS error relative to the original's RMS)."""
    corr = float(np.corrcoef(decoded, original)[0, 1])
    rms = float(np.sqrt(np.mean((decoded - original) ** 2)) / np.sqrt(np.mean(original**2)))
    return corr, rms


@pytest.mark.parametrize(
    ("subtype", "max_rms"),
    [("ULAW", 0.05), ("ALAW", 0.05), ("PCM_16", 1e-3), ("PCM_U8", 0.05), ("FLOAT", 1e-6)],
)
def test_8_khz_recordings_decode_to_the_tone_they_hold(
    tmp_path: Path, subtype: str, max_rms: float
) -> None:
    """G.711's logarithmic steps cost about 2 % RMS on a half-scale sine (SNR near 34 dB)."""
    original = tone(1000, 0.5, RATE, 0.5)
    path = _write(tmp_path / f"{subtype}.wav", original, RATE, subtype)
    recording = wav_in.read_recording(path)
    assert recording.rate == RATE and recording.encoding == subtype
    assert recording.audio.dtype == np.float32 and recording.audio.shape == original.shape
    corr, rms = _similar(recording.audio, original)
    assert corr > 0.999 and rms < max_rms, (corr, rms)
    assert recording.phone  # 8 kHz, whatever the encoding


def test_g711_at_16_khz_is_a_phone_recording_and_pcm_is_not(tmp_path: Path) -> None:
    audio = tone(440, 0.2, 16000)
    mulaw = wav_in.read_recording(_write(tmp_path / "u.wav", audio, 16000, "ULAW"))
    plain = wav_in.read_recording(_write(tmp_path / "p.wav", audio, 16000, "PCM_16"))
    assert mulaw.phone and not plain.phone
    assert mulaw.describe() == "16 kHz mu-law mono"
    assert _similar(mulaw.audio, audio)[0] > 0.999


def test_a_stereo_alaw_call_keeps_its_channels_and_each_side_can_be_picked(
    tmp_path: Path,
) -> None:
    caller = tone(1000, 0.5, RATE, 0.5)
    agent = np.zeros_like(caller)  # a tone on the left only
    path = _write(tmp_path / "call.wav", np.stack([caller, agent], axis=1), RATE, "ALAW")
    recording = wav_in.read_recording(path)
    assert recording.audio.shape == (len(caller), 2)
    assert recording.describe() == "8 kHz A-law stereo"
    left = wav_in.pick_channel(recording.audio, "left")
    right = wav_in.pick_channel(recording.audio, "right")
    mixed = wav_in.pick_channel(recording.audio, "mix")
    assert _similar(left, caller)[0] > 0.999
    assert np.abs(right).max() < 1e-3  # A-law's zero is a tiny step, not exactly 0
    assert np.allclose(mixed, (left + right) / 2, atol=1e-6)
    swapped = _write(tmp_path / "swapped.wav", np.stack([agent, caller], axis=1), RATE, "ALAW")
    assert _similar(pcm.read_mono(swapped, RATE, "right"), caller)[0] > 0.999
    assert np.abs(pcm.read_mono(swapped, RATE, "left")).max() < 1e-3


def test_a_mono_file_ignores_the_channel_choice(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.wav", tone(500, 0.2, RATE), RATE, "ULAW")
    assert np.array_equal(pcm.read_mono(path, RATE, "right"), pcm.read_mono(path, RATE, "mix"))
    with pytest.raises(ValueError, match="left, right"):
        wav_in.pick_channel(np.zeros((4, 2), np.float32), "centre")


def test_24_and_32_bit_pcm_at_48_khz(tmp_path: Path) -> None:
    audio = tone(3000, 0.1, 48000, 0.9)
    for subtype in ("PCM_24", "PCM_32", "DOUBLE"):
        data, rate = pcm.read_wav(_write(tmp_path / f"{subtype}.wav", audio, 48000, subtype))
        assert rate == 48000 and np.abs(data - audio).max() < 1e-6


def test_the_phone_band_keeps_1_khz_and_removes_6_khz_and_100_hz() -> None:
    from voicetools.audio.phone import phone_band, phone_line

    rate = 16000
    speech, hiss, hum = tone(1000, 1.0, rate), tone(6000, 1.0, rate), tone(100, 1.0, rate)
    middle = slice(2000, -2000)  # away from the filters' start and end
    kept = phone_band(speech, rate)
    assert len(kept) == rate and kept.dtype == np.float32
    assert _similar(kept[middle], speech[middle])[1] < 0.02
    assert np.abs(phone_band(hiss, rate)[middle]).max() < 0.003
    assert np.abs(phone_band(hum, rate)[middle]).max() < 0.003
    both = phone_band(speech + hiss, rate)
    assert abs(dominant_hz(both, rate) - 1000) < 5
    line = phone_line(np.stack([speech, hiss], axis=1), rate)  # the output file: 8 kHz
    assert line.shape == (RATE, 2)
    assert abs(dominant_hz(line[:, 0], RATE) - 1000) < 5
    assert np.abs(line[1000:-1000, 1]).max() < 3e-3


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"hello, this is not audio\n", id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x07\x00", id="cut-in-header"),
    ],
)
def test_a_file_that_is_not_a_wav_is_one_line_naming_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "caller.wav"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        wav_in.read_recording(path)
    message = str(caught.value)
    assert isinstance(caught.value, VoicetoolsError)
    assert message.startswith(f"{path}:1:1: cannot read file: not a WAV recording (")
    assert "\n" not in message


def test_a_truncated_mulaw_file_is_one_line_or_what_it_holds(tmp_path: Path) -> None:
    """Cut inside the header: an error. Cut inside the data: the samples that are there (a
    recorder that streams leaves the sizes unset, and `wave` read such files too)."""
    whole = _write(tmp_path / "whole.wav", tone(1000, 0.5, RATE), RATE, "ULAW").read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[:30])
    with pytest.raises(UnreadableFile, match=r"cut\.wav:1:1: cannot read file: not a WAV"):
        wav_in.read_recording(cut)
    cut.write_bytes(whole[:2000])
    assert 1900 < len(wav_in.read_recording(cut).audio) < 2000


def test_another_container_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "caller.wav"
    soundfile.write(str(path), tone(440, 0.1, RATE), RATE, format="FLAC")
    with pytest.raises(UnreadableFile, match="a FLAC file, not a WAV recording"):
        wav_in.read_recording(path)
