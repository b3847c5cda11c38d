"""What a handler's return value or exception means for the model.

Python handlers and mocks answer with plain values; this module is the one place that decides
which values are failures and what the model is told about them, so that a mock written as
`{error: not_found}` in a scenario behaves exactly like a real handler returning the same.

The rules: the value must survive `json.dumps` (else it is a failure: the model must never be
handed something the transport would mangle); a mapping with an "error" key is a failure whose
category comes from `category` or the error value itself when either names one of the
handler-facing categories, and whose spoken sentence is its "message"; anything else is a
success, given to the model as it is. Exceptions tell the model only their type name.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from voicetools.tools.base import ErrorCategory, ToolCall, ToolError, ToolResult, error_result

HANDLER_CATEGORIES = frozenset(
    {
        ErrorCategory.NOT_FOUND,
        ErrorCategory.TEMPORARY,
        ErrorCategory.PERMISSION,
        ErrorCategory.UNKNOWN,
    }
)
"""The categories a handler may choose; invalid_arguments belongs to the runner's validation."""


def plain(value: Any) -> Any:
    """`value` with read-only mappings and tuples turned into dicts and lists (JSON's shapes)."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _category(value: Any) -> ErrorCategory | None:
    try:
        category = ErrorCategory(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return category if category in HANDLER_CATEGORIES else None


def result_from_value(call: ToolCall, value: Any) -> ToolResult:
    """The result for a handler's (or mock's) return value."""
    try:
        payload = json.loads(json.dumps(plain(value), allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return error_result(
            call,
            "invalid_result",
            ErrorCategory.UNKNOWN,
            detail=f"the handler returned a {type(value).__name__} that is not JSON-serialisable",
        )
    if not (isinstance(payload, dict) and "error" in payload):
        return ToolResult(call, payload)
    error = payload["error"]
    category = _category(payload.get("category")) or _category(error) or ErrorCategory.UNKNOWN
    message = payload.get("message")
    spoken = message if isinstance(message, str) and message.strip() else ""
    result = error_result(call, str(error) or "error", category, message=spoken)
    extra = {k: v for k, v in payload.items() if k not in {"error", "category", "message"}}
    return replace(result, detail={"handler_fields": extra}) if extra else result


def result_from_exception(call: ToolCall, exc: BaseException) -> ToolResult:
    """The result for an exception a handler raised; the traceback goes to `detail` only."""
    if isinstance(exc, ToolError):
        category = exc.category if exc.category in HANDLER_CATEGORIES else ErrorCategory.UNKNOWN
        return error_result(call, exc.code, category, message=exc.message)
    result = error_result(call, "handler_failed", ErrorCategory.UNKNOWN, detail=type(exc).__name__)
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return replace(result, detail={"exception": type(exc).__name__, "traceback": trace})
