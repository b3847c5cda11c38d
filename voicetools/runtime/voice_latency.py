"""Latency of one voice turn, measured on the call's timeline, and the p50/p95 summary.

Every figure is a difference of two timeline positions (see `runtime.call_clock`), so a call
processed in fast mode reports what a live call on this machine would have felt like:

- endpointing: caller stopped speaking -> the endpointer decided the turn was over;
- stt: the decision -> the transcript (0 when a speculation at the caller's pause had it ready
  already, `runtime.preempt`; `preempted` says the turn reused that work);
- llm first token: the model's first piece of its first decision (`TurnStats`);
- tool: time inside tools (`TurnStats`);
- filler start: caller stopped -> the first filler audio;
- voice-to-voice: caller stopped -> the first agent audio of any kind;
- answer or filler: the same, not counting keep-alive lines ("Still on it."), which can only
  hide a slow answer; the first thing the turn itself said: its answer, question or filler;
- dead air: the longest agent-side silence between the caller stopping and the final answer
  starting, fillers counting as sound; the figure a caller notices.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from voicetools.runtime.stats import percentile


@dataclass
class TurnLatency:
    """Seconds per stage of one turn; None when the stage did not happen."""

    turn: int
    endpointing_s: float | None = None
    stt_s: float | None = None
    llm_first_token_s: float | None = None
    tool_s: float | None = None
    tts_first_chunk_s: float | None = None
    """From the first Say event to its first audio chunk being ready."""
    filler_start_s: float | None = None
    voice_to_voice_s: float | None = None
    first_answer_s: float | None = None
    """Caller stopped -> the first agent audio that is not a keep-alive line."""
    dead_air_s: float | None = None
    interrupted: bool = False
    preempted: bool = False
    """The transcript (and maybe the first decision) came from work started at the pause."""

    def to_json(self) -> dict[str, object]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}

    def line(self) -> str:
        """The one live line printed after each turn."""
        body = " | ".join(
            f"{label} {'-' if value is None else f'{value:.2f}s'}"
            for label, value in self._labelled()
        )
        notes = " (interrupted)" if self.interrupted else ""
        notes += " (preempted)" if self.preempted else ""
        return f"turn {self.turn}: {body}{notes}"

    def _labelled(self) -> list[tuple[str, float | None]]:
        return [
            ("endpoint", self.endpointing_s),
            ("stt", self.stt_s),
            ("llm first", self.llm_first_token_s),
            ("tool", self.tool_s),
            ("tts first", self.tts_first_chunk_s),
            ("filler at", self.filler_start_s),
            ("voice-to-voice", self.voice_to_voice_s),
            ("dead air", self.dead_air_s),
        ]


STAGES = (
    ("endpointing", "endpointing_s"),
    ("STT", "stt_s"),
    ("LLM first token", "llm_first_token_s"),
    ("tool", "tool_s"),
    ("TTS first chunk", "tts_first_chunk_s"),
    ("filler start", "filler_start_s"),
    ("voice-to-voice", "voice_to_voice_s"),
    ("answer or filler", "first_answer_s"),
    ("dead air", "dead_air_s"),
)


def summary_rows(turns: list[TurnLatency]) -> list[list[str]]:
    """[stage, n, p50 s, p95 s] for every stage measured at least once."""
    rows = []
    for label, name in STAGES:
        values = [v for t in turns if (v := getattr(t, name)) is not None]
        if values:
            rows.append(
                [
                    label,
                    str(len(values)),
                    f"{percentile(values, 50):.2f}",
                    f"{percentile(values, 95):.2f}",
                ]
            )
    return rows
