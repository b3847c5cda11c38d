"""`--transcript FILE`: one JSON object per event, written as the conversation happens.

Types: user, agent, filler, tool_call, tool_result, action, end and stats (see
`voicetools.dialogue.events`); a voice call adds barge_in, error and ignored (an utterance the
engine was not given: empty, or dropped as unsafe with its `text`, `check` and `reason`).
Each line is flushed at once, so a transcript survives a crash or a Ctrl-C and nothing said is
lost. Every record goes through the session's redactor on its way to the file (caller text,
tool arguments and results, replies, fillers, read-backs), and `redacted_event` gives the same
masking to what is printed. The writer also keeps the records it wrote (`records`), so
`--report` draws the page from exactly what the file holds, and with no path it only keeps
them (`--report` without `--transcript`).
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from voicetools.dialogue import Event
from voicetools.tools import NO_SECRETS, Redactor


def redacted_event(event: Event, redactor: Redactor) -> Event:
    """`event` with every text, argument and result masked; times, durations and flags kept."""
    changes = {
        f.name: redactor.value(value)
        for f in fields(event)
        if not isinstance(value := getattr(event, f.name), bool | int | float | None)
    }
    return replace(event, **changes)


class TranscriptWriter:
    """Writes events as JSON lines; `t` is seconds since the session started."""

    def __init__(self, path: str | Path | None, redactor: Redactor = NO_SECRETS) -> None:
        self.redactor = redactor
        self.path = Path(path) if path is not None else None
        self.records: list[dict[str, Any]] = []
        """Every record written, redacted, in order (what a report is drawn from)."""
        self._file: IO[str] | None = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8")

    def write(self, event: Event, *, offset_s: float = 0.0) -> None:
        """Write `event`; its turn-relative time `t` is shifted by `offset_s` (the turn's start
        on the session's timeline)."""
        data = event.to_json()
        if "t" in data:
            # from the unrounded time: rounding twice could put an event after the next one
            data["t"] = round(offset_s + float(getattr(event, "at_s", data["t"])), 3)
        self.write_data(data)

    def write_data(self, data: dict[str, Any]) -> None:
        """Write a record already on the session's timeline (the voice loop's records)."""
        record = self.redactor.value(data)
        self.records.append(record)
        if self._file is not None:
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
