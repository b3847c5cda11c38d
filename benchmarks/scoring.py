"""Scoring one benchmark decision: right tool, right arguments.

Decided once here so that every model is judged the same way:
- A call is the right tool when its name matches; `end_call` is matched by an end of call.
  For `no_call` (reply or ask), the right tool is *no* call.
- Arguments are compared after filling schema defaults on both sides, so leaving out
  `priority: medium` equals saying it. The set of arguments must match exactly: an invented
  extra argument (an order id the caller never gave) is wrong.
- Identifiers compare without case, spaces or dashes; integers accept "3" for 3; dates and
  times exactly (after the engine's own resolution). Free text (`title`, `issue`, `message`)
  is right when every significant word of the label appears in the model's text ("buy milk"
  matches "Buy some milk"). `any_value` arguments only need to be present.
- For `no_call` and `end_call` cases, right arguments equals right tool.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from voicetools.dialogue.checks.grounding import identifier_kind, tokens
from voicetools.language.dates import is_date_parameter, is_time_parameter

_STOPWORDS = {"a", "an", "the", "to", "my", "for", "of", "and", "please", "some", "me", "i"}

ExpectKind = Literal["call", "reply", "ask", "end_call"]


@dataclass(frozen=True)
class Expect:
    """What the agent should do after the utterance."""

    kind: ExpectKind
    name: str = ""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    any_value: tuple[str, ...] = ()
    """Arguments the caller left open: any valid value is right."""
    asks_for: tuple[str, ...] = ()
    """For `ask`: the missing arguments."""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    """The expected function's JSON Schema, filled in by `attach()`; used for scoring."""


@dataclass(frozen=True)
class Outcome:
    """What a model did: called a function, replied (or asked), or ended the call."""

    kind: Literal["call", "reply", "end_call"]
    name: str = ""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""


class Score(NamedTuple):
    """A NamedTuple, so `right_tool, right_arguments = score(...)` reads naturally."""

    right_tool: bool
    right_arguments: bool


def _filled(parameters: Mapping[str, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    props = parameters.get("properties") or {}
    defaults = {
        k: s["default"] for k, s in props.items() if isinstance(s, Mapping) and "default" in s
    }
    return {**defaults, **{k: v for k, v in arguments.items() if v is not None}}


def _words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in _STOPWORDS}


def _same(name: str, schema: Mapping[str, Any], expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int) and not isinstance(actual, bool):
        return str(actual).strip() == str(expected)
    if not isinstance(actual, str):
        return False
    kind = identifier_kind(name, schema)
    if kind is not None:
        norm = (lambda s: re.sub(r"[\s\-().]", "", s)) if kind in ("digits", "phone") else _squash
        return norm(actual).casefold() == norm(str(expected)).casefold()
    free = not ({"enum", "const", "pattern", "format"} & set(schema))
    if free and not (is_date_parameter(name, schema) or is_time_parameter(name, schema)):
        return _words(str(expected)) <= _words(actual)
    return actual.strip().casefold() == str(expected).strip().casefold()


def _squash(text: str) -> str:
    return re.sub(r"[^\w]", "", text)


def score(expected: Expect, actual: Outcome) -> Score:
    """Right tool and right arguments for one case (rules in the module docstring)."""
    if expected.kind in ("reply", "ask"):
        ok = actual.kind == "reply"
        return Score(ok, ok)
    if expected.kind == "end_call":
        ok = actual.kind == "end_call" or (actual.kind == "call" and actual.name == "end_call")
        return Score(ok, ok)
    if actual.kind != "call" or actual.name != expected.name:
        return Score(False, False)
    want = _filled(expected.parameters, expected.arguments)
    got = _filled(expected.parameters, actual.arguments)
    if set(want) != set(got):
        return Score(True, False)
    props = expected.parameters.get("properties") or {}
    right = all(
        name in expected.any_value or _same(name, props.get(name) or {}, value, got[name])
        for name, value in want.items()
    )
    return Score(True, right)


def edit_distance(heard: Sequence[str], said: Sequence[str]) -> int:
    """Word errors: substitutions, insertions and deletions turning `said` into `heard`."""
    row = list(range(len(said) + 1))
    for i, word in enumerate(heard, 1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(said, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (word != other))
    return row[-1]
