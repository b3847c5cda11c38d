"""Executing tool calls for real: HTTP, Python handlers, built-ins and mocks, behind one runner.

What the other packages use, re-exported here: the runner and its call/result types, the
confirmation policy and read-backs the dialogue speaks, and the redaction every log goes through.
"""

from voicetools.tools.base import (
    SPOKEN_ERRORS,
    CallAction,
    ErrorCategory,
    ToolCall,
    ToolResult,
)
from voicetools.tools.faults import Fault
from voicetools.tools.plan import dry_run
from voicetools.tools.policy import Answer, is_confirmation_request
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

__all__ = [
    "NO_SECRETS",
    "SPOKEN_ERRORS",
    "Answer",
    "CallAction",
    "ErrorCategory",
    "Fault",
    "Recorder",
    "Redactor",
    "ToolCall",
    "ToolResult",
    "ToolRunner",
    "confirmation_question",
    "fill_template",
    "is_confirmation_request",
    "mask_error",
    "dry_run",
    "redacting",
    "say_date",
    "say_time",
    "spoken_value",
]
