"""Blocking work awaited from asyncio without lending it a thread the loop depends on.

`asyncio.to_thread` borrows the loop's default pool: work that never returns (a hung DNS
lookup, a handler stuck in C) keeps a pool thread forever, a few of them starve every later
`to_thread` call, and `asyncio.run` waits for them all before it returns. Here each piece of
work gets a daemon thread of its own; cancelling the await abandons the thread, which the
interpreter does not wait for at exit.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


async def in_daemon_thread(work: Callable[[], T], *, name: str = "voicetools-work") -> T:
    """Run `work` in a fresh daemon thread; its exception (an `Exception`) is re-raised here."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def settle(value: Any, exc: BaseException | None) -> None:
        if future.done():
            return
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(value)

    def target() -> None:
        value: Any = None
        exc: BaseException | None = None
        try:
            value = context.run(work)
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting task
            exc = error
            if not isinstance(error, Exception) or isinstance(error, StopIteration):
                # SystemExit and friends must not stop the event loop; StopIteration cannot
                # be set on a Future at all.
                exc = RuntimeError(f"the work raised {type(error).__name__}")
        try:
            loop.call_soon_threadsafe(settle, value, exc)
        except RuntimeError:
            log.debug("work finished after its event loop closed; result dropped")

    threading.Thread(target=target, name=name, daemon=True).start()
    return await future
