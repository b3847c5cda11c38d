"""Python handlers: sync, async, raising, hanging, non-JSON, error mappings, ToolError."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from tool_support import SECRET, call, probe_runner, run_one

from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory, ToolError
from voicetools.tools.python import PythonExecutor


def _function(python: str, timeout_ms: int = 1000) -> Function:
    return Function(
        name="fn",
        description="d",
        parameters={"type": "object"},
        kind="python",
        python=python,
        timeout_ms=timeout_ms,
    )


def test_sync_handler_returns_its_value() -> None:
    result = run_one(probe_runner(), "echo", text="ab", times=2)
    assert result.ok and result.payload == {"echo": "abab"}
    assert result.duration_ms >= 0 and result.attempts == 1


def test_async_handler_is_awaited() -> None:
    result = run_one(probe_runner(), "echo_async", text="hi")
    assert result.payload == {"echo": "hi", "async": True}


def test_raising_handler_gives_type_name_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBE_SECRET", SECRET)
    result = run_one(probe_runner(), "explode", text="x")
    assert result.category is ErrorCategory.UNKNOWN
    assert result.payload == {
        "error": "handler_failed",
        "category": "unknown",
        "detail": "ValueError",
        "message": "Something went wrong on our side.",
    }
    assert "Traceback" in result.detail["traceback"]  # kept for the logs...
    assert "/srv/db" not in json.dumps(result.payload)  # ...never for the model
    assert SECRET not in json.dumps(dict(result.detail))


@pytest.mark.parametrize("name", ["hang", "hang_async"])
def test_hanging_handler_returns_on_time(name: str) -> None:
    runner = probe_runner()
    started = time.monotonic()
    result = run_one(runner, name, text="x")  # asyncio.run returns: the thread is abandoned
    elapsed = time.monotonic() - started
    assert elapsed < 1.5, elapsed  # timeout_ms is 300; the handler sleeps 5 s
    assert result.category is ErrorCategory.TEMPORARY
    assert result.payload["error"] == "handler_timeout"


def test_non_json_return_is_an_error() -> None:
    result = run_one(probe_runner(), "not_json", text="x")
    assert result.category is ErrorCategory.UNKNOWN
    assert result.payload["error"] == "invalid_result"
    assert "object" not in result.payload["message"]


@pytest.mark.parametrize(
    ("error", "category"),
    [
        ("not_found", ErrorCategory.NOT_FOUND),
        ("temporary", ErrorCategory.TEMPORARY),
        ("permission", ErrorCategory.PERMISSION),
        ("unknown", ErrorCategory.UNKNOWN),
        ("missing_order_id", ErrorCategory.UNKNOWN),
        ("invalid_arguments", ErrorCategory.UNKNOWN),  # the runner's category, not a handler's
    ],
)
def test_error_mapping_is_a_failure_with_its_category(error: str, category: ErrorCategory) -> None:
    result = run_one(probe_runner(), "fail_with", error=error)
    assert not result.ok and result.category is category
    assert result.payload["error"] == error
    assert result.payload["category"] == category.value
    assert "row 42" not in json.dumps(result.payload)  # the handler's detail stays in the logs
    assert result.detail["handler_fields"] == {"detail": "internal: row 42 locked"}


def test_error_mapping_message_is_spoken() -> None:
    result = run_one(probe_runner(), "fail_with", error="not_found", message="No such note.")
    assert result.spoken == "No such note." and result.payload["message"] == "No such note."


def test_tool_error_chooses_category_and_message() -> None:
    result = run_one(probe_runner(), "refuse", text="x")
    assert result.category is ErrorCategory.PERMISSION
    assert result.payload == {
        "error": "not_signed_in",
        "category": "permission",
        "message": "You need to be signed in for that.",
    }
    assert ToolError("m", "temporary").code == "temporary"


def test_system_exit_in_a_handler_is_a_result() -> None:
    result = run_one(probe_runner(), "exit_process", text="x")
    assert result.category is ErrorCategory.UNKNOWN
    assert result.payload["error"] == "handler_failed"


def test_module_reference_and_extra_arguments_dropped() -> None:
    executor = PythonExecutor(Path.cwd())
    fn = _function("string:capwords")
    result = asyncio.run(executor.execute(fn, call("fn", s="hello world", bogus=1), 1.0))
    assert result.payload == "Hello World"


def test_missing_handler_is_an_error_result(tmp_path: Path) -> None:
    executor = PythonExecutor(tmp_path)
    for reference in ("nope.py:fn", "no_such_module_xyz:fn", "string:no_such_function"):
        result = asyncio.run(executor.execute(_function(reference), call("fn"), 1.0))
        assert result.payload["error"] == "handler_not_found", reference
        assert str(tmp_path) not in json.dumps(result.payload)


def test_file_handlers_are_imported_once_under_unique_names(tmp_path: Path) -> None:
    for folder, answer in (("a", 1), ("b", 2)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "tool.py").write_text(
            f"IMPORTS = []\nIMPORTS.append(1)\n\ndef fn():\n    return [{answer}, len(IMPORTS)]\n"
        )
    executor = PythonExecutor(tmp_path)

    async def scenario() -> list[object]:
        out = []
        for reference in ("a/tool.py:fn", "b/tool.py:fn", "a/tool.py:fn"):
            result = await executor.execute(_function(reference), call("fn"), 1.0)
            out.append(result.payload)
        return out

    assert asyncio.run(scenario()) == [[1, 1], [2, 1], [1, 1]]


def _flaky_handler(tmp_path: Path, failures: int, error: str = "temporary") -> PythonExecutor:
    """A handler failing `failures` times with `error`, then answering; attempts are counted."""
    (tmp_path / "flaky.py").write_text(
        "CALLS = []\n\n"
        "def fn():\n"
        "    CALLS.append(1)\n"
        f"    if len(CALLS) <= {failures}:\n"
        f"        return {{'error': '{error}', 'message': 'busy'}}\n"
        "    return {'calls': len(CALLS)}\n"
    )
    return PythonExecutor(tmp_path)


def test_a_temporary_failure_reported_by_the_handler_is_retried(tmp_path: Path) -> None:
    executor = _flaky_handler(tmp_path, failures=2)
    result = asyncio.run(executor.execute(_function("flaky.py:fn"), call("fn"), 2.0))
    assert result.ok and result.payload == {"calls": 3} and result.attempts == 3


def test_retries_stop_after_two_and_other_categories_are_not_retried(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    always = _flaky_handler(tmp_path / "a", failures=9)
    result = asyncio.run(always.execute(_function("flaky.py:fn"), call("fn"), 2.0))
    assert result.category is ErrorCategory.TEMPORARY and result.attempts == 3
    not_found = _flaky_handler(tmp_path / "b", failures=1, error="not_found")
    result = asyncio.run(not_found.execute(_function("flaky.py:fn"), call("fn"), 2.0))
    assert result.category is ErrorCategory.NOT_FOUND and result.attempts == 1


def test_a_timed_out_handler_is_not_retried() -> None:
    started = time.monotonic()
    result = run_one(probe_runner(), "hang", text="x")
    assert result.payload["error"] == "handler_timeout" and result.attempts == 1
    assert time.monotonic() - started < 1.5
