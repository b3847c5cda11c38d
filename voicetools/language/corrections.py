"""Self-corrections inside one caller line: which words have the last say on a value.

Callers fix what they said as they say it: "appointment 9004, sorry, 9005", "Monday, no wait,
Tuesday", "I meant 9005", "make that Tuesday", "Tuesday, not Monday", "Tuesday instead of
Monday". Code that reads a value from the line (a number, a date, an enum value) reads it from
`final_words` first, so the later value wins; only when nothing fits there does it look at the
whole line.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from voicetools.language.content import STOPWORDS, content_words

_MARKERS = re.compile(
    r"\b(?:sorry|i mean|i meant|i said|make (?:it|that)|change (?:it|that)(?: to)?|"
    r"actually|rather|no wait|wait|scratch that|correction|let me correct that|"
    r"or rather|i mean to say|(?<=,\s)no(?=\s*,))\b[\s,.:;!-]*",
    re.IGNORECASE,
)
"""Words after which the caller's new value comes: also a "no" between commas ("buy milk, no,
buy bread"), and a leading "no," (`_LEADING_NO`)."""

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


WHEN_WORDS = frozenset(
    """
    today tomorrow tonight morning afternoon evening noon midnight am pm oclock week next
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december
    """.split()
)
"""Words that say when, not what: a clause of them names no new thing to do."""
_RUN_END = re.compile(
    r"(?:" + _MARKERS.pattern + r"|\b(?:no|nope|oh|um|uh|er)\b|[\s,.:;!-]+)$", re.IGNORECASE
)
_CLAUSE = re.compile(r"(?<=[,;!?])\s+|(?<=[a-z]{3}\.)\s+")
"""Where a clause ends: not after "Dr." or "St.", which a name follows."""
_LAST_NAME = re.compile(r"(?<=\s)[A-Z][\w'-]*[\s,.;!?]*$")
_FIRST_NAME = re.compile(r"[A-Z][\w'-]*\b(?!')")
_REQUEST = re.compile(
    r"(?:just\s+)?(?:get|give|tell|check|put|transfer|connect|book|cancel|send|text|open|"
    r"find|show|call|look)\b",
    re.IGNORECASE,
)
"""New words that open with a request ("just get me a technician") replace the old one."""
_SHORT = 3
"""A clause ending in a name and a short correction opening with one: the name is what
changes ("in Paris, sorry, Vienna, in celsius"); a long one is a new request."""


_REFUSAL = re.compile(
    r"^\W*(?:(?:no|nope)\b\W*)?(?:please\s+)?(?:don'?t|do not)\b[^,.;!?]*(?:[,.;!?]+\s*|$)",
    re.IGNORECASE,
)
"""A line that opens by turning the agent's offer down: "No, don't open a ticket, ..."."""


def refused_then(text: str) -> str | None:
    """What a line that opens by turning something down asks for next: "transfer me to a
    person." for "No, don't open a ticket, transfer me to a person."; "" when it only refuses
    ("No, don't do that."), None when it does not open with a refusal (or asks nothing new:
    "Don't worry, it's fine.").
    """
    refusal = _REFUSAL.match(text)
    if refusal is None:
        return None
    rest = text[refusal.end() :].strip()
    if not rest:
        return ""
    return rest if _REQUEST.match(rest) else None


def as_meant(text: str) -> str:
    """The line as the caller meant it, for choosing what to do and writing the call: the
    clause a correction replaces goes. When the new words start like the old clause ("add buy
    milk, sorry, buy bread"), they replace it from that word on; else, when they name two
    things that are not values, they replace the whole clause. A correction of a value alone
    keeps the line (`final_words` reads the value).

    >>> as_meant("Transfer me, actually no, wait, just tell me your hours on Friday.")
    'just tell me your hours on Friday.'
    >>> as_meant("Open a ticket, my printer is jammed, no sorry, my scanner is jammed.")
    'Open a ticket, my scanner is jammed.'
    >>> as_meant("Add buy milk, sorry, I meant buy bread")
    'Add buy bread'
    >>> as_meant("What's the weather in Paris, sorry, I mean Vienna, in celsius.")
    "What's the weather in Vienna, in celsius."
    >>> as_meant("No, don't open a ticket, transfer me to a person.")
    'transfer me to a person.'
    >>> as_meant("Cancel 9004, sorry, I meant 9005.")
    'Cancel 9004, sorry, I meant 9005.'
    """
    request = refused_then(text)
    if request:  # "No, don't open a ticket, transfer me": the refused part asks for nothing
        return request
    final = final_words(text)
    kept = without_rejected(text)
    start = kept.rfind(final)
    if final == kept or start <= 0:
        return text
    before = kept[:start]
    while True:
        end = _RUN_END.search(before)
        if end is None or end.start() == len(before):
            break
        before = before[: end.start()]
    clauses = [c for c in _CLAUSE.split(before.strip()) if c.strip(" ,.;!?")]
    if not clauses:
        return text
    last = clauses[-1]
    new = _LEADING_NO.sub("", final).strip()
    first = re.match(r"(?:just\s+)?(\w+)", new, re.IGNORECASE)
    anchor = re.search(rf"\b{re.escape(first.group(1))}\b", last, re.IGNORECASE) if first else None
    if anchor is not None and first is not None:
        return " ".join([*clauses[:-1], last[: anchor.start()] + new[first.start(1) :]])
    end = _LAST_NAME.search(last)
    if (
        end is not None and _FIRST_NAME.match(new) and len(new.split()) <= _SHORT
    ):  # "the weather in Paris, sorry, Vienna"
        return " ".join([*clauses[:-1], last[: end.start()] + new])
    things = [w for w in content_words(new) if not w.isdigit() and w not in WHEN_WORDS]
    if len(things) >= 2 or _REQUEST.match(new):
        return " ".join([*clauses[:-1], new])
    return text


_NEAR = 0.6
"""How alike a new word must be to the one it replaces: "Nowak" for "Novak" (0.8), "mlopez7"
for "mlopez" (0.92); "problem" for "Novak" (0.33) replaces nothing."""
_VALUE_WORD = re.compile(r"[A-Za-z0-9']+")


def replaced_words(value: str, text: str) -> dict[str, str]:
    """The words of `value` that a word of `text`'s final words nearly matches but differs
    from: the caller correcting a name or a code ("Sorry, I meant mlopez7" for "mlopez", "the
    name is Nowak" for "Novak"); old word -> new word as the caller wrote it.

    >>> replaced_words("Anna Berg", "Sorry, I meant Anna Borg.")
    {'Berg': 'Borg'}
    """
    found: dict[str, str] = {}
    new_words = [w for w in _VALUE_WORD.findall(final_words(text)) if w.lower() not in STOPWORDS]
    for old in _VALUE_WORD.findall(value):
        if len(old) < 3 or any(w.lower() == old.lower() for w in new_words):
            continue
        near = [
            w
            for w in new_words
            if len(w) >= 3
            and not old.lower().startswith(w.lower())  # "check" cuts "checkup" short: no name
            and SequenceMatcher(None, old.lower(), w.lower()).ratio() >= _NEAR
        ]
        if len(set(near)) == 1:
            found[old] = near[0]
    return found
