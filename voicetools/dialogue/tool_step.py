"""Run one tool call while the filler plan speaks: no dead air, and no noise for fast tools.

The tool runs as a task; this loop waits for whichever comes first, the result or the next
filler line's due time, on the engine's clock (so tests run in virtual time). Filler lines are
yielded as `Say(kind="filler")` events at their offsets, until the task is done.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Protocol

from voicetools.dialogue.clock import Clock
from voicetools.dialogue.events import Say
from voicetools.dialogue.filler import FillerPlan
from voicetools.tools import ToolCall, ToolResult


class Runs(Protocol):
    """What the engine needs of a tool runner (`voicetools.tools.runner.ToolRunner`)."""

    async def run(self, call: ToolCall) -> ToolResult: ...


async def run_with_filler(
    task: asyncio.Future[ToolResult], plan: FillerPlan, clock: Clock, turn_start: float
) -> AsyncIterator[Say]:
    """Yield filler `Say` events while the running tool call `task` is not done.

    The caller of this reads the result from `task` afterwards; if it stops reading early
    (barge-in), the task is left running: `Turn._call` lets it finish.
    """
    started = clock.now()
    try:
        while not task.done():
            due_at = plan.next_due_s()
            if due_at is None:
                await asyncio.wait({task})
                break
            wait_s = due_at - (clock.now() - started)
            if wait_s > 0:
                sleeper = asyncio.ensure_future(clock.sleep(wait_s))
                waits: set[asyncio.Future[Any]] = {task, sleeper}
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                sleeper.cancel()
                if task.done():
                    break
            for text in plan.due(clock.now() - started):
                yield Say(text, "filler", at_s=clock.now() - turn_start)
    finally:
        plan.finish()
