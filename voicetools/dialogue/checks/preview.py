"""What code can tell about a call once the model has named the function, before its arguments.

The router names the function first (`route.Intent`); writing the arguments takes the 0.5B
model another 0.3-0.9 s. Two things can be decided in that gap:

- `doomed`: a required number (an order id, a phone number) that no run of digits the caller
  said, or heard from a tool, could be: whatever number the model writes, grounding will
  refuse it (`grounding.is_grounded` matches it against runs of consecutive digit groups), so
  the engine asks for it at once instead of waiting for an invented number only to throw it
  away. The agent's variables count only for a parameter of the same name (or any of them for
  a phone number): the caller's phone number in `variables` is not a candidate order number.
- `answers`: whether the caller's reply to the agent's question for missing arguments holds
  them, so routing can weigh the function that asked (`cues.ANSWER_BONUS`).
- `likely_runs`: whether the call will probably run as it is, so the voice loop can start the
  tool's filler while the arguments are still being written. Only a guess, so it leans to
  "no" (and then the filler starts when the tool does, as before): a filler followed by "What's
  your order number?" sounds broken, a filler 0.5 s later does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind, tokens
from voicetools.dialogue.checks.repair import fits
from voicetools.language import (
    is_date_parameter,
    is_time_parameter,
    names_a_date,
    resolve_time,
)
from voicetools.spec.model import Function

_DIGIT_KINDS = ("digits", "phone")


def _digit_runs(text: str) -> set[str]:
    """Every run of consecutive digit groups in `text`, as `is_grounded` would join them."""
    groups = [re.sub(r"\D", "", word) for word in tokens(text, "digits")]
    runs: set[str] = set()
    for i in range(len(groups)):
        joined = ""
        for group in groups[i:]:
            if not group:
                break
            joined += group
            runs.add(joined)
    return runs


def _schema(function: Function, name: str) -> Mapping[str, Any]:
    schema = function.properties.get(name, {})
    return schema if isinstance(schema, Mapping) else {}


def _number_said(name: str, schema: Mapping[str, Any], texts: Sequence[str],
                 variables: Mapping[str, str]) -> bool:  # fmt: skip
    """Whether some digit run in the caller's words, what they heard, or a variable of the
    same name (any variable for a phone) is a value the schema accepts."""
    phone = identifier_kind(name, schema) == "phone"
    sources = [*texts, *(v for k, v in variables.items() if phone or k == name)]
    runs = {run for text in sources for run in _digit_runs(text)}
    if phone:
        return any(len(run) >= 7 for run in runs)  # country codes: `grounding._same_phone`
    return any(fits(schema, run) for run in runs)


def doomed(function: Function, texts: Sequence[str], variables: Mapping[str, str]) -> list[str]:
    """Required numbers (ids, phones) that nothing in `texts` (the caller's turns and the
    results they heard) or the matching `variables` could ground."""
    return [
        name
        for name in function.required
        if identifier_kind(name, _schema(function, name)) in _DIGIT_KINDS
        and not _number_said(name, _schema(function, name), texts, variables)
    ]


def _said(name: str, schema: Mapping[str, Any], texts: Sequence[str],
          variables: Mapping[str, str]) -> bool | None:  # fmt: skip
    """Whether `texts` hold a value for parameter `name`: a number the schema accepts
    (`_number_said`), a date, a time; None when code cannot tell (a name, free text)."""
    if identifier_kind(name, schema) in _DIGIT_KINDS:
        return _number_said(name, schema, texts, variables)
    if is_date_parameter(name, schema):
        return any(names_a_date(text) for text in texts)
    if is_time_parameter(name, schema):
        return any(resolve_time(text) is not None for text in texts)
    return None


def likely_runs(function: Function, caller_turns: Sequence[str], texts: Sequence[str],
                variables: Mapping[str, str]) -> bool:  # fmt: skip
    """Whether a call of `function` will probably pass the checks and run without a question.

    No when it asks for confirmation first, or a required argument has nothing to come from:
    a number nobody said (`doomed`), a date or time the caller never named, or a name, email or
    other identifier (code cannot tell whether the caller gave one).
    """
    if function.needs_confirmation or doomed(function, texts, variables):
        return False
    for name in function.required:
        schema = _schema(function, name)
        kind = identifier_kind(name, schema)
        if kind in _DIGIT_KINDS:
            continue  # `doomed` looked
        if kind is not None or _said(name, schema, caller_turns, {}) is False:
            return False
    return True


def answers(function: Function, asked_for: Sequence[str], text: str) -> bool:
    """Whether `text` (the caller's reply to the question for `asked_for`) could hold those
    arguments: a number the schema accepts, a date or time it names; other values (a name,
    free text) cannot be told apart from anything else and count as given."""
    return all(_said(name, _schema(function, name), [text], {}) is not False for name in asked_for)
