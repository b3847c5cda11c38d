"""A decision started before the caller's turn is confirmed: pure precomputation, no effects.

The voice loop hears the caller pause ~200 ms before the endpointer is sure the turn is over
(`audio.vad`, `speech_pause`). Waiting for that certainty and only then transcribing and asking
the model costs the whole decision on top of the silence, so the loop starts both at the pause
(preemptive generation, as in LiveKit Agents) and throws them away if the caller goes on.

What makes that safe: a `HeadStart` only *reads* the conversation (it asks the decider about a
`Situation` built from a copy of the history plus the hypothetical caller text) and buffers what
the decider yields, reply pieces, an `Intent` or a `Call`, as data. Nothing here appends to the
history, runs a tool or speaks. The engine adopts the buffer for a turn's first decision only
when that decision's `Situation` equals the one the head start was computed for (same text,
same history, same functions, same permission to call); with deterministic decoding the model
would have produced exactly the same items. Otherwise the head start is cancelled and the
decision is made afresh. A `Call` taken from a head start is checked and run by the confirmed
turn like any other, so a discarded head start never runs a tool.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from voicetools.dialogue.decision.decider import Item, Situation


class HeadStart:
    """Buffers one decision's items as the decider yields them; see the module docstring."""

    def __init__(self, situation: Situation, decision: AsyncGenerator[Item, None]) -> None:
        self.situation = situation
        """What the decision was asked about; adopted only for an equal situation."""
        self.items: list[Item] = []
        self._finished = False
        self.error: BaseException | None = None
        """An exception the decider raised (e.g. `Malformed`), re-raised by `replay`."""
        self._changed = asyncio.Event()
        self._task = asyncio.ensure_future(self._fill(decision))

    async def _fill(self, decision: AsyncGenerator[Item, None]) -> None:
        try:
            async for item in decision:
                self.items.append(item)
                self._changed.set()
        except Exception as exc:  # noqa: BLE001 - handed to whoever adopts the decision
            self.error = exc
        finally:
            self._finished = True
            self._changed.set()
            await decision.aclose()

    @property
    def done(self) -> bool:
        """The decision is complete, failed, or was cancelled (even before it started)."""
        return self._finished or self._task.done()

    async def replay(self) -> AsyncGenerator[Item, None]:
        """The decision's items: those buffered at once, then the rest as they come."""
        index = 0
        while True:
            if index < len(self.items):
                index += 1
                yield self.items[index - 1]
            elif self.done:
                if self.error is not None:
                    raise self.error
                return
            else:
                self._changed.clear()
                await self._changed.wait()

    def cancel(self) -> None:
        """Stop the decision (closing its stream stops the model) and drop what it made."""
        if not self._task.done():
            self._task.cancel()

    async def wait_cancelled(self) -> None:
        """Cancel, and return once the decision has let go of the model."""
        self.cancel()
        await asyncio.wait({self._task})
