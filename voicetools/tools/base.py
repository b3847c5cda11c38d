"""What executing a tool call takes and gives: the shared vocabulary of `voicetools.tools`.

The LLM chose a function and arguments (`ToolCall`); an executor (http.py, python.py,
builtin.py, mock.py) turns it into a `ToolResult`. Failures are results, not exceptions: the
model must hear what went wrong (`payload`) and the caller must hear it said kindly
(`spoken`). Built-ins act on the call itself through `CallAction`s (end, transfer, SMS, DTMF).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from voicetools.spec.model import Function


class ErrorCategory(StrEnum):
    """Why a tool failed, which decides what is retried and what the caller hears."""

    NOT_FOUND = "not_found"
    """The thing asked about does not exist (404, a handler's not_found)."""
    TEMPORARY = "temporary"
    """Worth retrying: timeouts, 429, 5xx, connection refused."""
    PERMISSION = "permission"
    """401/403, a missing secret, a blocked address."""
    INVALID_ARGUMENTS = "invalid_arguments"
    """The arguments did not fit the function's schema; the model should ask or fix them."""
    UNKNOWN = "unknown"
    """Anything else: a crash, a bad response."""


SPOKEN_ERRORS: Mapping[ErrorCategory, str] = {
    ErrorCategory.NOT_FOUND: "I couldn't find that.",
    ErrorCategory.TEMPORARY: (
        "That system isn't responding right now. Please try again in a moment."
    ),
    ErrorCategory.PERMISSION: "I'm not allowed to do that from here.",
    ErrorCategory.INVALID_ARGUMENTS: "I need a bit more information to do that.",
    ErrorCategory.UNKNOWN: "Something went wrong on our side.",
}
"""The default line for each category; a tool may supply its own (`message` in its result)."""


@dataclass(frozen=True)
class ToolCall:
    """One call the model asked for."""

    name: str
    arguments: Mapping[str, Any]
    call_id: str = ""
    """Ties a result to its call in transcripts (the model may call twice in one turn)."""


@dataclass(frozen=True)
class CallAction:
    """Something a built-in does to the call; the chat and voice loops act on it."""

    kind: str
    """"end_call", "transfer_call", "send_sms" or "press_digit"."""
    text: str = ""
    """end_call: the last words; send_sms: the message; press_digit: the digits."""
    number: str = ""
    """transfer_call: the destination; send_sms: the recipient."""


@dataclass(frozen=True)
class ToolResult:
    """The outcome of one call: what the model receives and what was observed."""

    call: ToolCall
    payload: Any
    """JSON-able; exactly what the LLM is given (redacted, size-capped)."""
    category: ErrorCategory | None = None
    """None on success."""
    spoken: str = ""
    """On failure, a short sentence fit to say to the caller."""
    duration_ms: float = 0.0
    attempts: int = 1
    actions: tuple[CallAction, ...] = ()
    """Effects of built-ins on the call."""
    detail: Mapping[str, Any] = field(default_factory=dict)
    """Extra facts for logs (status code, URL without secrets); never shown to the model."""

    @property
    def ok(self) -> bool:
        return self.category is None


def error_payload(
    error: str, category: ErrorCategory, detail: str = "", message: str = ""
) -> dict[str, Any]:
    """The shape every failure takes for the model: {"error", "category", "detail", "message"}."""
    payload: dict[str, Any] = {"error": error, "category": category.value}
    if detail:
        payload["detail"] = detail
    payload["message"] = message or SPOKEN_ERRORS[category]
    return payload


def error_result(
    call: ToolCall,
    error: str,
    category: ErrorCategory,
    detail: str = "",
    message: str = "",
    *,
    attempts: int = 1,
) -> ToolResult:
    """A failed result: `error_payload` for the model, its message as the spoken line."""
    payload = error_payload(error, category, detail=detail, message=message)
    return ToolResult(call, payload, category, spoken=payload["message"], attempts=attempts)


class ToolError(Exception):
    """Raised by a Python handler to fail with a category and a sentence of its own choosing.

    Any other exception is reported to the model only by its type name (the traceback stays in
    the logs); this one is meant to be heard, so `message` must be safe to say to the caller.
    `code` becomes the payload's "error" (default: the category's value).
    """

    def __init__(
        self,
        message: str,
        category: ErrorCategory | str = ErrorCategory.UNKNOWN,
        *,
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.category = ErrorCategory(category)
        self.code = code or self.category.value


class Executor(Protocol):
    """Runs one kind of tool. The runner validates arguments and owns timing before calling it."""

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        """Run `call`; must return within `timeout_s` seconds (a total deadline, not per read)."""
        ...
