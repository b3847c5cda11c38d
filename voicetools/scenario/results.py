"""What running scenarios gives: plain frozen results, picklable and JSON-able.

Results cross process boundaries (`--jobs`), so they hold only strings, numbers and the
transcript as JSON objects (`Event.to_json()`), never live events or engines. Reporters
(`voicetools.scenario.report`) read nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TurnResult:
    """One caller line: what happened and which expectations failed."""

    index: int
    user: str
    line: int
    """Where the turn is written in the scenario file."""
    failures: tuple[str, ...] = ()
    transcript: tuple[Mapping[str, Any], ...] = ()
    """The turn's events, one JSON object each (the `--transcript` format of `chat`)."""

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "user": self.user,
            "line": self.line,
            "passed": self.passed,
            "failures": list(self.failures),
            "transcript": [dict(e) for e in self.transcript],
        }


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario of one file."""

    file: str
    name: str
    line: int
    turns: tuple[TurnResult, ...] = ()
    duration_s: float = 0.0
    error: str = ""
    """The scenario could not run to the end (the model or the engine broke); one line."""
    skipped_turns: int = 0
    """Turns not run because an earlier turn failed (they depend on it)."""

    @property
    def passed(self) -> bool:
        return not self.error and all(t.passed for t in self.turns)

    @property
    def failures(self) -> list[str]:
        """Every failure as `turn N (line L): message`, then the error if any."""
        found = [
            f'turn {t.index + 1} (line {t.line}) "{t.user}": {f}'
            for t in self.turns
            for f in t.failures
        ]
        if self.error:
            found.append(f"error: {self.error}")
        return found

    def call_records(self) -> list[dict[str, Any]]:
        """The scenario's turns as one transcript (`--transcript`'s records), for a report page.

        A turn's event times count from the start of that turn, and the time between turns is
        not recorded, so the turns are laid end to end: each starts where the last one ended.
        """
        records: list[dict[str, Any]] = []
        start = 0.0
        for turn in self.turns:
            end = start
            for event in turn.transcript:
                record = dict(event)
                if isinstance(record.get("t"), int | float):
                    record["t"] = round(start + record["t"], 3)
                    end = max(end, record["t"])
                records.append(record)
            start = end
        return records

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "line": self.line,
            "passed": self.passed,
            "duration_s": round(self.duration_s, 3),
            "error": self.error or None,
            "skipped_turns": self.skipped_turns,
            "turns": [t.to_json() for t in self.turns],
        }


@dataclass(frozen=True)
class Summary:
    """Counts over a whole run."""

    passed: int
    failed: int
    duration_s: float

    @classmethod
    def of(cls, results: Iterable[ScenarioResult], duration_s: float) -> Summary:
        listed = list(results)
        passed = sum(r.passed for r in listed)
        return cls(passed, len(listed) - passed, duration_s)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def by_file(results: Iterable[ScenarioResult]) -> dict[str, list[ScenarioResult]]:
    """Results grouped by file, files and scenarios in the order they were given."""
    grouped: dict[str, list[ScenarioResult]] = {}
    for result in results:
        grouped.setdefault(result.file, []).append(result)
    return grouped
