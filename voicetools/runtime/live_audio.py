"""The microphone and the speaker for `voicetools call --mic`, around the same voice loop.

The loop never talks to the sound card: it reads frames from `Microphone.frames` (an async
iterator, fed from PortAudio's thread through the event loop) and places agent audio on its
`AgentTrack`. `play_track` renders that track to the speaker in 50 ms blocks just ahead of
time, so a barge-in (`AgentTrack.cut`) silences the speaker within one block: nothing already
cut is ever written.
On open speakers the agent's voice also reaches the microphone; `audio.echo` takes it out,
given every block the speaker plays.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import numpy as np

from voicetools.audio.echo import EchoCanceller
from voicetools.audio.pcm import resample
from voicetools.backends.speech import STT_RATE
from voicetools.dialogue import Clock
from voicetools.errors import BackendError
from voicetools.runtime.agent_track import AgentTrack

BLOCK_S = 0.05
LEAD_S = 0.1
"""How far ahead of the clock the speaker is fed: ahead enough that a busy event loop does not
starve it, little enough that new audio waits at most this long to start."""

log = logging.getLogger(__name__)


class Microphone:
    """The caller's side of a live call: float32 mono 16 kHz blocks, from PortAudio's thread
    to the event loop. Make it inside the running loop, before the speaker and the call
    start: it opens (a bad `--device` fails here, with a clear error) and captures at once. On
    PulseAudio, a capture stream opened while playback ran dropped some of that playback."""

    def __init__(self, device: str | int | None, *, block: int = 512) -> None:
        from voicetools.audio.devices import open_input

        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[np.ndarray] = asyncio.Queue()
        self._stream = open_input(self._heard, block=block, device=device)
        self._stream.start()
        self._open = True

    def _heard(self, pcm: np.ndarray) -> None:  # PortAudio's thread: only hand the block over
        self._loop.call_soon_threadsafe(self._queue.put_nowait, pcm)

    async def frames(self) -> AsyncIterator[np.ndarray]:
        """Blocks from now (what came before the call started is dropped) until closed;
        closing the iterator closes the microphone."""
        while not self._queue.empty():
            self._queue.get_nowait()
        try:
            while True:
                yield await self._queue.get()
        finally:
            self.close()

    def close(self) -> None:
        """Stop capturing (waits for PortAudio's callback to return); safe to call twice."""
        if self._open:
            self._open = False
            self._stream.close()


async def play_track(
    track: AgentTrack,
    clock: Clock,
    stream: Any,
    *,
    sample_rate: int,
    started: asyncio.Event | None = None,
    echo: EchoCanceller | None = None,
) -> None:
    """Play `track` on `stream` (`devices.open_output`, not started) as the clock moves,
    until cancelled; the stream is closed on the way out.

    The stream starts at once and plays silence until the call's first audio; `started` is set
    once the device plays what it is given (`_until_playing`), so start the call after it.
    A device can start late and then skip ahead to catch up, so it is started before the
    call. Blocks are written at most `LEAD_S` ahead of the clock, so audio placed "now" is not
    lost in silence already written, and the track is told how far (`AgentTrack.written_s`);
    docs/decisions.md has the measurements.
    `echo` is told every block written, as the echo canceller's reference.
    """
    samples = round(BLOCK_S * sample_rate)
    silence = np.zeros(samples, np.float32)
    quiet = np.zeros(round(BLOCK_S * STT_RATE), np.float32)
    with stream:
        await _until_playing(stream, silence)
        if started is not None:
            started.set()
        while not track.segments:  # before the call starts (and resets its clock)
            if echo is not None:
                echo.played(quiet)
            await _write(stream, silence)
        position = track.segments[0].start_s
        while True:
            ahead_s = position - clock.now()
            if ahead_s > LEAD_S:
                await asyncio.sleep(ahead_s - LEAD_S)
            # fell behind (a busy CPU): skip, never lag more than a block
            position = max(position, clock.now() - BLOCK_S)
            block = track.window(position, samples, sample_rate)
            track.written_s = position + BLOCK_S
            if echo is not None:
                echo.played(_at_caller_rate(track, position, sample_rate))
            await _write(stream, block)
            position += BLOCK_S


def _at_caller_rate(track: AgentTrack, position: float, rate: int) -> np.ndarray:
    """The block at `position` resampled to 16 kHz, cut from a wider window so that the
    resampler's edges fall outside it (blocks resampled alone click at every seam)."""
    pad = 0.01
    wide = track.window(position - pad, round((BLOCK_S + 2 * pad) * rate), rate)
    margin = round(pad * STT_RATE)
    return resample(wide, rate, STT_RATE)[margin : margin + round(BLOCK_S * STT_RATE)]


async def _until_playing(stream: Any, silence: np.ndarray, limit_s: float = 3.0) -> None:
    """Write silence until a write has to wait for room: the device is consuming in real time
    (its buffer was full, and now drains). A device that never makes us wait, or a server that
    takes longer than `limit_s` to start, is taken as playing after `limit_s`."""
    begin = time.monotonic()
    while time.monotonic() - begin < limit_s:
        before = time.monotonic()
        await _write(stream, silence)
        if time.monotonic() - before > BLOCK_S / 2:
            return


async def _write(stream: Any, block: np.ndarray) -> None:
    """`stream.write(block)` in a thread (it blocks until the device has room)."""
    from voicetools.audio.devices import sounddevice

    write = asyncio.ensure_future(asyncio.to_thread(stream.write, block.reshape(-1, 1)))
    try:
        if await asyncio.shield(write):
            log.debug("the speaker ran dry before a block arrived")
    except asyncio.CancelledError:
        # The thread is still inside PortAudio. Closing the stream under it aborted the
        # process ("malloc_consolidate(): unaligned fastbin chunk"): wait for it first.
        await asyncio.gather(write, return_exceptions=True)
        raise
    except sounddevice().PortAudioError as exc:
        raise BackendError(f"the speaker failed: {exc}") from None


async def drain(track: AgentTrack, clock: Clock, *, tail_s: float = 0.3) -> None:
    """Wait until what is on `track` has been played (the goodbye after a hang-up), plus
    `tail_s` for the audio still in the device's buffer."""
    while clock.now() < track.playhead_s + tail_s:
        await clock.sleep(min(BLOCK_S, track.playhead_s + tail_s - clock.now()))
