"""The one question a turn asks for a frame: the first missing value, in the schema's words.

One value a turn, because a caller answers one question at a time (asked "which day and what
time", the caller in the issue answered neither); a day and a time are the exception, asked
together ("What day and time would you like?") since callers say them together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from voicetools.dialogue.checks.grounding import question_for
from voicetools.language import is_date_parameter, is_time_parameter
from voicetools.spec.model import Function

DAY_AND_TIME = "What day and time would you like?"


def _when(function: Function, name: str) -> str | None:
    schema = function.properties.get(name, {})
    schema = schema if isinstance(schema, Mapping) else {}
    if is_date_parameter(name, schema):
        return "date"
    return "time" if is_time_parameter(name, schema) else None


def next_question(function: Function, missing: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """(the names asked for, the question) for the first of `missing`."""
    if not missing:
        return (), question_for(function, [])
    first = missing[0]
    kind = _when(function, first)
    if kind is not None:
        other = "time" if kind == "date" else "date"
        partner = [n for n in missing if _when(function, n) == other]
        if len(partner) == 1 and sum(_when(function, n) == kind for n in missing) == 1:
            return (first, partner[0]), DAY_AND_TIME
    return (first,), question_for(function, [first])
