"""Handler results in real worker processes (bounded JSON, capped) and the pool itself.

Warm workers, parallel calls, cancellation and shutdown with no process left behind.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from worker_support import (
    HOSTILE,
    STARTUP_S,
    alive,
    call,
    gone_soon,
    hostile_function,
    next_call_works,
    session,
    timed,
)

from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult
from voicetools.tools.python import RESULT_BYTES, PythonExecutor
from voicetools.tools.redact import Redactor

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
        result = await timed(executor, handler, **arguments)
        await next_call_works(executor)
        return result

    result = session(scenario)
    assert result.category is ErrorCategory.UNKNOWN
    assert result.payload["error"] == "invalid_result"
    assert why in result.payload["detail"]


def test_nesting_within_the_bound_is_a_value() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await call(executor, "returns_nested", levels=40)

    result = session(scenario)
    assert result.ok and str(result.payload).count("[") == 40


@pytest.mark.parametrize("size", [RESULT_BYTES * 2, RESULT_BYTES * 10, 5_000_000])
def test_large_results_are_capped_with_the_http_truncation_marker(size: int) -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await timed(executor, "returns_big", size=size)

    result = session(scenario)
    assert result.ok
    assert result.payload["truncated"] is True
    assert result.payload["total_bytes"] == size + len('{"blob":""}')
    assert len(result.payload["partial"].encode()) == RESULT_BYTES
    assert result.payload["partial"].startswith('{"blob":"yyy')


def test_a_small_result_is_not_capped() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await call(executor, "returns_big", size=100)

    assert session(scenario).payload == {"blob": "y" * 100}


def test_an_error_mapping_with_a_large_detail_is_still_a_failure() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        return await call(executor, "returns_big_error", size=RESULT_BYTES * 2)

    result = session(scenario)
    assert result.category is ErrorCategory.NOT_FOUND and result.spoken == "No such thing."


# -- the pool: warm, parallel, closed --------------------------------------------------------


def test_the_worker_is_kept_warm_and_imports_a_handler_once() -> None:
    async def scenario(executor: PythonExecutor) -> list[Any]:
        return [(await call(executor, "keeps_state")).payload for _ in range(3)]

    payloads = session(scenario)
    assert [p["calls"] for p in payloads] == [1, 2, 3]
    assert len({p["pid"] for p in payloads}) == 1


def test_parallel_calls_do_not_wait_for_a_hung_one() -> None:
    async def scenario(executor: PythonExecutor) -> list[ToolResult]:
        hung = asyncio.ensure_future(call(executor, "busy_loop", timeout_s=STARTUP_S))
        await asyncio.sleep(0.1)
        quick = [
            await call(executor, "sleeps", timeout_s=STARTUP_S, seconds=0.05) for _ in range(3)
        ]
        assert not hung.done()  # they answered while the busy loop still held its worker
        hung.cancel()
        return quick

    quick = session(scenario)
    assert all(r.ok for r in quick)


def test_more_parallel_calls_than_workers_all_answer_within_their_deadlines() -> None:
    async def scenario(executor: PythonExecutor) -> tuple[float, list[ToolResult]]:
        started = time.monotonic()
        calls = [
            executor.execute(hostile_function("sleeps"), ToolCall("sleeps", {"seconds": 0.2}), 5.0)
            for _ in range(8)
        ]
        results = await asyncio.gather(*calls)
        return time.monotonic() - started, results

    elapsed, results = session(scenario)
    assert all(r.ok for r in results), [r.payload for r in results]
    assert len({r.payload["pid"] for r in results}) <= 4
    assert elapsed < 5.0


def test_aclose_stops_every_worker_and_leaves_no_zombie(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"

    async def scenario() -> list[int]:
        executor = PythonExecutor(HOSTILE)
        sleeps = hostile_function("sleeps")
        calls = (executor.execute(sleeps, ToolCall("s", {"seconds": 0.3}), 5.0) for _ in range(3))
        assert all(result.ok for result in await asyncio.gather(*calls))
        if os.name == "posix":
            await call(executor, "forks_a_sleeper", pid_file=str(pid_file))
        pids = executor.pool.pids
        assert len(pids) >= 2 and all(alive(pid) for pid in pids)
        await executor.aclose()
        return pids

    pids = asyncio.run(scenario())
    for pid in pids:
        assert not alive(pid), pid
        if os.name == "posix":
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # already reaped: not a zombie of ours
    if os.name == "posix":
        assert gone_soon(int(pid_file.read_text()))


def test_the_worker_runs_the_same_interpreter_and_path() -> None:
    async def scenario(executor: PythonExecutor) -> ToolResult:
        function = Function(
            "f", "d", {"type": "object"}, kind="python", python="sys:getrecursionlimit"
        )
        return await executor.execute(function, ToolCall("f", {}), 5.0)

    assert session(scenario).payload == sys.getrecursionlimit()


def test_a_cancelled_call_kills_its_worker() -> None:
    async def scenario(executor: PythonExecutor) -> None:
        hung = asyncio.ensure_future(call(executor, "busy_loop", timeout_s=STARTUP_S))
        await asyncio.sleep(0.3)
        pids = executor.pool.pids
        hung.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hung
        assert all(gone_soon(pid) for pid in pids)
        await next_call_works(executor)

    session(scenario)


@pytest.mark.parametrize("back", [3, 9, 14])
def test_a_secret_the_cap_would_cut_in_half_is_masked_first(back: int) -> None:
    # The cap keeps RESULT_BYTES of the compact JSON; `back` characters of the secret fit.
    secret = "sk-live-4f9a2c7e1b"
    offset = RESULT_BYTES - len('{"blob":"') - back

    async def go() -> ToolResult:
        executor = PythonExecutor(HOSTILE, redactor=Redactor([secret]))
        try:
            spec = hostile_function("returns_a_secret_at")
            arguments = {"offset": offset, "secret": secret}
            call_ = ToolCall("returns_a_secret_at", arguments, "c1")
            return await executor.execute(spec, call_, STARTUP_S)
        finally:
            await executor.aclose()

    result = asyncio.run(go())
    assert result.payload["truncated"] is True
    partial = result.payload["partial"]
    assert "sk-" not in partial and partial.endswith("y" + ("[REDACTED]" + "y" * 40)[:back])
