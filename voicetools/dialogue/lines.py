"""Lines the agent speaks that code, not the model, writes: errors and confirmation read-backs.

A failed tool must never end the conversation: the caller hears what happened, kindly, and a
next step ("Would you like me to try again, or shall I transfer you?"). Those words depend only
on the error category, so they are fixed here rather than left to a small model.

Confirmation read-backs (`readback`, `spoken_value`, ...) are written once, in
`voicetools.tools.readback`, because the runner's confirmation policy asks the question; they
are re-exported here as part of what the agent says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from voicetools.tools import (  # noqa: F401 - re-exported: the dialogue's vocabulary
    SPOKEN_ERRORS,
    ErrorCategory,
    ToolResult,
    confirmation_question,
    fill_template,
    say_date,
    say_time,
    spoken_value,
)

_RETRY = "Would you like me to try again"
_TRY_AGAIN_LATER = re.compile(r"\s*Please try again[^.?!]*[.?!]?\s*$", re.IGNORECASE)
NEXT_STEPS: Mapping[ErrorCategory, tuple[str, str]] = {
    # (with a transfer_call available, without one)
    ErrorCategory.TEMPORARY: (f"{_RETRY}, or shall I transfer you?", f"{_RETRY}?"),
    ErrorCategory.UNKNOWN: (f"{_RETRY}, or shall I transfer you?", f"{_RETRY}?"),
    ErrorCategory.NOT_FOUND: (
        "Could you check the details and tell me again?",
        "Could you check the details and tell me again?",
    ),
    ErrorCategory.INVALID_ARGUMENTS: (
        "Could you give me those details again?",
        "Could you give me those details again?",
    ),
    ErrorCategory.PERMISSION: (
        "I can transfer you to someone who can help, if you like.",
        "Is there anything else I can help with?",
    ),
}
"""What to offer after each kind of failure."""


def spoken_error(
    category: ErrorCategory | str | None, message: str = "", *, can_transfer: bool = False
) -> str:
    """The error line for `category` followed by a next step.

    `message` is the tool's own safe-to-speak message (e.g. `ToolResult.spoken`); without one,
    the category's default from `SPOKEN_ERRORS`. `can_transfer`: the agent has transfer_call.
    """
    try:
        kind = ErrorCategory(category) if category is not None else ErrorCategory.UNKNOWN
    except ValueError:
        kind = ErrorCategory.UNKNOWN
    line = (message or SPOKEN_ERRORS[kind]).strip()
    step = NEXT_STEPS[kind][0 if can_transfer else 1]
    if step.startswith(_RETRY):  # "Please try again later. Would you like me to try again?"
        line = _TRY_AGAIN_LATER.sub("", line).strip() or SPOKEN_ERRORS[ErrorCategory.UNKNOWN]
    if line and line[-1] not in ".!?":
        line += "."
    return f"{line} {step}"


def spoken_error_for(result: ToolResult, *, can_transfer: bool = False) -> str:
    """`spoken_error` for a failed `ToolResult` (its own `spoken` line, if any)."""
    return spoken_error(result.category, result.spoken, can_transfer=can_transfer)


readback = confirmation_question
"""The confirmation question (one implementation, in `voicetools.tools.readback`)."""
