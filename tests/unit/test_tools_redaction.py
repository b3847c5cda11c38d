"""No secret value and no card number in any output: payload, detail, events, files, logs."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from tool_support import CARD, SECRET, call, probe_agent, probe_runner

from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.record import Recorder, ToolEvent
from voicetools.tools.secrets import secret_names


def _clean(text: str) -> None:
    assert SECRET not in text
    assert CARD not in text and CARD.replace(" ", "") not in text


def test_secret_names_come_from_the_agent() -> None:
    assert secret_names(probe_agent()) == ("PROBE_SECRET",)


def test_nothing_secret_leaves_the_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PROBE_SECRET", SECRET)  # the handlers read it from the process env
    caplog.set_level(logging.DEBUG)
    jsonl = tmp_path / "events.jsonl"
    runner = probe_runner(recorder=Recorder(jsonl), max_calls_per_turn=10)
    calls = [
        call("leak_secret", text=f"my card is {CARD}"),
        call("explode", text=SECRET),
        call("echo", text=SECRET),
        call("send_sms", message=f"{CARD} / {SECRET}"),
        call("fail_with", error=SECRET, message=f"key {SECRET}"),
        call("record_note", note=CARD, when=SECRET),  # invalid: rejected, still recorded
    ]

    async def scenario() -> list[ToolResult]:
        async with runner:
            return [await runner.run(c) for c in calls]

    results = asyncio.run(scenario())
    for result in results:
        _clean(json.dumps(result.payload))
        _clean(json.dumps(dict(result.detail), default=str))
        _clean(result.spoken)
        for action in result.actions:
            _clean(action.text)
    leaked = results[0].payload
    assert leaked["token"] == "[REDACTED]" and "[CARD]" in leaked["note"]

    events = runner.recorder.events
    assert len(events) == len(calls)
    for event in events:
        _clean(json.dumps(event.to_json()))
        _clean(event.line())
    assert "Traceback" in json.dumps(events[1].detail)  # the traceback is kept, redacted
    text = jsonl.read_text()
    assert len(text.splitlines()) == len(calls)
    _clean(text)
    _clean(caplog.text)


def test_event_of_redacts_by_construction() -> None:
    result = ToolResult(
        ToolCall("f", {"k": SECRET, "card": CARD}),
        {"v": [SECRET, {"n": CARD}]},
        detail={"url": f"https://x/?key={SECRET}"},
    )
    event = ToolEvent.of(result, started_at=0.0, secrets=[SECRET])
    _clean(json.dumps(event.to_json()))
    assert event.arguments == {"k": "[REDACTED]", "card": "[CARD]"}


def test_recorder_appends_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "events.jsonl"
    with Recorder(path) as recorder:
        for n in range(3):
            recorder.record(
                ToolEvent.of(ToolResult(ToolCall("f", {"n": n}), {"ok": True}), started_at=1.0)
            )
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["arguments"] for line in lines] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert set(lines[0]) >= {
        "name",
        "arguments",
        "result",
        "category",
        "ok",
        "duration_ms",
        "attempts",
        "started_at",
        "call_id",
    }
