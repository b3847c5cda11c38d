"""The words around a confirmation: the read-back question and the action it names.

The question must read back the exact arguments, since the caller's yes approves those and no
others. A `confirm:` template is filled from the arguments (and the agent's variables); any
argument the template leaves out is read back in parentheses, so a template can never hide
what is about to happen. `confirm: true`, and a destructive function without `confirm:`, build
the whole question from the arguments. Values
are said the way a person says them: "2026-11-20" as "Friday, November 20th", "14:30" as
"2:30 PM". What the caller's answer means is decided in `consent.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from voicetools.language import ordinal_suffix
from voicetools.spec.model import Function

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HH_MM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


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


def spoken_action(function: Function, arguments: Mapping[str, Any]) -> str:
    """What the call does, in words: 'delete task 3'."""
    return _action(function, {k: v for k, v in arguments.items() if v is not None})


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


def confirmation_question(
    function: Function, arguments: Mapping[str, Any], variables: Mapping[str, str] | None = None
) -> str:
    """The question for `function` called with `arguments`, reading every argument back.

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
