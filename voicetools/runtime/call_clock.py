"""The call's timeline clock: real time, or real time only while the machine is working.

A recorded call (`voicetools call --input`) must come out exactly as it would have sounded, so
every processing delay (STT, the model, TTS, a slow tool) must land on the timeline as the
seconds it really took on this machine. Waiting is different: the caller's next words arriving,
the agent's audio playing out, a long silence. `CallClock(fast=True)` keeps the first and skips
the second: while the voice loop says it is busy (`working()`), time is the wall clock; while it
is idle, `skip()` jumps straight to the next moment anything happens. `fast=False` never skips,
so the call takes as long as it lasts.

The voice loop drives any `Timeline` the same way, so tests pass a `VirtualClock` and run a
minute of call in milliseconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

from voicetools.dialogue import Clock


class Timeline(Clock, Protocol):
    """The clock a call runs on: one that also skips idle time and starts with the call."""

    def advance(self, seconds: float) -> float: ...

    def reset(self) -> None: ...


class CallClock:
    """Seconds since the call started; `advance` skips idle time (see the module docstring)."""

    def __init__(self, *, base: Callable[[], float] = time.monotonic) -> None:
        self._base = base
        self._t0 = base()
        self._skipped = 0.0

    def reset(self) -> None:
        """Time zero is now: the call starts (after the models have loaded)."""
        self._t0 = self._base()
        self._skipped = 0.0

    def now(self) -> float:
        return self._base() - self._t0 + self._skipped

    def advance(self, seconds: float) -> float:
        """Jump `seconds` ahead without waiting (idle time in fast mode); returns the new time."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._skipped += seconds
        return self.now()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
