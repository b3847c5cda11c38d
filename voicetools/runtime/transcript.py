"""`--transcript FILE`: one JSON object per event, written as the conversation happens.

Types: user, agent, filler, tool_call, tool_result, action, end and stats (see
`voicetools.dialogue.events`). Each line is flushed at once, so a transcript survives a crash
or a Ctrl-C and nothing said is lost. Tool payloads are already redacted by the runner.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from voicetools.dialogue.events import Event


class TranscriptWriter:
    """Writes events as JSON lines; `t` is seconds since the session started."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = self.path.open("w", encoding="utf-8")

    def write(self, event: Event, *, offset_s: float = 0.0) -> None:
        """Write `event`; its turn-relative time `t` is shifted by `offset_s` (the turn's start
        on the session's timeline)."""
        data = event.to_json()
        if "t" in data:
            # from the unrounded time: rounding twice could put an event after the next one
            data["t"] = round(offset_s + float(getattr(event, "at_s", data["t"])), 3)
        self._file.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def write_data(self, data: dict[str, Any]) -> None:
        """Write a record already on the session's timeline (the voice loop's records)."""
        self._file.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
