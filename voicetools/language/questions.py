"""Whether a caller line asks *about* something rather than asks the agent to *do* something.

"Is my car with plate GH 600 ready?" and "What's the status of order 4521?" want an answer
about the world (a lookup); "Can you book me in for Tuesday?" and "Could I talk to a person?"
are requests dressed as questions, and "Is that right?" checks what the agent just said. The
router weighs the difference: a question about something is no answer to the agent's own
question for an action's values, and an explicit request counts for more than a passing word.
A line that only thanks or acknowledges asks neither (`acknowledges`).
"""

from __future__ import annotations

import re

_WH_WORDS = frozenset(
    "what what's whats which who who's whom whose where where's when when's why how how's".split()
)
_STATE_VERBS = frozenset(
    "is isn't are aren't was wasn't were weren't do don't does doesn't did didn't".split()
)
"""Verbs that open a question about how things are ("is my car ready", "does it include")."""
_CHECKS = frozenset("it that this".split())
"""After a state verb: the caller checks what was just said ("is that right?"), no lookup."""
_LEAD_IN = frozenset(
    """ok okay so and but um uh er erm well oh ah yes yeah sure right hmm sorry alright then
    hey also first actually quick question tell me hi hello please just""".split()
)
_WORD = re.compile(r"[a-z']+")


def _clauses(text: str) -> list[list[str]]:
    """The line's clauses as lower-case words, lead-ins ("hmm, first tell me") dropped."""
    out = []
    for clause in re.split(r"[,.;:!?\u2014\u2013]", text.lower().replace("\u2019", "'")):
        words = _WORD.findall(clause)
        while words and words[0] in _LEAD_IN:
            words.pop(0)
        if words:
            out.append(words)
    return out


def _opens_a_question(words: list[str]) -> bool:
    first, second = words[0], (words[1] if len(words) > 1 else "")
    if first in _WH_WORDS:
        return second != "about"  # "what about Tuesday?" changes a value, asks nothing
    if first in _STATE_VERBS:
        return bool(second) and second not in _CHECKS
    return first == "have" and second in ("you", "i", "we")


def asks_about(text: str) -> bool:
    """True when a clause of `text` opens with a question word or a state verb ("is my car
    ready?", "what time do you close?", "have you got my order?") after any lead-in words;
    requests phrased as questions ("can you", "could I", "would you") and checks of what the
    agent said ("is that right?") are not."""
    return any(_opens_a_question(words) for words in _clauses(text))


_THANKS = frozenset(
    """thanks thank you great perfect cool good awesome wonderful lovely nice fine ok okay alright
    right sure got it that's thats sounds that all i see understood excellent brilliant a lot
    so much very much""".split()
)


def acknowledges(text: str) -> bool:
    """True when the line only thanks or acknowledges ("Great, thanks.", "OK, got it."): it
    asks nothing and asks for nothing, so the agent answers it in kind."""
    words = [w for clause in _clauses(text) for w in clause]
    return bool(words) and "?" not in text and all(w in _THANKS for w in words)
