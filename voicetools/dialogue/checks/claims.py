"""Action claims in a reply sentence: "Your appointment is booked", "I've sent you a text".

A claim is an action word in a past form ("booked", "has been cancelled", "I've sent") that is
not negated ("I haven't booked"), not hedged by a modal or a condition ("I can get that
booked", "once it's sent"), not asked ("Would you like it booked?") and not the caller's own
doing ("the slot you booked"). `reply.ReplyCheck` holds each claim against what really ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicetools.dialogue.checks.verbs import DONE, PAST_FORMS, family, words

_BLOCKERS = frozenset(
    {
        # negation
        "not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without",
        # modality and intent: not yet done
        "would", "will", "can", "could", "should", "shall", "may", "might", "must", "want",
        "wants", "like", "need", "needs", "let", "let's", "going", "about", "try", "be", "get",
        # a condition or a time still to come
        "if", "once", "when", "whether", "before", "until", "unless", "soon",
        # a state of the calendar, not something the agent did ("fully booked")
        "fully",
    }
)  # fmt: skip
_QUESTION_START = frozenset(
    "would will can could should shall do does did is are was were have has had may might "
    "what when where which who how why".split()
)
_CALLER_SUBJECT = frozenset({"you", "you've", "you'd", "caller"})
_AUXILIARIES = frozenset(
    "i i've i'd we we've it it's that's is are was were be been being has have had just now "
    "already successfully all also".split()
)
_CLAUSE = re.compile(r"[,;:]|\b(?:and|but|so|then)\b", re.IGNORECASE)
_SET_PHRASES = re.compile(
    r"\b(?:all set|taken care of|went through|gone through|been processed)\b", re.IGNORECASE
)
"""Phrases that claim something was done without naming it; read as "done"."""
_WINDOW = 6
"""How many words before an action word may hold what blocks it (same clause only)."""


@dataclass(frozen=True)
class Claim:
    """A reply's statement that an action happened."""

    family: str
    """The action family (`verbs`), e.g. "book"; `verbs.DONE` when no action is named."""
    word: str
    """The word as said, e.g. "booked", for the line that says what is really the case."""


def claims_in(sentence: str) -> list[Claim]:
    """The action claims `sentence` makes, in order (none for a question or a negation)."""
    stripped = sentence.strip()
    tokens = words(stripped)
    if stripped.endswith("?") and tokens and tokens[0] in _QUESTION_START:
        return []
    found: list[Claim] = []
    for clause in _CLAUSE.split(_SET_PHRASES.sub(" done ", stripped)):
        found.extend(_clause_claims(words(clause)))
    return found


def _clause_claims(tokens: list[str]) -> list[Claim]:
    found = []
    for index, token in enumerate(tokens):
        if token not in PAST_FORMS:
            continue
        before = tokens[max(0, index - _WINDOW) : index]
        if _blocked(before) or _callers_own(before):
            continue
        kind = family(token)
        found.append(Claim(kind or DONE, token))
    return found


def _blocked(before: list[str]) -> bool:
    return any(t in _BLOCKERS or t.endswith(("n't", "'ll")) for t in before)


def _callers_own(before: list[str]) -> bool:
    """Whether the subject of the action word is the caller ("the slot you booked")."""
    for token in reversed(before):
        if token in _CALLER_SUBJECT:
            return True
        if token not in _AUXILIARIES:
            return False
    return False
