"""Check a model's arguments against the function's JSON Schema before anything runs.

The model reads the problem and usually fixes the call or asks the caller, so the message names
the field and what was expected, in a short sentence of our own. It never echoes the value:
what the model sent may be long, or a card number, and it gains nothing from seeing it again.

Formats are checked (`date` as YYYY-MM-DD, `time` as HH:MM or HH:MM:SS with an optional
offset, `date-time` as ISO 8601): a booking for "next tuesday" must not reach the backend.
`time` is more lenient than RFC 3339 on purpose, since callers speak local wall-clock times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(
    r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
_FORMAT_HINTS = {"date": "YYYY-MM-DD", "time": "HH:MM", "date-time": "YYYY-MM-DDTHH:MM"}
MAX_PROBLEMS = 3

FORMATS = FormatChecker()


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_DATE.fullmatch(value)) and date.fromisoformat(value) is not None


@FORMATS.checks("time")
def _is_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_TIME.fullmatch(value))


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_DATE_TIME.match(value)) and datetime.fromisoformat(value) is not None


def validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(dict(schema), format_checker=FORMATS)


def problems(validator: Draft202012Validator, arguments: Any) -> list[str]:
    """Short, value-free sentences, one per problem, most useful first; [] when valid."""
    if not isinstance(arguments, Mapping):
        return ["arguments must be a JSON object"]
    errors = sorted(validator.iter_errors(dict(arguments)), key=lambda e: (len(e.path), e.path))
    found: list[str] = []
    for error in errors:
        sentence = _describe(error)
        if sentence not in found:
            found.append(sentence)
    return found


def describe_problems(found: list[str]) -> str:
    shown = "; ".join(found[:MAX_PROBLEMS])
    more = len(found) - MAX_PROBLEMS
    return f"{shown} (and {more} more)" if more > 0 else shown


def _field(error: ValidationError) -> str:
    parts = [str(p) if isinstance(p, str) else f"[{p}]" for p in error.absolute_path]
    return ".".join(parts).replace(".[", "[") or "arguments"


def _describe(error: ValidationError) -> str:
    field = _field(error)
    kind, expected = error.validator, error.validator_value
    if kind == "required" and isinstance(error.instance, Mapping):
        missing = [name for name in expected if name not in error.instance]
        prefix = "" if field == "arguments" else f"{field}."
        return ", ".join(f"{prefix}{name}" for name in missing) + " is required"
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return f"{field} must be of type {' or '.join(str(n) for n in names)}"
    if kind == "enum":
        return f"{field} must be one of: {', '.join(str(c) for c in expected)}"
    if kind == "const":
        return f"{field} must be {expected!r}"
    if kind == "format":
        hint = _FORMAT_HINTS.get(str(expected))
        return f"{field} must be a {expected}" + (f" ({hint})" if hint else "")
    if kind == "pattern":
        return f"{field} does not match the pattern {expected}"
    if kind == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        return f"unexpected argument {', '.join(extra)}" if extra else f"{field} has extra fields"
    if kind in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        return f"{field} must be {_BOUND_WORDS[kind]} {expected}"
    if kind in {"minLength", "maxLength", "minItems", "maxItems"}:
        return (
            f"{field} must have {'at least' if kind.startswith('min') else 'at most'} {expected} "
            + ("characters" if kind.endswith("Length") else "items")
        )
    return f"{field} is invalid ({kind})"


_BOUND_WORDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}
