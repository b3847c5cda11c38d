"""`voicetools call`: arguments, the no-sound-card message, how records are displayed, and
whole calls from phone recordings with fake speech models and a scripted LLM."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from cli_support import run_cli

from voicetools.audio import devices
from voicetools.audio.vad import Stateless, energy_probability
from voicetools.cli.call_cmd import describe
from voicetools.dialogue import SAY_AGAIN
from voicetools.errors import BackendError
from voicetools.runtime.voice_session import SpeechStack
from voicetools.testing.fake_audio import FakeSTT, FakeTTS, dominant_hz, tone
from voicetools.testing.scripted_llm import ScriptedLLM

AGENT = str(Path(__file__).resolve().parents[2] / "agents" / "order_support.yaml")


def test_mic_without_a_sound_device_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_device(spec: object, direction: str) -> int:
        raise BackendError(devices.NO_DEVICE)

    monkeypatch.setattr(devices, "pick_device", no_device)
    result = run_cli("call", AGENT, "--mic", "--device", "3")
    assert result.exit_code == 1
    assert result.output.strip() == f"voicetools: {devices.NO_DEVICE}"
    assert "Traceback" not in result.output


def test_this_machine_mic_gives_a_clear_message_or_starts() -> None:
    try:
        found = devices.list_devices()
    except BackendError:
        found = []
    if found:
        pytest.skip("this machine has a sound device")
    result = run_cli("call", AGENT, "--mic")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("voicetools: ") and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [[], ["--input", "caller.wav"], ["--mic", "--input", "caller.wav", "--output", "x.wav"]],
)
def test_input_or_mic_is_required_and_input_needs_output(args: list[str]) -> None:
    result = run_cli("call", AGENT, *args)
    assert result.exit_code == 2 and result.output.startswith("voicetools: error: ")


def test_records_are_shown_with_their_timeline_position() -> None:
    user = {"type": "user", "text": "order 4521", "t": 5.5, "speech_start": 4.0}
    assert describe(user) == "[  5.50] caller  order 4521"
    agent = {
        "type": "agent",
        "text": "It shipped.",
        "t": 7.0,
        "audio_start": 7.25,
        "audio_end": 8.0,
        "interrupted": True,
    }
    assert describe(agent) == "[  7.25] agent   It shipped. (interrupted)"
    unheard = {"type": "filler", "text": "One moment.", "t": 7.0, "audio_start": None}
    assert describe(unheard) == "[  -.--] filler  One moment."
    assert describe({"type": "stats", "t": 1.0}) is None
    empty = {"type": "ignored", "reason": "empty transcript", "t": 3.0}
    assert describe(empty) == "[  3.00] (ignored: empty transcript)"
    looped = {"type": "ignored", "reason": "repetition loop: 'please' x27", "t": 3.0}
    looped["text"] = " ".join(["Please"] * 27)
    shown = describe(looped)
    assert shown == f"[  3.00] (ignored {('Please ' * 9)[:57] + '...'!r}: {looped['reason']})"


def _fake_call(monkeypatch: pytest.MonkeyPatch, heard: str = "what are your hours") -> FakeSTT:
    """`call` with a scripted LLM and fake speech: a 440 Hz caller tone is "what are your
    hours", the agent's voice a 1 kHz tone. Returns the STT, which keeps what it heard."""
    llm = ScriptedLLM([("hours", "We are open every weekday, from eight to six.")])
    stt = FakeSTT(tones={440.0: heard})
    speech = SpeechStack(stt, FakeTTS(tone_hz=1000.0), Stateless(energy_probability()), 0.0)
    monkeypatch.setattr("voicetools.runtime.session.build_llm", lambda *a, **k: llm)
    monkeypatch.setattr("voicetools.runtime.voice_session.load_speech", lambda *a, **k: speech)
    return stt


def _caller(rate: int) -> np.ndarray:
    quiet = np.zeros(rate, np.float32)
    return np.concatenate([quiet, tone(440.0, 1.5, rate), quiet, quiet, quiet])


