"""`voicetools report`, and `--report` on `call` and `chat`, through CliRunner with fakes: the
page is written, holds the recording, and is drawn from the redacted records."""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from cli_support import run_cli
from typer.testing import CliRunner

from voicetools.audio.vad import Stateless, energy_probability
from voicetools.cli.app import app
from voicetools.runtime.transcript import TranscriptWriter
from voicetools.runtime.voice_session import SpeechStack
from voicetools.testing.fake_audio import FakeSTT, FakeTTS, tone
from voicetools.testing.scripted_llm import ScriptedLLM

ROOT = Path(__file__).resolve().parents[2]
AGENT = str(ROOT / "agents" / "order_support.yaml")
VOICE = ROOT / "tests" / "data" / "report" / "voice_call.jsonl"
CARD = "5555555555554444"
"""A test card number: every sink masks card numbers, so no page may show it."""


def _wav(path: Path, seconds: float = 0.25) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(int(8000 * seconds) * 2))
    return path


def test_report_writes_one_page_with_the_recording(tmp_path: Path) -> None:
    page, audio = tmp_path / "out" / "call.html", _wav(tmp_path / "call.wav")
    result = run_cli("report", str(VOICE), "-o", str(page), "--audio", str(audio))
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {page} (4 turns, 2 tool calls, with the recording)\n"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and 'src="data:audio/wav;base64,UklGR' in text


def test_audio_that_is_not_a_wav_is_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "call.wav"
    fake.write_bytes(b"ID3\x03 an mp3, really")
    page = tmp_path / "call.html"
    result = run_cli("report", str(VOICE), "-o", str(page), "--audio", str(fake))
    assert result.exit_code == 2 and not page.exists()
    assert result.output == f"{fake}:1:1: cannot embed: not a WAV file (no RIFF/WAVE header)\n"


def test_a_writer_without_a_path_only_keeps_the_records(tmp_path: Path) -> None:
    writer = TranscriptWriter(None)
    writer.write_data({"type": "end", "reason": "hangup", "t": 1.0})
    writer.close()
    assert writer.records == [{"type": "end", "reason": "hangup", "t": 1.0}]
    assert list(tmp_path.iterdir()) == []


def _fake_speech(monkeypatch: pytest.MonkeyPatch, heard: str) -> None:
    llm = ScriptedLLM([("hours", "We are open every weekday, from eight to six.")])
    stt = FakeSTT(tones={440.0: heard})
    speech = SpeechStack(stt, FakeTTS(tone_hz=1000.0), Stateless(energy_probability()), 0.0)
    monkeypatch.setattr("voicetools.runtime.session.build_llm", lambda *a, **k: llm)
    monkeypatch.setattr("voicetools.runtime.voice_session.load_speech", lambda *a, **k: speech)


def test_call_report_holds_the_call_audio_and_masks_what_the_caller_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_speech(monkeypatch, f"what are your hours, my card is {CARD}")
    caller, output, page = tmp_path / "caller.wav", tmp_path / "call.wav", tmp_path / "call.html"
    quiet = np.zeros(16000, np.float32)
    soundfile.write(str(caller), np.concatenate([quiet, tone(440.0, 1.5), quiet, quiet]), 16000)
    args = ["call", AGENT, "-i", str(caller), "-o", str(output), "--fast", "--report", str(page)]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert f"wrote {page} (1 turn, 0 tool calls, with the recording)" in result.output
    text = page.read_text(encoding="utf-8")
    assert CARD not in text and "[CARD]" in text
    assert 'data-kind="recording"' in text and "We are open every weekday" in text
    assert "<title>Call report: order-support (call)</title>" in text


def test_chat_report_without_a_transcript_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = ScriptedLLM().add("tool_response", "Your order has shipped.")
    llm.on_call("4521", "get_order_status", order_id="4521")

    def fake_build_llm(*args: Any, **kwargs: Any) -> ScriptedLLM:
        return llm

    monkeypatch.setattr("voicetools.runtime.session.build_llm", fake_build_llm)
    page = tmp_path / "chat.html"
    lines = f"where is order 4521\nmy card is {CARD}\n"
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    args = ["chat", AGENT, "--mock-tools", "--report", str(page)]
    result = CliRunner().invoke(app, args, input=lines, env=env)
    assert result.exit_code == 0, result.output
    assert f"wrote {page} (2 turns, 1 tool call)" in result.output
    text = page.read_text(encoding="utf-8")
    assert 'data-name="get_order_status"' in text and "Your order has shipped." in text
    assert CARD not in text and "[CARD]" in text and "<audio" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["chat.html"]


def test_test_report_writes_a_page_per_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scenario_support import order_llm, write_scenario

    from voicetools.cli import test_cmd
    from voicetools.scenario.parallel import ModelChoice

    monkeypatch.setattr(test_cmd, "model_choice", lambda m, u: ModelChoice(factory=order_llm))
    scenarios = """\
  - name: lookup then goodbye
    turns:
      - user: What's the status of order 4521?
        expect: {calls: [{name: get_order_status, arguments: {order_id: "4521"}}]}
      - user: Thanks, bye!
        expect: {ended: false}
"""
    path = write_scenario(tmp_path, scenarios)
    folder = tmp_path / "pages"
    result = run_cli("test", str(path), "--format", "json", "--report", str(folder))
    assert result.exit_code == 1  # the second turn's expectation is wrong on purpose
    json.loads(result.stdout)  # stdout is still only the JSON report
    assert f"voicetools: wrote 1 call page to {folder}" in result.stderr
    (page,) = folder.iterdir()
    assert page.name == f"001-{path.stem}-lookup-then-goodbye.html"
    text = page.read_text(encoding="utf-8")
    assert "<title>Call report: lookup then goodbye (failed)</title>" in text
    assert text.count('data-kind="turn"') == 2 and 'data-name="get_order_status"' in text
