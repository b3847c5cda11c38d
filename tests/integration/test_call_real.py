"""The order-status call from the shipped recording, WAV in -> WAV out, with the real models.

The caller (agents/samples/order_status_caller.wav, espeak-ng: not the agent's Piper voice)
asks for order 4521 and says goodbye. The lookup is the agent's real Python handler, made to
take 1.5 s (`Fault(latency_ms=1500)`) as a real backend would, so the filler must be heard
before the answer. The reply audio is transcribed back with Whisper and must name the status.
Skips, saying why, when a model or package is missing.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date
from pathlib import Path

import pytest

from voicetools.errors import BackendError

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "agents" / "samples" / "order_status_caller.wav"


@pytest.fixture(scope="module")
def call(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, list[dict[str, object]]]:
    for module in ("faster_whisper", "piper", "llama_cpp", "onnxruntime"):
        pytest.importorskip(module, reason=f"{module} is not installed")
    from voicetools.audio.pcm import write_wav
    from voicetools.runtime.call_clock import CallClock
    from voicetools.runtime.session import build_engine
    from voicetools.runtime.voice_loop import VoiceOptions
    from voicetools.runtime.voice_session import build_voice_loop, load_speech, read_caller
    from voicetools.tools.faults import Fault

    options, clock = VoiceOptions(fast=True), CallClock()
    try:
        speech = load_speech()
        engine = build_engine(
            ROOT / "agents" / "order_support.yaml",
            today=date(2026, 5, 1),
            faults={"get_order_status": Fault(latency_ms=1500)},
            clock=clock,
            options=options.engine_options(),
        )
    except BackendError as exc:
        pytest.skip(f"a model is not available: {exc}")
    records: list[dict[str, object]] = []
    loop = build_voice_loop(engine, speech, clock=clock, options=options, emit=records.append)
    result = asyncio.run(loop.run(read_caller(SAMPLE).audio))
    out = tmp_path_factory.mktemp("call") / "call.wav"
    write_wav(out, result.audio(stereo_out=True), 16_000)
    (out.parent / "transcript.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    return (result, speech), records


def test_the_order_is_looked_up_with_the_spoken_number(call) -> None:
    _, records = call
    users = [r for r in records if r["type"] == "user"]
    assert users and "4521" in str(users[0]["text"]), users
    calls = [r for r in records if r["type"] == "tool_call"]
    assert calls and calls[0]["name"] == "get_order_status", records
    assert calls[0]["arguments"] == {"order_id": "4521"}


def _answers(records: list[dict]) -> list[dict]:
    """The agent's spoken answer after the tool result (not fillers or role-tagged lines)."""
    result_at = next(r["t"] for r in records if r["type"] == "tool_result")
    return [
        r
        for r in records
        if r["type"] == "agent"
        and "role" not in r
        and r["audio_start"] is not None
        and r["t"] >= result_at
    ]


def test_the_filler_is_heard_before_the_answer(call) -> None:
    _, records = call
    fillers = [r for r in records if r["type"] == "filler" and r["audio_start"] is not None]
    answers = _answers(records)
    assert fillers and answers, records
    assert fillers[0]["audio_end"] <= answers[0]["audio_start"]


def test_the_reply_audio_transcribes_back_to_the_status(call) -> None:
    (result, speech), records = call
    from voicetools.audio.pcm import resample

    agent = result.track.render(16_000)
    answers = _answers(records)
    start, end = answers[0]["audio_start"], answers[-1]["audio_end"]
    reply = agent[round(start * 16_000) : round(end * 16_000)]
    heard = speech.stt.transcribe(resample(reply, 16_000, 16_000))
    # A stem, not the whole word: whisper-base sometimes hears Piper's "shipped" as "ship".
    assert re.search(r"\bship", heard.text.lower()), (heard.text, answers)
