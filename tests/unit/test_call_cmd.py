"""`voicetools call`: arguments, the no-sound-card message, and how records are displayed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run_cli

from voicetools.audio import devices
from voicetools.cli.call_cmd import describe
from voicetools.errors import BackendError

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
