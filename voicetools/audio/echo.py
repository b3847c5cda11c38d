"""Echo cancellation for live calls on open speakers: the agent must not hear itself.

Without headphones the microphone also picks up the agent's own voice. The VAD rightly calls
that speech, so the agent "barges in" on itself and then answers its own words. The cure phones
and browsers use is an adaptive filter that learns the path from speaker to microphone and
subtracts what the speaker played: WebRTC's AEC3, here through LiveKit's Python package
(`livekit.rtc.AudioProcessingModule`, a prebuilt wheel). It finds the delay itself; it helps a
lot but not always (docs/decisions.md).

Both sides are fed as they happen, as WebRTC expects: `played(pcm)` with each block the
speaker is given (`runtime.live_audio.play_track`), `process(mic)` with each microphone block
(`runtime.voice_loop`), 16 kHz float32 of any length. `process` returns the block with the
echo removed and the same length (held back by under 10 ms: AEC3 works on 10 ms frames).
The reference is fed as it is played, not by the microphone's timestamps, which jitter.
Off by default (`voicetools call --mic --echo-cancel`): until it has heard the room, AEC3
also muffles a caller who talks over the agent, which delays a barge-in (docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voicetools.errors import BackendError

RATE = 16_000
FRAME = RATE // 100  # AEC3's 10 ms
INSTALL_HINT = "pip install 'voicetools[audio]'"


class EchoCanceller:
    """The agent's voice taken out of the microphone; see the module docstring."""

    def __init__(self) -> None:
        try:
            from livekit import rtc
        except ImportError:
            raise BackendError(
                f"echo cancellation needs livekit ({INSTALL_HINT}); or leave out --echo-cancel"
            ) from None
        self._rtc: Any = rtc
        self._apm = rtc.AudioProcessingModule(echo_cancellation=True, high_pass_filter=True)
        self._mic = np.zeros(0, np.float32)
        self._played = np.zeros(0, np.float32)
        self._out = np.zeros(FRAME - 1, np.float32)  # the hold-back, so lengths always match

    def played(self, pcm: np.ndarray) -> None:
        """The speaker was just given `pcm` (16 kHz float32): the echo to expect."""
        self._played = np.concatenate([self._played, pcm.astype(np.float32)])
        whole = len(self._played) // FRAME * FRAME
        for at in range(0, whole, FRAME):
            self._apm.process_reverse_stream(self._as_frame(self._played[at : at + FRAME]))
        self._played = self._played[whole:]

    def process(self, mic: np.ndarray) -> np.ndarray:
        """`mic` (16 kHz float32) without the agent's voice, as long as it was."""
        self._mic = np.concatenate([self._mic, mic.astype(np.float32)])
        whole = len(self._mic) // FRAME * FRAME
        cleaned = [self._cleaned(self._mic[at : at + FRAME]) for at in range(0, whole, FRAME)]
        self._mic = self._mic[whole:]
        self._out = np.concatenate([self._out, *cleaned])
        block, self._out = self._out[: len(mic)], self._out[len(mic) :]
        return block

    def _cleaned(self, pcm: np.ndarray) -> np.ndarray:
        heard = self._as_frame(pcm)
        self._apm.process_stream(heard)  # in place
        return np.frombuffer(bytes(heard.data), np.int16).astype(np.float32) / 32768.0

    def _as_frame(self, pcm: np.ndarray) -> Any:
        samples = (np.clip(pcm, -1.0, 1.0) * 32767.0).astype(np.int16)
        return self._rtc.AudioFrame(samples.tobytes(), RATE, 1, FRAME)
