"""Executing tool calls for real: HTTP, Python handlers, built-ins and mocks, behind one runner.

What the other packages use, re-exported here: the runner and its call/result types, the
confirmation policy and read-backs the dialogue speaks, and the redaction every log goes through.
Loaded on first use: a handler worker process imports `voicetools.tools.handler_worker` and must
start in milliseconds, not after the HTTP client and the runner are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from voicetools.tools.base import (
        SPOKEN_ERRORS,
        CallAction,
        ErrorCategory,
        ToolCall,
        ToolResult,
    )
    from voicetools.tools.consent import Consent, classify
    from voicetools.tools.faults import Fault
    from voicetools.tools.plan import dry_run
    from voicetools.tools.policy import Answer, PendingConfirmation, is_confirmation_request
    from voicetools.tools.readback import (
        confirmation_question,
        fill_template,
        say_date,
        say_time,
        spoken_value,
    )
    from voicetools.tools.record import Recorder
    from voicetools.tools.redact import NO_SECRETS, Redactor
    from voicetools.tools.redact_logs import mask_error, redacting
    from voicetools.tools.runner import ToolRunner

_WHERE = {
    "Answer": "voicetools.tools.policy",
    "CallAction": "voicetools.tools.base",
    "Consent": "voicetools.tools.consent",
    "ErrorCategory": "voicetools.tools.base",
    "Fault": "voicetools.tools.faults",
    "NO_SECRETS": "voicetools.tools.redact",
    "PendingConfirmation": "voicetools.tools.policy",
    "Recorder": "voicetools.tools.record",
    "Redactor": "voicetools.tools.redact",
    "SPOKEN_ERRORS": "voicetools.tools.base",
    "ToolCall": "voicetools.tools.base",
    "ToolResult": "voicetools.tools.base",
    "ToolRunner": "voicetools.tools.runner",
    "classify": "voicetools.tools.consent",
    "confirmation_question": "voicetools.tools.readback",
    "dry_run": "voicetools.tools.plan",
    "fill_template": "voicetools.tools.readback",
    "is_confirmation_request": "voicetools.tools.policy",
    "mask_error": "voicetools.tools.redact_logs",
    "redacting": "voicetools.tools.redact_logs",
    "say_date": "voicetools.tools.readback",
    "say_time": "voicetools.tools.readback",
    "spoken_value": "voicetools.tools.readback",
}
"""Each re-exported name and the module that defines it."""

__all__ = [
    "NO_SECRETS",
    "SPOKEN_ERRORS",
    "Answer",
    "CallAction",
    "Consent",
    "ErrorCategory",
    "Fault",
    "PendingConfirmation",
    "Recorder",
    "Redactor",
    "ToolCall",
    "ToolResult",
    "ToolRunner",
    "classify",
    "confirmation_question",
    "dry_run",
    "fill_template",
    "is_confirmation_request",
    "mask_error",
    "redacting",
    "say_date",
    "say_time",
    "spoken_value",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
