"""Every tool call, recorded as an event, redacted before it exists.

`ToolEvent.of()` is the only way the runner builds an event, and it redacts the arguments, the
payload and the error detail with the secrets known at call time, plus card numbers. So the
in-memory list, the JSON-lines file and any transcript line built from an event carry no secret
by construction, not by each writer remembering to scrub.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from voicetools.tools.base import ToolResult
from voicetools.tools.outcome import plain
from voicetools.tools.redact import Redactor


@dataclass(frozen=True)
class ToolEvent:
    """One executed (or refused) tool call."""

    name: str
    """The function the model called."""
    arguments: Any
    """As the model sent them (normally a mapping), redacted."""
    result: Any
    """The payload the model received, redacted."""
    category: str | None
    """The error category's value, None on success."""
    ok: bool
    duration_ms: float
    """Wall time of the whole call, policy checks and validation included."""
    attempts: int
    """1 for one try; more when temporary failures were retried; 0 when nothing ran."""
    started_at: float
    """Unix time when the call began."""
    call_id: str = ""
    actions: tuple[str, ...] = ()
    """Kinds of the call actions a built-in asked for (end_call, ...)."""
    detail: Mapping[str, Any] = field(default_factory=dict)
    """For logs only (status code, exception traceback, ...), redacted; never shown to the model."""

    @classmethod
    def of(
        cls,
        result: ToolResult,
        *,
        started_at: float,
        secrets: Iterable[str] = (),
        redactor: Redactor | None = None,
    ) -> ToolEvent:
        mask = (redactor or Redactor()).with_secrets(secrets)
        return cls(
            name=mask.text(result.call.name),
            arguments=mask.value(plain(result.call.arguments)),
            result=mask.value(result.payload),
            category=result.category.value if result.category is not None else None,
            ok=result.ok,
            duration_ms=round(result.duration_ms, 3),
            attempts=result.attempts,
            started_at=started_at,
            call_id=result.call.call_id,
            actions=tuple(a.kind for a in result.actions),
            detail=mask.value(dict(result.detail)),
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["actions"] = list(self.actions)
        return data

    def line(self) -> str:
        """One transcript line: `name(args) -> ok 12 ms {...}`."""
        if isinstance(self.arguments, dict):
            args = ", ".join(
                f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in self.arguments.items()
            )
        else:
            args = json.dumps(self.arguments, ensure_ascii=False)
        outcome = "ok" if self.ok else f"error[{self.category}]"
        body = json.dumps(self.result, ensure_ascii=False, sort_keys=True)
        return f"{self.name}({args}) -> {outcome} {self.duration_ms:.0f} ms {body}"


class Recorder:
    """Keeps every event in memory and, when given a path, appends it to a JSON-lines file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.events: list[ToolEvent] = []
        self.path = Path(path) if path is not None else None
        self._file: IO[str] | None = None
        self._lock = threading.Lock()

    def record(self, event: ToolEvent) -> None:
        with self._lock:
            self.events.append(event)
            if self.path is None:
                return
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(json.dumps(event.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
