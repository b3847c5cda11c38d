"""Self-corrections inside one caller line: which words have the last say on a value.

Callers fix what they said as they say it: "appointment 9004, sorry, 9005", "Monday, no wait,
Tuesday", "I meant 9005", "make that Tuesday", "Tuesday, not Monday", "Tuesday instead of
Monday". Code that reads a value from the line (a number, a date, an enum value) reads it from
`final_words` first, so the later value wins; only when nothing fits there does it look at the
whole line.
"""

from __future__ import annotations

import re

_MARKERS = re.compile(
    r"\b(?:sorry|i mean|i meant|i said|make (?:it|that)|change (?:it|that)(?: to)?|"
    r"actually|rather|no wait|wait|scratch that|correction|let me correct that|"
    r"or rather|i mean to say)\b[\s,.:;!-]*",
    re.IGNORECASE,
)
"""Words after which the caller's new value comes. A leading "no," counts too (`_LEADING_NO`)."""

_LEADING_NO = re.compile(r"^\s*(?:no|nope)\b[\s,.!-]+(?!thanks?\b|thank you\b)", re.IGNORECASE)
"""A line opening with "no," replaces what the agent said or read back ("No, 9005")."""

_REJECTED = re.compile(
    r"(?:\binstead of\b[^,.;]*)|(?:,\s*not\b[^,.;]*)|(?:,\s*(?:and\s+)?not\s+the\b[^,.;]*)",
    re.IGNORECASE,
)
"""The value the caller turns down: "instead of Monday", ", not Monday"."""


def without_rejected(text: str) -> str:
    """`text` without the values the caller turns down ("Tuesday, not Monday" -> "Tuesday")."""
    return re.sub(r"\s{2,}", " ", _REJECTED.sub(" ", text)).strip(" ,")


def corrects_itself(text: str) -> bool:
    """Whether the line holds a correction marker or a rejected value."""
    return bool(_MARKERS.search(text) or _LEADING_NO.match(text) or _REJECTED.search(text))


def final_words(text: str) -> str:
    """The part of `text` that has the last say: after the last correction marker, without
    rejected values; the whole line (without rejected values) when it corrects nothing.

    >>> final_words("Cancel 9004, sorry, 9005")
    '9005'
    >>> final_words("Tuesday, not Monday")
    'Tuesday'
    """
    kept = without_rejected(text)
    markers = list(_MARKERS.finditer(kept))
    last = markers[-1] if markers else None
    if last is not None and kept[last.end() :].strip(" ,.!?"):
        return kept[last.end() :].strip()
    leading = _LEADING_NO.match(kept)
    if leading is not None and kept[leading.end() :].strip(" ,.!?"):
        return kept[leading.end() :].strip()
    return kept
