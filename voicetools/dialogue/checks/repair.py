"""Argument values taken back from the caller's own words where the model got them wrong.

Two mistakes of small models that code can fix from what the caller said:

- Spoken numbers. The 0.5B model copies "4521" faithfully but turns "forty five twenty one" or
  "seven oh oh three" into "452101" or "700000000000". When the model's value for a digits
  identifier is not in the conversation and the caller's latest turn holds exactly one run of
  spoken digits that fits the parameter ("order 45 21" -> "4521"), that run is the value: it
  comes from the caller, which is all grounding asks. Otherwise nothing changes and grounding
  asks the caller.
- Enum values. The model fills optional enums nobody mentioned (`priority: high` for "add pay
  rent, due tomorrow") and picks the wrong value of a required one when the caller named
  another ("a follow-up" -> `service: checkup`). An optional enum value the caller never
  said, nor a common synonym of it (`_SYNONYMS`), is dropped so the default applies; a value
  the caller did not say is replaced when the caller named exactly one value of that enum.

A caller who corrects themself ("9004, sorry, 9005", "high, I mean low") is read from the
words after the correction first (`final_words`): the later value wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind, is_grounded, said_last, tokens
from voicetools.language import corrects_itself, final_words
from voicetools.spec.model import Function

_SYNONYMS: dict[str, frozenset[str]] = {
    "high": frozenset({"urgent", "important", "asap", "critical", "urgently"}),
    "low": frozenset({"whenever", "someday", "eventually"}),
    "medium": frozenset({"normal", "regular"}),
    "done": frozenset({"finished", "completed", "complete"}),
    "all": frozenset({"everything", "every"}),
    "open": frozenset({"pending", "unfinished", "outstanding", "remaining", "left"}),
}
"""Words callers use for common enum values: a value counts as said when one of these is."""


def repaired(
    function: Function,
    arguments: Mapping[str, Any],
    *,
    utterance: str,
    caller_turns: Sequence[str],
    sources: Sequence[str],
) -> dict[str, Any]:
    """A copy of `arguments` with spoken digits and enum values taken from the caller's words.

    `sources` are the texts an identifier may come from (caller turns, variables, what the
    caller heard); `caller_turns` are the caller's own turns, oldest first.
    """
    out = dict(arguments)
    for name, schema in function.properties.items():
        if not isinstance(schema, Mapping):
            continue
        if "enum" in schema:
            _repair_enum(out, name, schema, caller_turns, name in function.required)
        elif name in out and identifier_kind(name, schema) == "digits":
            last = _one_fitting_run(schema, final_words(utterance))
            # the line said the model's value and then took it back: "9004, sorry, 9005"
            corrected = (
                corrects_itself(utterance)
                and last not in (None, str(out[name]))
                and is_grounded(name, schema, out[name], [utterance])
                and not is_grounded(name, schema, out[name], [said_last(utterance)])
            )
            if corrected or not is_grounded(name, schema, out[name], sources):
                heard = last or _one_fitting_run(schema, utterance)
                if heard is not None:
                    out[name] = int(heard) if schema.get("type") == "integer" else heard
    return out


def digit_runs(text: str) -> list[str]:
    """Runs of consecutive spoken or written digit groups, joined: "order 45 21" -> ["4521"]."""
    runs: list[str] = []
    current = ""
    for token in tokens(text, "digits"):
        if token.isdigit():
            current += token
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


def _one_fitting_run(schema: Mapping[str, Any], text: str) -> str | None:
    """The only digit run in `text` the schema accepts (single digits count only alone)."""
    fitting = [run for run in digit_runs(text) if fits(schema, run)]
    if len(fitting) > 1:
        fitting = [run for run in fitting if len(run) > 1]
    return fitting[0] if len(fitting) == 1 else None


def fits(schema: Mapping[str, Any], run: str) -> bool:
    """Whether the digit string `run` is a value the parameter's schema accepts."""
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            if re.search(pattern, run) is None:
                return False
        except re.error:
            return False
    if schema.get("type") == "integer":
        value = int(run)
        low, high = schema.get("minimum"), schema.get("maximum")
        return (low is None or value >= low) and (high is None or value <= high)
    return len(run) >= int(schema.get("minLength", 1)) and len(run) <= int(
        schema.get("maxLength", len(run))
    )


def _words(text: str) -> set[str]:
    """Caller words and two-word phrases, plurals also as singulars, hyphens closed up:
    "follow-up consultations this week" says "followup", "consultation" and "this week"."""
    found = re.findall(r"[a-z0-9]+", text.lower().replace("-", ""))
    words = set(found) | {f"{a} {b}" for a, b in zip(found, found[1:], strict=False)}
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


def _said(value: Any, words: set[str]) -> bool:
    spaced = " ".join(re.findall(r"[a-z0-9]+", str(value).lower()))
    plain = spaced.replace(" ", "")
    return bool({spaced, plain} & words) or bool(_SYNONYMS.get(plain, frozenset()) & words)


def _repair_enum(
    out: dict[str, Any],
    name: str,
    schema: Mapping[str, Any],
    caller_turns: Sequence[str],
    required: bool,
) -> None:
    every_word = _words(" ".join(caller_turns))
    latest = caller_turns[-1] if caller_turns else ""
    last = [v for v in schema["enum"] if _said(v, _words(final_words(latest)))]
    if name in out and corrects_itself(latest) and len(last) == 1:
        out[name] = last[0]  # "high, I mean low": the later value wins
        return
    if name not in out or _said(out[name], every_word):
        return
    for turn in reversed(caller_turns):  # the latest turn that names one value decides
        named = [v for v in schema["enum"] if _said(v, _words(final_words(turn)))]
        named = named or [v for v in schema["enum"] if _said(v, _words(turn))]
        if len(named) == 1:
            out[name] = named[0]
            return
    if not required:
        del out[name]  # invented: the function's default applies
