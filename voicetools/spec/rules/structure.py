"""S: the shape of the file, checked against the published JSON Schema (`voicetools schema`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.schema import AGENT_SCHEMA

declare("S101", "unknown-field", Severity.ERROR, "A field the agent format does not have.")
declare("S102", "wrong-value", Severity.ERROR, "A field has the wrong type or an invalid value.")
declare("S103", "missing-field", Severity.ERROR, "A required field is missing.")
declare("S104", "not-an-agent", Severity.ERROR, "The file is empty or not a mapping.")

_VALIDATOR = Draft202012Validator(AGENT_SCHEMA)

# Names other platforms use, so a migrating author is told where the field lives here.
_ALIASES = {
    "url": "http: {url: ...}",
    "api_url": "http: {url: ...}",
    "method": "http: {method: ...}",
    "headers": "http: {headers: ...}",
    "handler": "python",
    "function": "python",
    "arguments": "parameters",
    "args": "parameters",
    "params": "parameters",
    "input_schema": "parameters",
    "schema": "parameters",
    "timeout": "timeout_ms",
    "prompt": "instructions",
    "system_prompt": "instructions",
    "first_message": "greeting",
    "tools": "functions",
}
_JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "mapping",
    type(None): "null",
}


@rule
def shape(ctx: LintContext) -> Iterator[Finding]:
    data = ctx.doc.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"{_article(_type_name(data))}, not a mapping"
        yield ctx.finding("S104", f"the agent file is {what}", ())
        return
    for error in _VALIDATOR.iter_errors(data):
        yield from _translate(ctx, error)


def _translate(ctx: LintContext, error: ValidationError) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    field = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "this value"
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed)):
            yield ctx.finding(
                "S101",
                f"unknown field `{extra}`",
                (*path, extra),
                key=True,
                hint=_hint(extra, allowed),
            )
    elif kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        yield ctx.finding("S103", f"missing required field `{missing}`", path, key=True)
    elif kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join("mapping" if n == "object" else n for n in names)
        yield ctx.finding(
            "S102", f"{field} must be {_article(wanted)}, not {_type_name(error.instance)}", path
        )
    elif kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        yield ctx.finding("S102", f"{field} must be one of: {choices}", path)
    elif kind in {"minimum", "maximum"}:
        bounds = error.schema
        yield ctx.finding(
            "S102",
            f"{field} is {error.instance}; it must be within "
            f"{bounds.get('minimum', '-inf')}..{bounds.get('maximum', 'inf')}",
            path,
        )
    elif kind == "anyOf":
        why = error.schema.get("description", "the value does not fit any allowed form")
        yield ctx.finding("S102", f"{field} is invalid: {why}", path)
    elif kind == "const":
        yield ctx.finding("S102", f"{field} must be {error.validator_value!r}", path)
    else:
        yield ctx.finding("S102", f"{field}: {error.message}", path)


def _hint(extra: str, allowed: list[str]) -> str | None:
    close = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if extra in _ALIASES:
        return f"write it as `{_ALIASES[extra]}`"
    return None


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"
