"""Hostile Python handlers in real worker processes: every one becomes a result on time.

The handlers are in tests/data/hostile_handlers/. Each test checks the result, the time it
took (elapsed < timeout + 1.5 s: correctness, not a benchmark), and that the next call on the
same executor still works. Processes are real: a killed worker is really gone.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from worker_support import (
    MARGIN_S,
    TIMEOUT_S,
    call,
    gone_soon,
    next_call_works,
    posix_only,
    session,
    timed,
)

from voicetools.tools.base import ErrorCategory, ToolResult
from voicetools.tools.python import PythonExecutor

# -- handlers that never answer: killed at the deadline ------------------------------------


@pytest.mark.parametrize(
    "handler", ["busy_loop", "long_c_call", "blocks_event_loop", "prints_then_hangs"]
)
def test_a_handler_that_never_answers_times_out_on_time_and_its_worker_is_replaced(
    handler: str,
) -> None:
    async def scenario(executor: PythonExecutor) -> None:
        before = executor.pool.pids
        result = await timed(executor, handler)
        assert result.category is ErrorCategory.TEMPORARY
        assert result.payload["error"] == "handler_timeout" and result.attempts == 1
        assert all(gone_soon(pid) for pid in before)  # the stuck worker was killed
        assert await next_call_works(executor) not in before

    session(scenario)


def test_what_a_hung_handler_printed_is_kept_for_the_log() -> None:
    # A longer deadline than the other cases: on a loaded machine the handler may not reach its
    # print within 0.8 s, and then there is nothing to keep (seen in a full run at load 5).
    async def scenario(executor: PythonExecutor) -> ToolResult:
        started = time.monotonic()
        result = await call(executor, "prints_then_hangs", timeout_s=3.0)
        assert time.monotonic() - started < 3.0 + MARGIN_S
        return result

    result = session(scenario)
    assert result.payload["error"] == "handler_timeout"
    assert "HANDLER-BEFORE-HANG" in result.detail["output"]


def test_a_module_whose_import_hangs_times_out() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        started = time.monotonic()
        result = await call(executor, "never", "hangs_on_import.py")
        assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
        assert result.payload["error"] == "handler_timeout"
        await next_call_works(executor)

    session(scenario)


# -- handlers that end their process --------------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "module"), [("exits_hard", "hostile.py"), ("never", "exits_on_import.py")]
)
def test_a_handler_that_ends_its_process_is_a_crash_result(handler: str, module: str) -> None:
    async def scenario(executor: PythonExecutor) -> None:
        started = time.monotonic()
        result = await call(executor, handler, module)
        assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
        assert result.category is ErrorCategory.UNKNOWN
        assert result.payload["error"] == "handler_crashed"
        assert "exit code" in result.payload["detail"]
        assert result.payload["message"] == "Something went wrong on our side."
        await next_call_works(executor)

    session(scenario)


@pytest.mark.parametrize(
    ("handler", "exception"),
    [
        ("raises_system_exit", "SystemExit"),
        ("raises_keyboard_interrupt", "KeyboardInterrupt"),
        ("raises_cancelled", "CancelledError"),
        ("raises_system_exit_async", "SystemExit"),
        ("raises_keyboard_interrupt_async", "KeyboardInterrupt"),
        ("raises_cancelled_async", "CancelledError"),
        ("cancels_itself", "CancelledError"),
        ("reads_stdin", None),
    ],
)
def test_base_exceptions_are_handler_failures_and_the_worker_lives_on(
    handler: str, exception: str | None
) -> None:
    async def scenario(executor: PythonExecutor) -> None:
        pids = executor.pool.pids
        result = await timed(executor, handler)
        if exception is None:  # stdin is the null device: reading it ends at once
            assert result.ok and result.payload == {"read": ""}
        else:
            assert result.category is ErrorCategory.UNKNOWN
            assert result.payload["error"] == "handler_failed"
            assert result.payload["detail"] == exception
            assert exception in result.detail["traceback"]
        assert await next_call_works(executor) in pids  # the same warm worker

    session(scenario)


# -- output: never on the CLI's stdout, kept for the log -----------------------------------


def test_what_a_handler_prints_is_captured_per_call() -> None:
    async def scenario(executor: PythonExecutor) -> tuple[ToolResult, ToolResult]:
        first = await call(executor, "prints", text="one")
        second = await call(executor, "echo", text="quiet")
        return first, second

    first, second = session(scenario)
    assert first.ok and first.payload == {"printed": True}
    output = first.detail["output"]
    for line in ("HANDLER-PRINT one", "HANDLER-STDERR one", "HANDLER-FD1", "HANDLER-FD2"):
        assert line in output
    assert "output" not in second.detail


def test_a_flood_of_output_is_capped_and_does_not_stall_the_call() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await timed(executor, "prints_a_lot")

    result = session(scenario)
    assert result.ok or result.payload["error"] == "handler_timeout"
    output = result.detail.get("output", "")
    assert len(output) < 5000
    if result.ok:
        assert "…[truncated" in output


def test_a_handler_that_closes_its_stdout_does_not_break_the_worker() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        result = await timed(executor, "closes_stdout")
        assert result.ok and result.payload == {"closed": True}
        await next_call_works(executor)

    session(scenario)


# -- forks -----------------------------------------------------------------------------------


@posix_only
def test_a_forked_child_never_answers_for_the_worker() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        for _ in range(3):
            result = await timed(executor, "forks_and_returns")
            assert result.ok and result.payload["child"] > 0
        pids = {await next_call_works(executor) for _ in range(3)}
        assert len(pids) == 1  # every answer came from the worker itself

    session(scenario)


@posix_only
def test_processes_a_hung_handler_forked_die_with_its_worker(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"

    async def scenario(executor: PythonExecutor) -> None:
        result = await timed(executor, "forks_then_hangs", pid_file=str(pid_file))
        assert result.payload["error"] == "handler_timeout"

    session(scenario)
    assert gone_soon(int(pid_file.read_text()))