@pytest.mark.parametrize(
    ("subtype", "flags", "auto", "out_rate"),
    [
        ("ULAW", [], True, 8000),  # a G.711 recording turns the phone line on by itself
        ("ULAW", ["--no-phone"], False, 16000),
        ("PCM_16", ["--phone"], False, 8000),  # asked for: no note that it was automatic
    ],
)
def test_a_phone_recording_runs_the_call_and_writes_it_at_8_khz(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    subtype: str,
    flags: list[str],
    auto: bool,
    out_rate: int,
) -> None:
    stt = _fake_call(monkeypatch)
    caller, output = tmp_path / "caller.wav", tmp_path / "call.wav"
    soundfile.write(str(caller), _caller(8000), 8000, subtype=subtype, format="WAV")
    if subtype == "PCM_16":  # a 16 kHz file, so that only --phone turns the line on
        soundfile.write(str(caller), _caller(16000), 16000, subtype=subtype, format="WAV")
    args = ["call", AGENT, "--input", str(caller), "--output", str(output), "--fast", *flags]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert ("phone line: " in result.output) == auto, result.output
    if auto:
        assert f"{caller} is 8 kHz mu-law mono" in result.output
    assert "caller  what are your hours" in result.output
    assert abs(dominant_hz(stt.heard[0]) - 440) < 5  # heard at the loop's 16 kHz
    info = soundfile.info(str(output))
    assert info.samplerate == out_rate and info.channels == 1
    written, _ = soundfile.read(str(output), dtype="float32")
    assert abs(dominant_hz(written[int(4 * out_rate) :], out_rate) - 1000) < 5  # the agent


@pytest.mark.parametrize(("channel", "heard"), [("left", False), ("right", True), ("mix", True)])
def test_the_channel_choice_picks_the_callers_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, channel: str, heard: bool
) -> None:
    _fake_call(monkeypatch)
    voice = _caller(8000)
    caller, output = tmp_path / "caller.wav", tmp_path / "call.wav"
    both = np.stack([np.zeros_like(voice), voice], axis=1)  # the caller on the right only
    soundfile.write(str(caller), both, 8000, subtype="ALAW", format="WAV")
    args = ["call", AGENT, "-i", str(caller), "-o", str(output), "--fast", "--channel", channel]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert "8 kHz A-law stereo" in result.output
    assert ("caller  what are your hours" in result.output) == heard, result.output


def test_a_broken_recording_is_one_line(tmp_path: Path) -> None:
    caller = tmp_path / "caller.wav"
    caller.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    result = run_cli("call", AGENT, "--input", str(caller), "--output", str(tmp_path / "o.wav"))
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"{caller}:1:1: cannot read file: not a WAV recording (")


def test_phone_is_for_recordings_only() -> None:
    result = run_cli("call", AGENT, "--mic", "--phone")
    assert result.exit_code == 2 and "--phone applies to an --input recording" in result.output


def test_a_transcript_dropped_as_unsafe_is_in_the_transcript_file_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looped = "Cancel order 4521 " + " ".join(["please"] * 27)
    _fake_call(monkeypatch, heard=looped)
    caller, output, transcript = (tmp_path / name for name in ("in.wav", "out.wav", "t.jsonl"))
    soundfile.write(str(caller), _caller(16000), 16000, subtype="PCM_16", format="WAV")
    args = ["call", AGENT, "-i", str(caller), "-o", str(output), "--fast"]
    result = run_cli(*args, "--transcript", str(transcript))
    assert result.exit_code == 0, result.output
    assert "(ignored 'Cancel order 4521 please" in result.output
    assert f"agent   {SAY_AGAIN}" in result.output
    records = [json.loads(line) for line in transcript.read_text().splitlines()]
    (dropped,) = [r for r in records if r["type"] == "ignored"]
    assert dropped["text"] == looped and dropped["check"] == "repetition"
    assert dropped["reason"] == "repetition loop: 'please' x27"
    assert [r["type"] for r in records].count("user") == 0
    assert not any(r["type"] in ("tool_call", "action") for r in records)
    assert [r["text"] for r in records if r["type"] == "agent"][1] == SAY_AGAIN
