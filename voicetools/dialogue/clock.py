"""Time as a value that tests can move: the filler and timeout logic never sleeps on its own.

The pure dialogue logic takes "now" as an argument; the loops that drive it ask a `Clock`.
In production that is `MonotonicClock`; in tests `VirtualClock`, whose `advance()` moves time
forward instantly and wakes any `sleep()` whose deadline has come (the idea of livekit
agents' `virtual_time.py`), so a 3-second filler test runs in microseconds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol


class Clock(Protocol):
    """Seconds on a monotonic scale, and a way to wait for them."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class MonotonicClock:
    """The real clock (`time.monotonic`, `asyncio.sleep`)."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class VirtualClock:
    """A clock that only moves when told to; `sleep()` waits for `advance()` to pass it."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def reset(self) -> None:
        """Time zero is now (a call starts); sleepers keep the time they still have to wait."""
        shift, self._now = self._now, 0.0
        self._sleepers = [(due - shift, order, future) for due, order, future in self._sleepers]

    def advance(self, seconds: float) -> float:
        """Move time forward by `seconds` and wake every sleeper now due; returns the new time."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._now += seconds
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                future.set_result(None)
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Return once the clock has been advanced by at least `seconds`."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._order), future))
        await future

    @property
    def pending(self) -> int:
        """How many sleepers are waiting (handy in tests)."""
        return sum(1 for _, _, f in self._sleepers if not f.done())
