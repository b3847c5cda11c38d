"""The microphone and the speaker for `voicetools call --mic`, around the same voice loop.

The loop never talks to the sound card: it reads frames from `mic_frames` (an async iterator,
fed from PortAudio's thread through the event loop) and places agent audio on its `AgentTrack`.
`play_track` renders that track to the speaker in 50 ms blocks just ahead of time, so a barge-in
(`AgentTrack.cut`) silences the speaker within one block: nothing already cut is ever written.
Use headphones: without echo cancellation the agent's voice in the microphone is a barge-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import numpy as np

from voicetools.dialogue.clock import Clock
from voicetools.runtime.agent_track import AgentTrack

BLOCK_S = 0.05


async def mic_frames(device: str | int | None, *, block: int = 512) -> AsyncIterator[np.ndarray]:
    """Float32 mono 16 kHz frames from the microphone until the iterator is closed."""
    from voicetools.audio.devices import open_input

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[np.ndarray] = asyncio.Queue()

    def heard(pcm: np.ndarray) -> None:  # PortAudio's thread: only hand the block over
        loop.call_soon_threadsafe(queue.put_nowait, pcm)

    stream = open_input(heard, block=block, device=device)
    with stream:
        while True:
            yield await queue.get()


async def play_track(
    track: AgentTrack, clock: Clock, *, sample_rate: int, device: str | int | None
) -> None:
    """Play `track` on the speaker as the clock moves, until cancelled."""
    from voicetools.audio.devices import open_output

    stream = open_output(sample_rate=sample_rate, device=device)
    samples = round(BLOCK_S * sample_rate)
    with stream:
        position = clock.now()
        while True:
            position = max(position, clock.now())  # fell behind (a busy CPU): skip, never lag
            block = track.window(position, samples, sample_rate)
            await asyncio.to_thread(stream.write, block.reshape(-1, 1))  # blocks: paces us
            position += BLOCK_S
