"""What one conversation turn produces: small frozen events, consumed by every loop.

`Engine.turn(text)` yields these in order. The text REPL prints them, the voice loop speaks
the `Say` events, `voicetools test` asserts on them, and the transcript writes one JSON object
per event (`Event.to_json`). Times are seconds on the engine's clock, relative to the start of
the turn, so runs on a virtual clock are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

SayKind = Literal["agent", "filler", "greeting", "confirm", "error", "goodbye"]


@dataclass(frozen=True)
class UserTurn:
    """The caller's words that started the turn."""

    text: str
    at_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"type": "user", "text": self.text, "t": round(self.at_s, 3)}


@dataclass(frozen=True)
class Say:
    """Something the agent says: one sentence (or a short phrase), ready to be spoken."""

    text: str
    kind: SayKind = "agent"
    """agent: the model's reply; filler: while a tool runs; confirm: a read-back question;
    error: a spoken tool failure; goodbye: end_call's last words; greeting: the first words."""
    at_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        kind = "filler" if self.kind == "filler" else "agent"
        data: dict[str, Any] = {"type": kind, "text": self.text, "t": round(self.at_s, 3)}
        if kind == "agent" and self.kind != "agent":
            data["role"] = self.kind
        return data


@dataclass(frozen=True)
class ToolCalled:
    """The engine is about to run a function (arguments already checked and normalised)."""

    call_id: str
    name: str
    arguments: Mapping[str, Any]
    at_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "tool_call",
            "call_id": self.call_id,
            "name": self.name,
            "arguments": dict(self.arguments),
            "t": round(self.at_s, 3),
        }


@dataclass(frozen=True)
class ToolReturned:
    """A function finished (or was refused, or needs confirmation)."""

    call_id: str
    name: str
    result: Any
    """The payload the model received (redacted)."""
    ok: bool
    category: str | None = None
    duration_ms: float = 0.0
    at_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "tool_result",
            "call_id": self.call_id,
            "name": self.name,
            "result": self.result,
            "ok": self.ok,
            "category": self.category,
            "duration_ms": round(self.duration_ms, 1),
            "t": round(self.at_s, 3),
        }


@dataclass(frozen=True)
class ActionTaken:
    """A built-in acted on the call: SMS sent, digits pressed, transfer started."""

    kind: str
    text: str = ""
    number: str = ""
    at_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "action",
            "kind": self.kind,
            "text": self.text,
            "number": self.number,
            "t": round(self.at_s, 3),
        }


@dataclass(frozen=True)
class CallEnded:
    """The session is over: end_call, transfer_call, or the caller left."""

    reason: str
    """"end_call", "transfer_call", "silence" or "hangup"."""
    at_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"type": "end", "reason": self.reason, "t": round(self.at_s, 3)}


@dataclass(frozen=True)
class TurnStats:
    """Timings of one turn (the last event of every turn)."""

    llm_first_piece_s: float | None = None
    """From the start of the first generation to its first text piece."""
    llm_total_s: float = 0.0
    tool_s: float = 0.0
    decisions: int = 0
    """How many generations the turn needed."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "stats",
            "llm_first_piece_s": self.llm_first_piece_s,
            "llm_total_s": round(self.llm_total_s, 3),
            "tool_s": round(self.tool_s, 3),
            "decisions": self.decisions,
            **dict(self.extra),
        }


Event = UserTurn | Say | ToolCalled | ToolReturned | ActionTaken | CallEnded | TurnStats
