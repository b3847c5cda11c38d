"""`extract: data.items[0].status`: keep one part of a JSON response.

Responses are often much bigger than what the model needs; sending less keeps the prompt short
and the answer on topic. The syntax is deliberately tiny: dot-separated keys, each optionally
followed by `[n]` list indices (`[-1]` is the last item); a leading `[n]` indexes a top-level
list. No wildcards or filters: anything richer belongs in a Python tool.
"""

from __future__ import annotations

import re
from typing import Any

_STEP = re.compile(r"\[(-?[0-9]+)\]|\.?([^.\[\]]+)")


class ExtractError(ValueError):
    """The path is malformed or does not exist in the value; the message says where it stopped."""


def parse_path(path: str) -> tuple[str | int, ...]:
    """`a.b[0].c` -> ("a", "b", 0, "c"); `ExtractError` on a malformed path."""
    steps: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _STEP.match(path, pos)
        if match is None or (match.group(2) is not None and pos > 0 and path[pos] != "."):
            raise ExtractError(f"Malformed path {path!r} at character {pos + 1}")
        index, key = match.groups()
        steps.append(int(index) if index is not None else key)
        pos = match.end()
    if not steps or path.startswith(".") or path.endswith("."):
        raise ExtractError(f"Malformed path {path!r}")
    return tuple(steps)


def extract(value: Any, path: str) -> Any:
    """The part of `value` that `path` names; `ExtractError` when it is not there."""
    current = value
    walked = ""
    for step in parse_path(path):
        if isinstance(step, int):
            if not isinstance(current, list) or not -len(current) <= step < len(current):
                raise ExtractError(f"No item [{step}] at {walked or 'the top level'}")
            current = current[step]
            walked += f"[{step}]"
        else:
            if not isinstance(current, dict) or step not in current:
                raise ExtractError(f"No field {step!r} at {walked or 'the top level'}")
            current = current[step]
            walked += f".{step}" if walked else step
    return current
