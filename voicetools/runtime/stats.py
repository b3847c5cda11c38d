"""`--stats`: calls, errors and latency per tool, and decision latency, over a session."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from voicetools.dialogue import Event, ToolReturned, TurnStats


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


@dataclass
class SessionStats:
    """Collects what `--stats` prints, from the events of every turn."""

    tool_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    tool_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_piece_s: list[float] = field(default_factory=list)
    turn_llm_s: list[float] = field(default_factory=list)

    def add(self, event: Event) -> None:
        if isinstance(event, ToolReturned):
            self.tool_ms[event.name].append(event.duration_ms)
            if not event.ok:
                self.tool_errors[event.name] += 1
        elif isinstance(event, TurnStats) and event.decisions:
            if event.llm_first_piece_s is not None:
                self.first_piece_s.append(event.llm_first_piece_s)
            self.turn_llm_s.append(event.llm_total_s)

    def rows(self) -> list[list[str]]:
        """One row per tool: name, calls, errors, p50 and max latency in ms."""
        return [
            [
                name,
                str(len(times)),
                str(self.tool_errors.get(name, 0)),
                f"{percentile(times, 50):.0f}",
                f"{max(times):.0f}",
            ]
            for name, times in sorted(self.tool_ms.items())
        ]

    def summary(self) -> str:
        if not self.first_piece_s:
            return "no model decisions"
        return (
            f"{len(self.first_piece_s)} turns; model first piece p50 "
            f"{percentile(self.first_piece_s, 50) * 1000:.0f} ms, p95 "
            f"{percentile(self.first_piece_s, 95) * 1000:.0f} ms; model time per turn p50 "
            f"{percentile(self.turn_llm_s, 50):.2f} s"
        )
