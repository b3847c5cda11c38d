"""Helpers for the worker tests: hostile handlers called through a real PythonExecutor.

Plain functions rather than conftest fixtures, like `tool_support`, so nothing is shared
implicitly with the other test modules of this folder.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from voicetools.spec.model import Function
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.python import PythonExecutor

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile_handlers"
TIMEOUT_S = 0.8
MARGIN_S = 1.5
STARTUP_S = 10.0
"""For calls that may have to start a worker first (slow on a loaded machine)."""
posix_only = pytest.mark.skipif(os.name != "posix", reason="os.fork and process groups are POSIX")

T = TypeVar("T")


def hostile_function(handler: str, module: str = "hostile.py") -> Function:
    return Function(
        name=handler,
        description="d",
        parameters={"type": "object"},
        kind="python",
        python=f"{module}:{handler}",
        timeout_ms=int(TIMEOUT_S * 1000),
    )


async def call(
    executor: PythonExecutor,
    handler: str,
    module: str = "hostile.py",
    timeout_s: float = TIMEOUT_S,
    **arguments: Any,
) -> ToolResult:
    spec = hostile_function(handler, module)
    return await executor.execute(spec, ToolCall(handler, arguments, "c1"), timeout_s)


def session(scenario: Callable[[PythonExecutor], Awaitable[T]]) -> T:
    """Run `scenario` with a fresh executor (warmed up first), closing it afterwards."""

    async def go() -> T:
        executor = PythonExecutor(HOSTILE)
        try:
            warm = await call(executor, "echo", timeout_s=STARTUP_S, text="warm")
            assert warm.ok, warm.payload
            return await scenario(executor)
        finally:
            await executor.aclose()

    return asyncio.run(go())


async def timed(executor: PythonExecutor, handler: str, **arguments: Any) -> ToolResult:
    started = time.monotonic()
    result = await call(executor, handler, **arguments)
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT_S + MARGIN_S, (handler, elapsed)
    return result


async def next_call_works(executor: PythonExecutor) -> int:
    after = await call(executor, "echo", timeout_s=STARTUP_S, text="after")
    assert after.ok and after.payload["echo"] == "after", after.payload
    return int(after.payload["pid"])


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        return "\nState:\tZ" not in status.read_text()
    return True


def gone_soon(pid: int) -> bool:
    deadline = time.monotonic() + 3.0
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)
