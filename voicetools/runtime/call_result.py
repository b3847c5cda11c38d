"""What a voice call leaves behind: both sides of the audio, the latency, the transcript lines.

Kept apart from the loop so tools that only read results (the CLI writing a WAV, the latency
benchmark, tests) do not need to know how the loop ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voicetools.audio.pcm import mix, stereo
from voicetools.backends.speech import STT_RATE
from voicetools.runtime.agent_track import AgentTrack
from voicetools.runtime.speaker import Spoken
from voicetools.runtime.voice_latency import TurnLatency


@dataclass
class CallResult:
    """What a call produced: both sides of the audio, per-turn latency, how it ended."""

    caller: np.ndarray
    """The caller's side, float32 mono at 16 kHz."""
    track: AgentTrack
    latencies: list[TurnLatency]
    ended: str
    duration_s: float
    records: list[dict[str, Any]] = field(default_factory=list)

    def audio(self, *, stereo_out: bool = False, rate: int = STT_RATE) -> np.ndarray:
        """The call as it sounded: mixed mono, or caller left / agent right."""
        length = max(self.duration_s, len(self.caller) / STT_RATE)
        agent = self.track.render(rate, length)
        caller = np.zeros(len(agent), np.float32)
        caller[: min(len(agent), len(self.caller))] = self.caller[: len(agent)]
        return stereo(caller, agent) if stereo_out else mix(caller, agent)


def spoken_record(spoken: Spoken) -> dict[str, Any]:
    """The transcript line of one `Say`, with where its audio sat on the timeline."""
    data = spoken.say.to_json()
    data["t"] = round(spoken.t, 3)
    heard = [s for s in spoken.segments if s.heard]
    data["audio_start"] = round(heard[0].start_s, 3) if heard else None
    data["audio_end"] = round(heard[-1].end_s, 3) if heard else None
    if not spoken.segments:
        data["silent"] = True  # nothing speakable (emoji, markup) or TTS failed
    elif any(s.cut_s is not None for s in spoken.segments):
        data["interrupted"] = True
        data["heard"] = " ".join(t for s in spoken.segments if (t := s.heard_text()))
    return data
