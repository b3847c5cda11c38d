"""Claims in what the agent said: "your table is booked" needs a booking that really ran.

A claim is a past-tense action word in a statement of the agent: booked, cancelled, sent,
transferred, created, reset, deleted... Questions ("Shall I book it?") claim nothing, and
neither do words under a negation or a modal just before them ("has not been booked",
"I can cancel it", "will be sent"). A claim is supported when a call that ran, in this turn or
an earlier one, does that action (its function name holds one of the action's stems: `booked`
by book_table or reserve_*), or when a result that came back says the word itself (a status
lookup answering "cancelled").

It is a word rule, not understanding: it is meant to catch the small model's "Your appointment
is booked for 4 pm" said without any call, and the unit tests hold its edges.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ACTIONS: Mapping[str, tuple[str, ...]] = {
    "booked": ("book", "reserve", "schedule"),
    "reserved": ("book", "reserve", "schedule"),
    "scheduled": ("book", "reserve", "schedule"),
    "cancelled": ("cancel", "delete", "remove"),
    "canceled": ("cancel", "delete", "remove"),
    "deleted": ("delete", "remove", "cancel"),
    "removed": ("delete", "remove", "cancel"),
    "created": ("create", "add", "open", "submit"),
    "opened": ("create", "add", "open", "submit"),
    "submitted": ("create", "add", "open", "submit"),
    "logged": ("create", "add", "open", "submit"),
    "added": ("create", "add"),
    "sent": ("send", "sms", "reset"),
    "texted": ("send", "sms"),
    "transferred": ("transfer",),
    "transferring": ("transfer",),
    "reset": ("reset",),
    "completed": ("complete",),
}
"""Each action word a reply may claim, and the function-name stems that support it."""
_HEDGES = frozenset(
    "not never no cannot cant can could will would should shall may might if once to want "
    "like please let lets before until unless dont cant wont isnt hasnt havent wasnt didnt "
    "arent werent couldnt".split()
)
"""Words that, within three words before an action word, make it no claim."""
_WORD = re.compile(r"[a-z']+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Ran:
    """A call that ran: its function and what it answered."""

    name: str
    result: Any = None


def claims(text: str) -> list[str]:
    """The action words `text` claims as done, in order (rules in the module docstring)."""
    found = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if sentence.rstrip().endswith("?"):
            continue
        words = [w.strip("'") for w in _WORD.findall(sentence.lower())]
        for i, word in enumerate(words):
            if word not in ACTIONS:
                continue
            before = words[max(0, i - 3) : i]
            if any(w in _HEDGES or w.endswith("n't") for w in before):
                continue
            found.append(word)
    return found


def supported(word: str, ran: Iterable[Ran]) -> bool:
    """Whether a call that ran supports the claimed action `word`."""
    stems = ACTIONS[word]
    for call in ran:
        if any(stem in call.name.lower() for stem in stems):
            return True
        if re.search(rf"\b{word}\b", json.dumps(call.result, ensure_ascii=False).lower()):
            return True
    return False


def unsupported_claims(said: Sequence[str], ran: Sequence[Ran]) -> list[str]:
    """The claims in `said` that no call in `ran` supports, each as `word: "sentence"`."""
    return [
        f'{word}: "{line}"' for line in said for word in claims(line) if not supported(word, ran)
    ]
