"""Numbers as callers say them, turned into digits: the shared first step of dates and grounding.

Speech-to-text writes what it hears: "four five two one", "forty five twenty one", "oh" for
zero, "double seven", "the twenty first", "three thirty". Both the date resolver and the
argument grounding check need those as digits, and they must agree, so the rewriting lives
here once. `spoken_to_digits()` replaces each spelled-out number with digit *groups* and leaves
every other character where it was: "order forty five twenty one" -> "order 45 21", "the
twenty first" -> "the 21st", "nine oh five" -> "9 05". Groups are kept apart (not joined into
"4521") because only the caller of this function knows whether adjacent groups form one
identifier or a time ("3 30").

Known limits, on purpose: "a hundred" is not a number, and "one" after a determiner ("that
one", "the first one") or before "of" ("one of my tasks") is a pronoun, so "delete that one"
does not ground task 1.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3}
_ZERO_LETTERS = {"oh", "o"}
_PRONOUN_BEFORE_ONE = {
    "that", "this", "which", "the", "each", "every", "another", "other", "any", "no", "last",
    "new", "next", "right", "wrong", "same", "big", "little", "old", "only",
}  # fmt: skip
_NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS) | set(ORDINALS) | {"hundred", "thousand"}

_WORD = re.compile(r"[a-z]+")
_JOINER = re.compile(r"[ \t-]*")
_OCLOCK = re.compile(r"\bo'?\s?clock\b")
_OH_BETWEEN = re.compile(r"(?<=\d)([ \t-]+)oh?(?=[ \t-]+\d)")
"""'oh' between digits STT wrote as digits ("3 oh 8 2 2"): a zero, as between number words."""
_REPEAT_DIGIT = re.compile(r"\b(double|triple)[ \t-]+(\d)")
"""'double' before a digit STT wrote as one ("double 4 7 1 9", "double 4719")."""


def ordinal_suffix(n: int) -> str:
    """'st', 'nd', 'rd' or 'th' for `n` (11th, 12th, 13th, 21st, 22nd)."""
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _below_hundred(words: list[str], i: int) -> tuple[int, int, bool] | None:
    """Parse 0-99 at `i`: (value, next index, is ordinal), or None."""
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in TENS:
        if nxt in UNITS and UNITS[nxt] > 0:
            return TENS[w] + UNITS[nxt], i + 2, False
        if nxt in ORDINALS and ORDINALS[nxt] < 10:
            return TENS[w] + ORDINALS[nxt], i + 2, True
        return TENS[w], i + 1, False
    if w in TEENS:
        return TEENS[w], i + 1, False
    if w in UNITS:
        return UNITS[w], i + 1, False
    if w in ORDINALS:
        return ORDINALS[w], i + 1, True
    return None


def _hundreds(words: list[str], i: int) -> tuple[int, int, bool] | None:
    """Parse 0-999 at `i` ("five hundred and six"): (value, next index, is ordinal), or None."""
    parsed = _below_hundred(words, i)
    if parsed is None:
        return None
    value, i, ordinal = parsed
    if ordinal or i >= len(words) or words[i] != "hundred":
        return parsed
    i += 1
    i += 1 if i < len(words) and words[i] == "and" else 0
    more = _below_hundred(words, i) if i < len(words) else None
    if more is None:
        return value * 100, i, False
    return value * 100 + more[0], more[1], more[2]


def _chunk(words: list[str], i: int) -> tuple[str, int]:
    """One digit group starting at `i` (words[i] is a number word): (text, next index)."""
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in _REPEAT and nxt in UNITS:
        return str(UNITS[nxt]) * _REPEAT[w], i + 2
    if w in _ZERO_LETTERS:
        if nxt in UNITS:  # "nine oh five": minutes or digits, both read as "05"
            return f"0{UNITS[nxt]}", i + 2
        return "0", i + 1
    if w in UNITS and nxt in UNITS:
        return str(UNITS[w]), i + 1  # digit by digit: "four five two one"
    parsed = _hundreds(words, i)
    if parsed is None:
        return w, i + 1
    value, i, ordinal = parsed
    if not ordinal and i < len(words) and words[i] == "thousand":
        value *= 1000
        i += 1
        i += 1 if i < len(words) and words[i] == "and" else 0
        more = _hundreds(words, i) if i < len(words) else None
        if more is not None:
            rest, i, ordinal = more
            value += rest
    return f"{value}{ordinal_suffix(value)}" if ordinal else str(value), i


def _groups(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        text, i = _chunk(words, i)
        out.append(text)
    return out


def _is_number_word(words: list[str], i: int) -> bool:
    w = words[i]
    prev = words[i - 1] if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in _ZERO_LETTERS:
        near = {prev, nxt}
        return bool(near & _NUMBER_WORDS) or prev.isdigit() or nxt.isdigit() or "oh" in near
    if w in _REPEAT:
        return nxt in UNITS
    if w == "one" and (prev in _PRONOUN_BEFORE_ONE or prev in ORDINALS):
        return nxt in _NUMBER_WORDS
    if w == "one" and nxt == "of":  # "one of my tasks": which one is not said
        return False
    if w == "and":
        return prev in ("hundred", "thousand") and nxt in _NUMBER_WORDS
    return w in _NUMBER_WORDS


def spoken_to_digits(text: str) -> str:
    """`text` lowercased, with each spelled-out number replaced by digit groups.

    >>> spoken_to_digits("Order forty five twenty one, please")
    'order 45 21, please'
    """
    lowered = text.lower().replace("\u2019", "'")
    lowered = _OCLOCK.sub("oclock", lowered)  # or the "o" would be read as zero
    lowered = _OH_BETWEEN.sub(r"\g<1>0", lowered)
    lowered = _REPEAT_DIGIT.sub(lambda m: m.group(2) * _REPEAT[m.group(1)], lowered)
    matches = list(_WORD.finditer(lowered))
    words = [m.group() for m in matches]
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(words):
        if not _is_number_word(words, i):
            i += 1
            continue
        j = i + 1  # extend the run over number words joined only by spaces or hyphens
        while (
            j < len(words)
            and _is_number_word(words, j)
            and _JOINER.fullmatch(lowered[matches[j - 1].end() : matches[j].start()])
        ):
            j += 1
        out.append(lowered[pos : matches[i].start()])
        out.append(" ".join(_groups(words[i:j])))
        pos = matches[j - 1].end()
        i = j
    out.append(lowered[pos:])
    return "".join(out)


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def clean_transcript(text: str) -> str:
    """What the engine gets from STT: Whisper writes "4,521"; identifiers have no separators."""
    text = _THOUSANDS.sub("", text.strip())
    return text if any(c.isalnum() for c in text) else ""
