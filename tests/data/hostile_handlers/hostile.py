"""Handlers that misbehave in every way a worker process has to survive.

Used by tests/unit/test_python_worker.py.

Each one is named for what it does. `pid_file` arguments let a test find processes a handler
started, to prove they are gone after the runner closes.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from typing import Any


def echo(text: str = "") -> dict[str, object]:
    return {"echo": text, "pid": os.getpid()}


def busy_loop() -> None:
    while True:  # pure Python: holds the GIL between bytecodes, never sleeps
        pass


def long_c_call() -> object:
    # Catastrophic backtracking: one C call that never releases the GIL for minutes.
    return bool(re.match(r"(a+)+$", "a" * 64 + "b"))


async def blocks_event_loop() -> None:
    time.sleep(60)  # noqa: ASYNC251 - a sync sleep in an async handler: its event loop is stuck


def exits_hard() -> None:
    os._exit(7)


def prints(text: str = "") -> dict[str, object]:
    print(f"HANDLER-PRINT {text}")
    sys.stderr.write(f"HANDLER-STDERR {text}\n")
    os.write(1, b"HANDLER-FD1 raw write\n")
    os.write(2, b"HANDLER-FD2 raw write\n")
    return {"printed": True}


def prints_a_lot() -> dict[str, object]:
    for n in range(200_000):
        print(f"line {n} " + "x" * 80)
    return {"printed": "a lot"}


def prints_then_hangs() -> None:
    print("HANDLER-BEFORE-HANG")
    time.sleep(60)


def closes_stdout() -> dict[str, object]:
    sys.stdout.close()
    sys.stderr.close()
    return {"closed": True}


def reads_stdin() -> dict[str, object]:
    return {"read": sys.stdin.read()}


def forks_and_returns() -> dict[str, object]:
    # The child returns from this function too, into the worker's loop: it must never answer.
    child = os.fork()
    return {"child": child}


def forks_a_sleeper(pid_file: str) -> dict[str, object]:
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    with open(pid_file, "w", encoding="utf-8") as handle:
        handle.write(str(child))
    return {"child": child}


def forks_then_hangs(pid_file: str) -> None:
    forks_a_sleeper(pid_file)
    time.sleep(60)


def raises_system_exit() -> None:
    raise SystemExit(3)


def raises_keyboard_interrupt() -> None:
    raise KeyboardInterrupt


def raises_cancelled() -> None:
    raise asyncio.CancelledError


async def raises_system_exit_async() -> None:
    await asyncio.sleep(0)
    raise SystemExit(3)


async def raises_keyboard_interrupt_async() -> None:
    await asyncio.sleep(0)
    raise KeyboardInterrupt


async def raises_cancelled_async() -> None:
    await asyncio.sleep(0)
    raise asyncio.CancelledError


async def cancels_itself() -> None:
    task = asyncio.current_task()
    assert task is not None
    task.cancel()
    await asyncio.sleep(1)


def returns_nan() -> dict[str, object]:
    return {"price": float("nan"), "limit": float("inf")}


def returns_nested(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


def returns_a_cycle() -> list[object]:
    cycle: list[object] = []
    cycle.append(cycle)
    return cycle


def returns_an_object() -> object:
    return {"when": object()}


def returns_big(size: int) -> dict[str, object]:
    return {"blob": "y" * size}


def returns_big_error(size: int) -> dict[str, object]:
    return {"error": "not_found", "message": "No such thing.", "detail": "z" * size}


def keeps_state() -> dict[str, object]:
    STATE.append(1)
    return {"calls": len(STATE), "pid": os.getpid()}


STATE: list[int] = []


def sleeps(seconds: float) -> dict[str, object]:
    time.sleep(seconds)
    return {"slept": seconds, "pid": os.getpid()}


def returns_a_secret_at(offset: int, secret: str) -> dict[str, object]:
    """A large result with `secret` at `offset`: where the cap may cut it in half."""
    return {"blob": "y" * offset + secret + "y" * 40_000}
