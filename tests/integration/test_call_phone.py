"""`voicetools call --input` on an 8 kHz G.711 mu-law recording, through the CLI, real models.

The caller asks for order "four five two one" and says goodbye, laid out like the shipped
sample (benchmarks/make_caller_audio.py), at 8 kHz in G.711 mu-law, as a phone system records a
call. The command is given no `--phone`: the phone line must turn on by itself, the order number
must still be heard through it and looked up, and the call must be written at the line's 8 kHz.

The caller's voice is Piper's, not the shipped espeak-ng sample's: through the 300-3400 Hz band,
whisper-base heard that sample's "order 4521" as "order for 1,521" or "order 4,021" (with and
without a prompt), and 11 of 12 fresh espeak-ng takes got the number wrong too, where Piper's
were right every time (docs/decisions.md, "Listening with context"). Skips, saying why, when a
model or package is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from voicetools.backends.speech import BaseTTS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CALLER = ((4.5, "Hi, what's the status of order four five two one?"), (24.0, "Thanks, goodbye."))
"""(silence before, words), as in the shipped sample: time for the greeting, then the answer."""


def test_a_mu_law_phone_recording_is_heard_and_looked_up(tmp_path: Path) -> None:
    for module in ("faster_whisper", "piper", "llama_cpp", "onnxruntime", "soundfile"):
        pytest.importorskip(module, reason=f"{module} is not installed")
    import soundfile
    from typer.testing import CliRunner

    from benchmarks.make_caller_audio import conversation
    from voicetools.audio.pcm import resample
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.models import DEFAULT_LLM
    from voicetools.backends.piper import PiperTTS
    from voicetools.backends.speech_models import resolve_stt_model
    from voicetools.cli.app import app
    from voicetools.errors import BackendError

    try:  # the CLI would fail on a missing model; a test skips instead
        resolve_model(DEFAULT_LLM)
        resolve_stt_model(None)
        tts = PiperTTS()
    except BackendError as exc:
        pytest.skip(f"a model is not available: {exc}")
    said = [(pause, _spoken(tts, text)) for pause, text in CALLER]
    caller = tmp_path / "caller_ulaw.wav"
    soundfile.write(caller, resample(conversation(said), 16_000, 8000), 8000, subtype="ULAW")
    assert soundfile.info(caller).subtype == "ULAW"
    output, transcript = tmp_path / "call.wav", tmp_path / "call.jsonl"
    args = ["call", str(ROOT / "agents" / "order_support.yaml"), "--input", str(caller)]
    args += ["--output", str(output), "--transcript", str(transcript), "--fast"]
    args += ["--today", "2026-05-01"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output

    notices = [line for line in result.stdout.splitlines() if line.startswith("phone line:")]
    assert len(notices) == 1 and "8 kHz mu-law mono" in notices[0], result.stdout
    records = [json.loads(line) for line in transcript.read_text().splitlines()]
    users = [r for r in records if r["type"] == "user"]
    assert users and "4521" in str(users[0]["text"]), users
    calls = [r for r in records if r["type"] == "tool_call"]
    assert calls and calls[0]["name"] == "get_order_status", records
    assert calls[0]["arguments"] == {"order_id": "4521"}
    assert soundfile.info(output).samplerate == 8000


def _spoken(tts: BaseTTS, text: str) -> np.ndarray:
    """`text` in the Piper voice, float32 mono at 16 kHz."""
    from voicetools.audio.pcm import resample, to_float32

    chunks = list(tts.synthesize(text, clean=False))
    pcm = np.concatenate([to_float32(c.pcm) for c in chunks])
    return resample(pcm, chunks[0].sample_rate, 16_000)
