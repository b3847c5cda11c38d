"""Dates and times resolved in code, not by the model: the public face of date handling.

Small models get "next Friday" wrong. So the engine lets the model pick the
function, then `normalise_arguments()` overwrites every date- or time-typed argument with the
value resolved here from what the caller actually said, against the session's date (`today`,
from `--today` for reproducible runs; this module never reads the clock).

Which expression wins when a sentence holds several: the *last* one, because spoken
corrections come last ("Friday, no, make that Monday"). The conventions for each phrase are
listed in `day_phrases` (dates) and `time_phrases` (times).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from voicetools.language.day_phrases import find_dates, prepare
from voicetools.language.time_phrases import clock, find_times
from voicetools.spec.model import Function

__all__ = [
    "date_format",
    "is_date_parameter",
    "is_time_parameter",
    "normalise_arguments",
    "resolve_date",
    "resolve_time",
    "without_when_words",
    "write_date",
]

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CONNECTORS = frozenset({"on", "at", "by", "for", "due", "before", "until", "around", "and"})
"""Words that join a date or time to the rest of a phrase ("buy milk *by* Friday")."""


def resolve_date(text: str, today: date) -> date | None:
    """The date the caller means in `text` (a whole sentence), or None when it names none.

    >>> resolve_date("um, can I come in next Friday?", date(2026, 11, 18))
    datetime.date(2026, 11, 27)
    """
    found = find_dates(prepare(text), today)
    return found[-1].value if found else None


_ANY_DAY = date(2026, 1, 7)
"""For `names_a_date`: only whether a date is named matters, not which one."""


def names_a_date(text: str) -> bool:
    """Whether `text` names a date at all ("tomorrow", "May 8"), whichever day it is."""
    return resolve_date(text, _ANY_DAY) is not None


def resolve_time(text: str) -> time | None:
    """The clock time the caller means in `text`, or None when it names none.

    >>> resolve_time("half past two works")
    datetime.time(14, 30)
    """
    prepared = prepare(text)
    for found in reversed(find_times(prepared)):
        value = clock(found, prepared)
        if value is not None:
            return value
    return None


_DATE_FORMS = {
    "YYYY-MM-DD": "%Y-%m-%d", "MM/DD/YYYY": "%m/%d/%Y", "DD/MM/YYYY": "%d/%m/%Y",
    "YYYY/MM/DD": "%Y/%m/%d", "YYYY.MM.DD": "%Y.%m.%d", "DD.MM.YYYY": "%d.%m.%Y",
    "MM-DD-YYYY": "%m-%d-%Y", "DD-MM-YYYY": "%d-%m-%Y",
}  # fmt: skip
"""Date forms a parameter's description may ask for, as strftime patterns."""
_CLOCK_IN_FORM = re.compile(r"\bHH\b|\bhh:|:mm\b|:MM\b")
"""A description whose form has a clock time ("YYYY-MM-DD HH:mm:ss"): a date-time, no date."""


def _described_form(schema: Mapping[str, Any]) -> str | None:
    description = str(schema.get("description", ""))
    if _CLOCK_IN_FORM.search(description):
        return None
    upper = description.upper()
    return next((form for spoken, form in _DATE_FORMS.items() if spoken in upper), None)


def date_format(schema: Mapping[str, Any]) -> str:
    """The strftime form of a date parameter: the one its description asks for ("in the
    format 'MM/DD/YYYY'"), else ISO, as `format: date` means."""
    if schema.get("format") == "date":
        return "%Y-%m-%d"
    return _described_form(schema) or "%Y-%m-%d"


def write_date(schema: Mapping[str, Any], day: date) -> str:
    """`day` as the parameter wants it written (`date_format`)."""
    return day.strftime(date_format(schema))


def is_date_parameter(name: str, schema: Mapping[str, Any]) -> bool:
    """`format: date`, a string named `date`, `*_date` or `date_*`, or one whose description
    asks for a date form ("MM/DD/YYYY"); enums like weekdays are not, nor date-times."""
    if schema.get("format") == "date":
        return True
    if "enum" in schema or schema.get("type") not in (None, "string"):
        return False
    if _CLOCK_IN_FORM.search(str(schema.get("description", ""))):
        return False
    named = name == "date" or name.endswith("_date") or name.startswith("date_")
    return named or _described_form(schema) is not None


