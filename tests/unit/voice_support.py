"""Driving a `VoiceLoop` on a virtual clock, shared by the voice-loop tests."""

from __future__ import annotations

import asyncio
import threading

import numpy as np

from voicetools.dialogue.clock import VirtualClock
from voicetools.runtime.call_result import CallResult
from voicetools.runtime.voice_loop import VoiceLoop


def drive(loop: VoiceLoop, clock: VirtualClock, audio: np.ndarray) -> CallResult:
    """Run `loop` on `audio`, advancing `clock` 10 ms whenever the loop waits on it."""

    async def main() -> CallResult:
        task = asyncio.ensure_future(loop.run(audio))
        while not task.done():
            for _ in range(10):
                await asyncio.sleep(0)
            if any(t.name == "voicetools-llm" for t in threading.enumerate()):
                await asyncio.sleep(0.001)  # the model is working: it takes no virtual time
                continue
            clock.advance(0.01)
        return task.result()

    return asyncio.run(main())
