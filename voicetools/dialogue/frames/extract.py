"""Typed values read by code from one caller line: dates, times, enum values, spoken numbers.

The model is not needed to hear "Next Monday at 3 pm" or "a checkup" once the function is known,
and code does not invent: a value is read only when the line names exactly one that fits the
parameter. Self-corrections are honoured (`language.final_words`): "9004, sorry, 9005" reads
9005; only parameters nothing fits in the final words are looked for in the whole line (without
the values turned down: "Tuesday, not Monday"). A code of letters and digits is read when said
after its noun ("plate R T two two oh nine"). Names and free text are left to the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind, is_count
from voicetools.dialogue.checks.repair import digit_runs, fits
from voicetools.language import (
    MONTHS,
    code_after,
    final_words,
    is_date_parameter,
    is_time_parameter,
    resolve_date,
    resolve_time,
    spoken_to_digits,
    without_rejected,
    write_date,
)
from voicetools.spec.model import Function

_ORDINAL_OR_MONTH = re.compile(
    r"\d(st|nd|rd|th)\b|\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b"
)


_TIME = re.compile(
    r"\b(?:(?:at|by|around|about)\s+(?:half past |quarter (?:past|to) )?\d{1,2}(?:[:. ]\d{2})?"
    r"(?:\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock))?|\d{1,2}(?:[:. ]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|"
    r"o'?clock))\b"
)
_TIME_LEFT = re.compile(r"\d:\d|\b(am|pm|o'?clock|half past|quarter)\b")
"""A time the strip missed: the count is left to the model then."""


def values_said(function: Function, text: str, today: date) -> dict[str, Any]:
    """The typed values `text` gives for `function`'s parameters (the corrected one wins)."""
    found = _typed(function, final_words(text), today)
    for name, value in _typed(function, without_rejected(text), today).items():
        found.setdefault(name, value)
    return found


def typed(function: Function, name: str) -> bool:
    """Whether code reads this parameter's value itself (`values_said`)."""
    schema = _schema(function, name)
    return (
        "enum" in schema
        or is_date_parameter(name, schema)
        or is_time_parameter(name, schema)
        or identifier_kind(name, schema) == "digits"
        or _counted(function, name)
    )


def _counted(function: Function, name: str) -> bool:
    """Whether code reads this quantity itself: the function's only one, beside no digit
    identifier that a lone number could also be ("four of us" is the party size)."""
    counts = [n for n in function.properties if is_count(_schema(function, n))]
    digit_ids = [
        n for n in function.properties if identifier_kind(n, _schema(function, n)) == "digits"
    ]
    return counts == [name] and not digit_ids


def _named_number(name: str, text: str) -> str | None:
    """The number said right after the parameter's noun ("order 4521", "the order is 4522"
    for order_id), for an identifier with no digits pattern: said with its name, it is meant."""
    noun = re.escape(name.lower().split("_")[0])
    spoken = spoken_to_digits(text).lower()
    found = re.findall(rf"\b{noun}\s+(?:(?:number|no|id|is|was|\#)\s+)*(\d[\d -]*\d|\d)\b", spoken)
    runs = {re.sub(r"\D", "", run) for run in found}
    return runs.pop() if len(runs) == 1 else None


def _weekday(options: list[Any], text: str, today: date) -> list[Any]:
    """The weekday option a date in `text` falls on ("tomorrow" is "thursday" on a Wednesday),
    for an enum of weekday names."""
    when = resolve_date(text, today)
    if when is None:
        return []
    day = when.strftime("%A").lower()
    return [o for o in options if str(o).lower() in (day, day[:3])]


def _one_count(schema: Mapping[str, Any], text: str) -> int | None:
    """The one number in a line besides its time, in a line that names no day of a month (a
    count in "for six people on Saturday" and "for two, Friday at 7 pm", none in "for 4 on the
    20th at 7"); the word "one" is no count ("the other one")."""
    spoken = spoken_to_digits(text).lower()
    if _ORDINAL_OR_MONTH.search(spoken):
        return None
    if resolve_time(text) is not None:
        spoken = _TIME.sub(" ", spoken)  # "for 2, friday at 7 pm": the 7 is the time
        if _TIME_LEFT.search(spoken):
            return None
    runs = set(re.findall(r"\d+", spoken))
    if len(runs) != 1:
        return None
    run = runs.pop()
    if run == "1" and not re.search(r"\b1\b", text) or not fits(schema, run):
        return None
    return int(run)


def enum_named(options: list[Any], text: str) -> list[Any]:
    """The values of an enum that `text` names ("a check-up" names "checkup")."""
    words = _words(text)
    return [o for o in options if _spoken(o) & words]


def _schema(function: Function, name: str) -> Mapping[str, Any]:
    schema = function.properties.get(name, {})
    return schema if isinstance(schema, Mapping) else {}


def _typed(function: Function, text: str, today: date) -> dict[str, Any]:
    props = {n: _schema(function, n) for n in function.properties}
    dates = [n for n, s in props.items() if is_date_parameter(n, s)]
    times = [n for n, s in props.items() if is_time_parameter(n, s)]
    out: dict[str, Any] = {}
    when = resolve_date(text, today) if len(dates) == 1 else None
    if when is not None:
        out[dates[0]] = write_date(props[dates[0]], when)
    at = resolve_time(text) if len(times) == 1 else None
    if at is not None:
        out[times[0]] = at.strftime("%H:%M")
    for name, schema in props.items():
        options = schema.get("enum")
        if isinstance(options, list):
            named = enum_named(options, text) or _weekday(options, text, today)
            if len(named) == 1:
                out[name] = named[0]
        elif name not in out and _counted(function, name):
            count = _one_count(schema, text)
            if count is not None:
                out[name] = count
        elif name not in out and identifier_kind(name, schema) == "code":
            code = code_after(tuple(w for w in name.lower().split("_") if len(w) > 2), text)
            if code is not None:
                out[name] = code
        elif name not in out and identifier_kind(name, schema) == "id":
            run = _named_number(name, text)
            if run is not None:
                out[name] = run
        elif name not in out and identifier_kind(name, schema) == "digits":
            run = _one_number(schema, text, names_time=at is not None)
            if run is not None:
                out[name] = int(run) if schema.get("type") == "integer" else run
    return out


def _one_number(schema: Mapping[str, Any], text: str, *, names_time: bool) -> str | None:
    """The only digit run in `text` the schema accepts; single digits count only alone, and
    short runs not at all in a line that names a time ("at 3 pm" is no appointment 3)."""
    fitting = [run for run in digit_runs(text) if fits(schema, run)]
    if names_time:
        fitting = [run for run in fitting if len(run) > 2]
    if len(fitting) > 1:
        fitting = [run for run in fitting if len(run) > 1]
    return fitting[0] if len(set(fitting)) == 1 else None


def _words(text: str) -> set[str]:
    """Words and two-word phrases (spaced and closed up), plurals also as singulars."""
    found = re.findall(r"[a-z0-9]+", text.lower().replace("-", ""))
    pairs = list(zip(found, found[1:], strict=False))
    words = set(found) | {f"{a} {b}" for a, b in pairs} | {a + b for a, b in pairs}
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


def _spoken(value: Any) -> set[str]:
    spaced = " ".join(re.findall(r"[a-z0-9]+", str(value).lower()))
    return {spaced, spaced.replace(" ", "")}
