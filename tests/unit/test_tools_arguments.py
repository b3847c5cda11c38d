"""Arguments are checked against the schema before any side effect, with a safe message."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tool_support import CARD, probe_runner, run_one

from voicetools.tools.arguments import problems, validator_for
from voicetools.tools.base import ErrorCategory, ToolCall


@pytest.mark.parametrize(
    ("arguments", "detail"),
    [
        ({}, "note is required"),
        ({"note": 5}, "note must be of type string"),
        ({"note": "x", "priority": "urgent"}, "priority must be one of: low, medium, high"),
        ({"note": "x", "when": "tomorrow"}, "when must be a date (YYYY-MM-DD)"),
        ({"note": "x", "when": "2026-02-30"}, "when must be a date (YYYY-MM-DD)"),
        ({"note": "x", "when": "2026-05-01\n"}, "when must be a date (YYYY-MM-DD)"),
        ({"note": "x", "when": "20260501"}, "when must be a date (YYYY-MM-DD)"),
    ],
)
def test_invalid_arguments_touch_nothing(
    probe_log: Path, arguments: dict[str, Any], detail: str
) -> None:
    result = run_one(probe_runner(), "record_note", **arguments)
    assert result.category is ErrorCategory.INVALID_ARGUMENTS
    assert result.payload["error"] == "invalid_arguments"
    assert result.payload["detail"] == detail
    assert result.attempts == 0
    assert probe_log.read_text() == ""  # no side effect


def test_valid_arguments_do_run(probe_log: Path) -> None:
    result = run_one(probe_runner(), "record_note", note="x", when="2026-05-01", priority="high")
    assert result.ok
    assert probe_log.read_text() == "x|2026-05-01|high\n"


def test_several_problems_are_listed_and_values_never_echoed(probe_log: Path) -> None:
    result = run_one(
        probe_runner(), "record_note", note=CARD.replace(" ", ""), when=CARD, priority=7
    )
    detail = result.payload["detail"]
    assert "when must be a date" in detail and "priority must be" in detail
    assert "4111" not in detail
    assert probe_log.read_text() == ""


def test_arguments_must_be_an_object() -> None:
    runner = probe_runner()
    result = asyncio.run(runner.run(ToolCall("record_note", ["x"])))  # type: ignore[arg-type]
    assert result.payload["detail"] == "arguments must be a JSON object"


def test_unknown_function_is_an_error_result() -> None:
    result = run_one(probe_runner(), "drop_database", table="users")
    assert result.payload["error"] == "unknown_function"
    assert result.category is ErrorCategory.UNKNOWN


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("10:30", True),
        ("23:59:59", True),
        ("09:00+02:00", True),
        ("24:00", False),
        ("9:30", False),
        ("10:30 pm", False),
        ("10:30\n", False),
    ],
)
def test_time_format(value: str, ok: bool) -> None:
    schema = {"type": "object", "properties": {"t": {"type": "string", "format": "time"}}}
    assert (problems(validator_for(schema), {"t": value}) == []) is ok


def test_nested_fields_are_named() -> None:
    schema = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "integer"}}},
        "additionalProperties": False,
    }
    found = problems(validator_for(schema), {"items": [1, "two"], "extra": True})
    assert "items[1] must be of type integer" in found
    assert "unexpected argument extra" in found


def test_validation_happens_before_confirmation(probe_log: Path) -> None:
    runner = probe_runner()
    result = run_one(runner, "delete_note", note=3)
    assert result.category is ErrorCategory.INVALID_ARGUMENTS
    assert runner.pending is None
