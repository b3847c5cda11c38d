"""Values a frame takes from outside the caller's line: agent variables and earlier results.

A required parameter named like an agent variable takes its value (the caller's account, set by
the platform). One named like a key of a tool result the caller has heard takes the latest such
value, so "check then book" does not ask again for the date just checked. Only scalar values the
parameter's schema allows are taken; anything else is left to ask for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from voicetools.dialogue.checks.grounding import is_grounded
from voicetools.dialogue.frames.frame import Filled, Frame, Source

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def fits_schema(schema: Mapping[str, Any], value: Any) -> bool:
    """Whether a scalar `value` is of the schema's type and among its enum values, if any."""
    if isinstance(value, bool) and schema.get("type") != "boolean":
        return False
    kinds = _TYPES.get(str(schema.get("type", "string")))
    if kinds is None or not isinstance(value, kinds):
        return False
    options = schema.get("enum")
    return not isinstance(options, list) or value in options


def _results(heard: Sequence[str]) -> list[Mapping[str, Any]]:
    """The heard results that are JSON objects, latest first."""
    out = []
    for text in reversed(heard):
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, Mapping):
            out.append(value)
    return out


def from_sources(
    frame: Frame, variables: Mapping[str, str], heard: Sequence[str], turn: int
) -> dict[str, Filled]:
    """Values for the frame's missing parameters from `variables` or the `heard` results."""
    found: dict[str, Filled] = {}
    results = _results(heard)
    for name in frame.missing():
        schema = frame.function.properties.get(name, {})
        schema = schema if isinstance(schema, Mapping) else {}
        if name in variables and fits_schema(schema, variables[name]):
            found[name] = Filled(variables[name], "variable", turn)
            continue
        for result in results:
            if name in result and fits_schema(schema, result[name]):
                found[name] = Filled(result[name], "result", turn)
                break
    return found


def source_of(
    name: str,
    schema: Mapping[str, Any],
    value: Any,
    variables: Mapping[str, str],
    caller_turns: Sequence[str],
) -> Source:
    """Where a checked value most likely came from: a variable it equals, the caller's words
    that ground it, else a result the caller heard (the checks let nothing else through)."""
    if isinstance(value, str) and value in variables.values():
        return "variable"
    return "caller" if is_grounded(name, schema, value, caller_turns) else "result"
