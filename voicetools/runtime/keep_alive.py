"""No dead air in a tool turn: a short filler whenever the agent would stay silent too long.

The engine's filler plan (`dialogue.filler`) speaks when a tool starts, but only the voice loop
knows when that audio *ends*, and the silence a caller notices also covers the model writing
the answer after the result. So once a turn has called a tool, `KeepAlive` watches the agent
track: when nothing has sounded for `max_gap_s` (since the caller stopped, or since the last
agent audio ended, queued audio included) and the answer has not begun, it speaks one short
prepared phrase (`FillerPlanner.keep_alive`, never the same twice in a row). It stops for good
as soon as the answer, an error or a question arrives from the engine, before its synthesis
starts, so a filler never pushes back a sentence that is about to play.

The text chat has no timeline and does not use this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from voicetools.dialogue import Clock, FillerPlanner, Say
from voicetools.runtime.agent_track import AgentTrack
from voicetools.runtime.speaker import Speaker, Spoken


class KeepAlive:
    """Fills silences longer than `max_gap_s` until `stop()`; see the module docstring."""

    def __init__(
        self,
        *,
        speaker: Speaker,
        track: AgentTrack,
        planner: FillerPlanner,
        turn: int,
        quiet_from_s: float,
        max_gap_s: float,
        on_spoken: Callable[[Spoken], None],
    ) -> None:
        self.speaker, self.track, self.planner = speaker, track, planner
        self.turn, self.quiet_from_s, self.max_gap_s = turn, quiet_from_s, max_gap_s
        self.on_spoken = on_spoken
        self._task: asyncio.Task[None] | None = None

    @property
    def clock(self) -> Clock:
        return self.speaker.clock

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._watch())

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def due_s(self) -> float:
        """When the next filler is due: `max_gap_s` after the agent last (will have) sounded."""
        return max(self.quiet_from_s, self.track.playhead_s) + self.max_gap_s

    async def _watch(self) -> None:
        while True:
            wait = self.due_s() - self.clock.now()
            if wait > 0:
                await self.clock.sleep(wait)
                continue  # audio may have been placed meanwhile: due again
            text = self.planner.keep_alive()
            if text is None:
                return
            spoken = await self.speaker.speak(Say(text, "filler"), self.turn, self.clock.now())
            self.on_spoken(spoken)
            if not spoken.segments:  # nothing playable: do not spin on the same silence
                await self.clock.sleep(self.max_gap_s)