def is_time_parameter(name: str, schema: Mapping[str, Any]) -> bool:
    """`format: time`, a string named `time` / `*_time`, or one whose pattern takes "14:30"."""
    if schema.get("format") == "time":
        return True
    if "enum" in schema or schema.get("type") not in (None, "string"):
        return False
    if name == "time" or name.endswith("_time"):
        return True
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            return re.search(pattern, "14:30") is not None and re.search(pattern, "1430") is None
        except re.error:
            return False
    return False


def _written_as(text: str, form: str) -> bool:
    try:
        datetime.strptime(text, form)
    except ValueError:
        return False
    return True


def normalise_arguments(
    function: Function, arguments: Mapping[str, Any], caller_text: str, today: date
) -> dict[str, Any]:
    """A copy of `arguments` with dates (YYYY-MM-DD, or the form the parameter's description
    asks for) and times (HH:MM) resolved in code.

    For each date or time argument the model produced: when `caller_text` (the caller's
    latest turn) names a date (time), that value replaces the model's; otherwise a value the
    model wrote in words ("next friday", "3pm") is resolved the same way, and a value already
    in the right form is kept (it may come from an earlier turn or a tool result). Arguments
    the model left out are not added: the grounding check decides whether to ask for them.
    When a function has several date parameters (start and end), the caller's single date
    cannot be assigned safely, so only values in words are resolved.
    """
    out = dict(arguments)
    props = function.properties
    date_names = [n for n, s in props.items() if isinstance(s, Mapping) and is_date_parameter(n, s)]
    time_names = [n for n, s in props.items() if isinstance(s, Mapping) and is_time_parameter(n, s)]
    said_date = resolve_date(caller_text, today)
    said_time = resolve_time(caller_text)
    for name in date_names:
        if name not in out or out[name] is None:
            continue
        schema = props[name]
        value = said_date if len(date_names) == 1 else None
        if value is None and not _written_as(str(out[name]), date_format(schema)):
            value = resolve_date(str(out[name]), today)
        if value is not None:
            out[name] = write_date(schema, value)
    for name in time_names:
        if name not in out or out[name] is None:
            continue
        when = said_time if len(time_names) == 1 else None
        if when is None and not _HH_MM.match(str(out[name])):
            when = resolve_time(str(out[name]))
        if when is not None:
            out[name] = when.strftime("%H:%M")
    has_date = any(out.get(n) is not None for n in date_names)
    has_time = any(out.get(n) is not None for n in time_names)
    if has_date or has_time:
        for name, schema in props.items():
            value = out.get(name)
            if isinstance(value, str) and _is_free_text(name, schema, date_names + time_names):
                out[name] = without_when_words(value, today, dates=has_date, times=has_time)
    return out


def without_when_words(text: str, today: date, *, dates: bool = True, times: bool = False) -> str:
    """`text` without the date (and time) words at its end: "Buy milk tomorrow" -> "Buy milk".

    Used on free-text arguments (a task title) once the date has its own argument: the model
    copies the caller's whole phrase into the title, and a title that says "tomorrow" is wrong
    from tomorrow on. Only a trailing run of whole words that are all date/time expressions or
    joining words is removed, and never the whole text.
    """
    words = text.split()
    keep = len(words)
    for cut in range(len(words) - 1, 0, -1):
        if _all_when_words(" ".join(words[cut:]), today, dates=dates, times=times):
            keep = cut
    return " ".join(words[:keep]).rstrip(" ,;:-") if keep < len(words) else text


def _all_when_words(phrase: str, today: date, *, dates: bool, times: bool) -> bool:
    prepared = prepare(phrase).strip(" ,.!?")
    spans = [(f.start, f.end) for f in find_dates(prepared, today)] if dates else []
    spans += [(f.start, f.end) for f in find_times(prepared)] if times else []
    if not spans:
        return False
    rest = list(prepared)
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    leftover = re.findall(r"[a-z0-9']+", "".join(rest))
    return all(word in _CONNECTORS for word in leftover)


def _is_free_text(name: str, schema: Any, when_names: list[str]) -> bool:
    """A plain string argument (a title, a note): no enum, format or pattern; not a date."""
    return (
        isinstance(schema, Mapping)
        and name not in when_names
        and schema.get("type") == "string"
        and not {"enum", "format", "pattern", "const"} & set(schema)
    )
