"""Hostile Python handlers in real worker processes: every one becomes a result on time.

The handlers are in tests/data/hostile_handlers/. Each test checks the result, the time it
took (elapsed < timeout + 1.5 s: correctness, not a benchmark), and that the next call on the
same executor still works. Processes are real: a killed worker is really gone.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult
from voicetools.tools.python import RESULT_BYTES, PythonExecutor

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile_handlers"
TIMEOUT_S = 0.8
MARGIN_S = 1.5
STARTUP_S = 10.0
"""For calls that may have to start a worker first (slow on a loaded machine)."""
posix_only = pytest.mark.skipif(os.name != "posix", reason="os.fork and process groups are POSIX")

T = TypeVar("T")


def _function(handler: str, module: str = "hostile.py") -> Function:
    return Function(
        name=handler,
        description="d",
        parameters={"type": "object"},
        kind="python",
        python=f"{module}:{handler}",
        timeout_ms=int(TIMEOUT_S * 1000),
    )


async def _call(
    executor: PythonExecutor,
    handler: str,
    module: str = "hostile.py",
    timeout_s: float = TIMEOUT_S,
    **arguments: Any,
) -> ToolResult:
    function = _function(handler, module)
    return await executor.execute(function, ToolCall(handler, arguments, "c1"), timeout_s)


def _session(scenario: Callable[[PythonExecutor], Awaitable[T]]) -> T:
    """Run `scenario` with a fresh executor (warmed up first), closing it afterwards."""

    async def go() -> T:
        executor = PythonExecutor(HOSTILE)
        try:
            warm = await _call(executor, "echo", timeout_s=STARTUP_S, text="warm")
            assert warm.ok, warm.payload
            return await scenario(executor)
        finally:
            await executor.aclose()

    return asyncio.run(go())


async def _timed(executor: PythonExecutor, handler: str, **arguments: Any) -> ToolResult:
    started = time.monotonic()
    result = await _call(executor, handler, **arguments)
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT_S + MARGIN_S, (handler, elapsed)
    return result


async def _next_call_works(executor: PythonExecutor) -> int:
    after = await _call(executor, "echo", timeout_s=STARTUP_S, text="after")
    assert after.ok and after.payload["echo"] == "after", after.payload
    return int(after.payload["pid"])


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        return "\nState:\tZ" not in status.read_text()
    return True


def _gone_soon(pid: int) -> bool:
    deadline = time.monotonic() + 3.0
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


# -- handlers that never answer: killed at the deadline ------------------------------------


@pytest.mark.parametrize(
    "handler", ["busy_loop", "long_c_call", "blocks_event_loop", "prints_then_hangs"]
)
def test_a_handler_that_never_answers_times_out_on_time_and_its_worker_is_replaced(
    handler: str,
) -> None:
    async def scenario(executor: PythonExecutor) -> None:
        before = executor.pool.pids
        result = await _timed(executor, handler)
        assert result.category is ErrorCategory.TEMPORARY
        assert result.payload["error"] == "handler_timeout" and result.attempts == 1
        assert all(_gone_soon(pid) for pid in before)  # the stuck worker was killed
        assert await _next_call_works(executor) not in before

    _session(scenario)


def test_what_a_hung_handler_printed_is_kept_for_the_log() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await _timed(executor, "prints_then_hangs")

    result = _session(scenario)
    assert result.payload["error"] == "handler_timeout"
    assert "HANDLER-BEFORE-HANG" in result.detail["output"]


def test_a_module_whose_import_hangs_times_out() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        started = time.monotonic()
        result = await _call(executor, "never", "hangs_on_import.py")
        assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
        assert result.payload["error"] == "handler_timeout"
        await _next_call_works(executor)

    _session(scenario)


# -- handlers that end their process --------------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "module"), [("exits_hard", "hostile.py"), ("never", "exits_on_import.py")]
)
def test_a_handler_that_ends_its_process_is_a_crash_result(handler: str, module: str) -> None:
    async def scenario(executor: PythonExecutor) -> None:
        started = time.monotonic()
        result = await _call(executor, handler, module)
        assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
        assert result.category is ErrorCategory.UNKNOWN
        assert result.payload["error"] == "handler_crashed"
        assert "exit code" in result.payload["detail"]
        assert result.payload["message"] == "Something went wrong on our side."
        await _next_call_works(executor)

    _session(scenario)


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
        result = await _timed(executor, handler)
        if exception is None:  # stdin is the null device: reading it ends at once
            assert result.ok and result.payload == {"read": ""}
        else:
            assert result.category is ErrorCategory.UNKNOWN
            assert result.payload["error"] == "handler_failed"
            assert result.payload["detail"] == exception
            assert exception in result.detail["traceback"]
        assert await _next_call_works(executor) in pids  # the same warm worker

    _session(scenario)


# -- output: never on the CLI's stdout, kept for the log -----------------------------------


def test_what_a_handler_prints_is_captured_per_call() -> None:
    async def scenario(executor: PythonExecutor) -> tuple[ToolResult, ToolResult]:
        first = await _call(executor, "prints", text="one")
        second = await _call(executor, "echo", text="quiet")
        return first, second

    first, second = _session(scenario)
    assert first.ok and first.payload == {"printed": True}
    output = first.detail["output"]
    for line in ("HANDLER-PRINT one", "HANDLER-STDERR one", "HANDLER-FD1", "HANDLER-FD2"):
        assert line in output
    assert "output" not in second.detail


def test_a_flood_of_output_is_capped_and_does_not_stall_the_call() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await _timed(executor, "prints_a_lot")

    result = _session(scenario)
    assert result.ok or result.payload["error"] == "handler_timeout"
    output = result.detail.get("output", "")
    assert len(output) < 5000
    if result.ok:
        assert "…[truncated" in output


def test_a_handler_that_closes_its_stdout_does_not_break_the_worker() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        result = await _timed(executor, "closes_stdout")
        assert result.ok and result.payload == {"closed": True}
        await _next_call_works(executor)

    _session(scenario)


# -- forks -----------------------------------------------------------------------------------


@posix_only
def test_a_forked_child_never_answers_for_the_worker() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        for _ in range(3):
            result = await _timed(executor, "forks_and_returns")
            assert result.ok and result.payload["child"] > 0
        pids = {await _next_call_works(executor) for _ in range(3)}
        assert len(pids) == 1  # every answer came from the worker itself

    _session(scenario)


@posix_only
def test_processes_a_hung_handler_forked_die_with_its_worker(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"

    async def scenario(executor: PythonExecutor) -> None:
        result = await _timed(executor, "forks_then_hangs", pid_file=str(pid_file))
        assert result.payload["error"] == "handler_timeout"

    _session(scenario)
    assert _gone_soon(int(pid_file.read_text()))


# -- results: JSON, bounded ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "arguments", "why"),
    [
        ("returns_nan", {}, "NaN"),
        ("returns_nested", {"levels": 300}, "nested"),
        ("returns_nested", {"levels": 5000}, "nested"),
        ("returns_a_cycle", {}, "nested"),
        ("returns_an_object", {}, "dict"),
    ],
)
def test_values_that_are_not_safe_json_are_invalid_results(
    handler: str, arguments: dict[str, Any], why: str
) -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        result = await _timed(executor, handler, **arguments)
        await _next_call_works(executor)
        return result

    result = _session(scenario)
    assert result.category is ErrorCategory.UNKNOWN
    assert result.payload["error"] == "invalid_result"
    assert why in result.payload["detail"]


def test_nesting_within_the_bound_is_a_value() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await _call(executor, "returns_nested", levels=40)

    result = _session(scenario)
    assert result.ok and str(result.payload).count("[") == 40


@pytest.mark.parametrize("size", [RESULT_BYTES * 2, RESULT_BYTES * 10, 5_000_000])
def test_large_results_are_capped_with_the_http_truncation_marker(size: int) -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await _timed(executor, "returns_big", size=size)

    result = _session(scenario)
    assert result.ok
    assert result.payload["truncated"] is True
    assert result.payload["total_bytes"] == size + len('{"blob":""}')
    assert len(result.payload["partial"].encode()) == RESULT_BYTES
    assert result.payload["partial"].startswith('{"blob":"yyy')


def test_a_small_result_is_not_capped() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await _call(executor, "returns_big", size=100)

    assert _session(scenario).payload == {"blob": "y" * 100}


def test_an_error_mapping_with_a_large_detail_is_still_a_failure() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await _call(executor, "returns_big_error", size=RESULT_BYTES * 2)

    result = _session(scenario)
    assert result.category is ErrorCategory.NOT_FOUND and result.spoken == "No such thing."


# -- the pool: warm, parallel, closed --------------------------------------------------------


def test_the_worker_is_kept_warm_and_imports_a_handler_once() -> None:
    async def scenario(executor: PythonExecutor) -> list[Any]:
        return [(await _call(executor, "keeps_state")).payload for _ in range(3)]

    payloads = _session(scenario)
    assert [p["calls"] for p in payloads] == [1, 2, 3]
    assert len({p["pid"] for p in payloads}) == 1


def test_parallel_calls_do_not_wait_for_a_hung_one() -> None:
    async def scenario(executor: PythonExecutor) -> list[ToolResult]:
        hung = asyncio.ensure_future(_call(executor, "busy_loop", timeout_s=STARTUP_S))
        await asyncio.sleep(0.1)
        quick = [
            await _call(executor, "sleeps", timeout_s=STARTUP_S, seconds=0.05) for _ in range(3)
        ]
        assert not hung.done()  # they answered while the busy loop still held its worker
        hung.cancel()
        return quick

    quick = _session(scenario)
    assert all(r.ok for r in quick)


def test_more_parallel_calls_than_workers_all_answer_within_their_deadlines() -> None:
    async def scenario(executor: PythonExecutor) -> tuple[float, list[ToolResult]]:
        started = time.monotonic()
        calls = [
            executor.execute(_function("sleeps"), ToolCall("sleeps", {"seconds": 0.2}), 5.0)
            for _ in range(8)
        ]
        results = await asyncio.gather(*calls)
        return time.monotonic() - started, results

    elapsed, results = _session(scenario)
    assert all(r.ok for r in results), [r.payload for r in results]
    assert len({r.payload["pid"] for r in results}) <= 4
    assert elapsed < 5.0


def test_aclose_stops_every_worker_and_leaves_no_zombie(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"

    async def scenario() -> list[int]:
        executor = PythonExecutor(HOSTILE)
        sleeps = _function("sleeps")
        calls = (executor.execute(sleeps, ToolCall("s", {"seconds": 0.3}), 5.0) for _ in range(3))
        assert all(result.ok for result in await asyncio.gather(*calls))
        if os.name == "posix":
            await _call(executor, "forks_a_sleeper", pid_file=str(pid_file))
        pids = executor.pool.pids
        assert len(pids) >= 2 and all(_alive(pid) for pid in pids)
        await executor.aclose()
        return pids

    pids = asyncio.run(scenario())
    for pid in pids:
        assert not _alive(pid), pid
        if os.name == "posix":
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # already reaped: not a zombie of ours
    if os.name == "posix":
        assert _gone_soon(int(pid_file.read_text()))


def test_the_worker_runs_the_same_interpreter_and_path() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        function = Function(
            "f", "d", {"type": "object"}, kind="python", python="sys:getrecursionlimit"
        )
        return await executor.execute(function, ToolCall("f", {}), 5.0)

    assert _session(scenario).payload == sys.getrecursionlimit()


def test_a_cancelled_call_kills_its_worker() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        hung = asyncio.ensure_future(_call(executor, "busy_loop", timeout_s=STARTUP_S))
        await asyncio.sleep(0.3)
        pids = executor.pool.pids
        hung.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hung
        assert all(_gone_soon(pid) for pid in pids)
        await _next_call_works(executor)

    _session(scenario)
