"""Lines the agent speaks that code, not the model, writes: errors and confirmation read-backs.

A failed tool must never end the conversation: the caller hears what happened, kindly, and a
next step ("Would you like me to try again, or shall I transfer you?"). Those words depend only
on the error category, so they are fixed here rather than left to a small model.

A `confirm:` function is read back before it runs, with the exact arguments the caller will
approve. Values are said the way a person says them: "2026-11-20" as "Friday, November 20th",
"14:30" as "2:30 PM". Any argument a template leaves out is read back in parentheses, so a
template can never hide what is about to happen (the same rule as
`voicetools.tools.readback`, which writes the text-mode question).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from voicetools.dialogue.spoken_numbers import ordinal_suffix
from voicetools.spec.model import Function
from voicetools.tools.base import SPOKEN_ERRORS, ErrorCategory, ToolResult

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HH_MM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

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


def say_date(value: date) -> str:
    """'Friday, November 20th'."""
    return f"{value:%A}, {value:%B} {value.day}{ordinal_suffix(value.day)}"


def say_time(hour: int, minute: int) -> str:
    """'2:30 PM', '9 AM', 'noon', 'midnight'."""
    if (hour, minute) == (12, 0):
        return "noon"
    if (hour, minute) == (0, 0):
        return "midnight"
    suffix = "AM" if hour < 12 else "PM"
    shown = hour % 12 or 12
    return f"{shown} {suffix}" if minute == 0 else f"{shown}:{minute:02d} {suffix}"


def spoken_value(value: Any) -> str:
    """A value as it should be heard: dates and HH:MM times in words, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(spoken_value(v) for v in value)
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            return say_date(datetime.strptime(text, "%Y-%m-%d").date())
        except ValueError:
            return text
    clock = _HH_MM.match(text)
    if clock:
        return say_time(int(clock[1]), int(clock[2]))
    return text.replace("_", " ")


def _words(name: str) -> str:
    return name.replace("_", " ").strip()


def fill_template(
    template: str, arguments: Mapping[str, Any], variables: Mapping[str, str] | None = None
) -> str:
    """`template` with each `{name}` replaced by the spoken argument (or agent variable)."""
    values = {**(variables or {}), **{k: spoken_value(v) for k, v in arguments.items()}}
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)
    text = re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", text))
    return text.strip()


def _action(function: Function, given: Mapping[str, Any]) -> str:
    """'delete task 3', or 'book appointment with date ..., and time ...'."""
    action = _words(function.name)
    if len(given) == 1:
        name, value = next(iter(given.items()))
        noun = re.sub(r"_(id|number)$", "", name)
        if noun != name and action.endswith(_words(noun)):
            return f"{action} {spoken_value(value)}"
    parts = [f"{_words(k)} {spoken_value(v)}" for k, v in given.items()]
    if not parts:
        return action
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return f"{action} with {listed}"


def readback(
    function: Function, arguments: Mapping[str, Any], variables: Mapping[str, str] | None = None
) -> str:
    """The confirmation question for a `confirm` function about to run with `arguments`.

    A `confirm:` template is filled in; `confirm: true` (or none) reads the call back:
    "Just to confirm: delete task 3. Shall I go ahead?"
    """
    given = {k: v for k, v in arguments.items() if v is not None}
    template = function.confirm
    if not isinstance(template, str):
        return f"Just to confirm: {_action(function, given)}. Shall I go ahead?"
    question = fill_template(template, given, variables)
    used = set(_PLACEHOLDER.findall(template))
    rest = ", ".join(f"{_words(k)} {spoken_value(v)}" for k, v in given.items() if k not in used)
    if not rest:
        return question
    end = len(question.rstrip("?.!"))
    return f"{question[:end]} ({rest}){question[end:] or '?'}"
