"""A spoken answer built in code from a tool's result, for when the model gives none.

A small model sometimes cannot use a result (`{"ok": true}` has nothing to paraphrase) and
writes nothing, markup or another call. The caller then hears what the result says, e.g.
"Done: your refill request went through.", rather than "Sorry, I didn't catch that", which
would suggest that nothing happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicetools.dialogue.checks.actions import is_lookup
from voicetools.dialogue.checks.verbs import name_words
from voicetools.spec.model import Function
from voicetools.tools import spoken_value

MAX_FACTS = 4
"""A spoken answer reads at most this many fields of a result; more would not be followed."""
_SILENT_KEYS = frozenset({"ok", "success", "duplicate"})
"""Fields that only say the call worked, which "Done" already says."""
_REQUEST_VERBS = frozenset({"request", "submit"})
NOTHING_FOUND = "I checked, and there's nothing to report."


def result_line(function: Function, payload: Any) -> str:
    """What to say about `function`'s successful result `payload`."""
    if isinstance(payload, Mapping) and isinstance(payload.get("message"), str):
        return payload["message"].strip()  # the tool's own sentence, meant to be heard
    facts = _facts(payload)
    details = f"{facts[0].upper()}{facts[1:]}." if facts else ""
    if is_lookup(function):
        return (
            f"Here's what I found: {facts}."
            if facts
            else "I checked, and there's nothing to report."
        )
    done = f"Done: your {_request(function)} went through."
    return f"{done} {details}" if details else done


def _request(function: Function) -> str:
    """The call as a thing the caller asked for: "refill request", "request to book the
    appointment"."""
    verb, *rest = [w.lower() for w in name_words(function.builtin or function.name)] or ["it"]
    thing = " ".join(rest)
    if verb in _REQUEST_VERBS and thing:
        return f"{thing} request"
    return f"request to {verb} the {thing}" if thing else f"request to {verb}"


def _facts(payload: Any) -> str:
    """The result's fields as words: "status ready, pickup date Friday, May 8th"."""
    if not isinstance(payload, Mapping):
        return spoken_value(payload) if payload not in (None, "", True) else ""
    said = []
    for key, value in payload.items():
        if key in _SILENT_KEYS or value in (None, "", [], {}):
            continue
        label = str(key).replace("_", " ")
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            one = len(value) == 1 and label.endswith("s")
            said.append(f"1 {label[:-1]}" if one else f"{len(value)} {label}")
        elif not isinstance(value, Mapping):
            said.append(f"{label} {spoken_value(value)}")
        if len(said) == MAX_FACTS:
            break
    return ", ".join(said)
