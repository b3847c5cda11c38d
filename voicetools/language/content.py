"""Content words of a line: what free text is compared on, and how much a caller line says.

A model's free-text value ("broken lid", "12 Oak Road") comes from the caller when enough of its
content words were said. Words are compared after the same clean-up on both sides: lower case,
spelled-out numbers as digits ("twelve" -> "12"), letters spelled one by one joined ("S M I T H"
-> "smith"), fillers and a small list of function words dropped, a plural "s" and common street
abbreviations ("St" -> "street") folded, so "the boxes arrived crushed" says "box".
"""

from __future__ import annotations

import re

from voicetools.language.numbers import spoken_to_digits

STOPWORDS = frozenset(
    """
    a an the and or but so if then than to of in on at by for with from into onto about as
    is are was were be been being am do does did have has had will would can could shall should
    may might must i me my mine we us our you your he him his she her it its they them their
    this that these those there here what which who whom whose when where why how
    please thanks thank hi hello hey yes yeah yep no not ok okay oh well just like really very
    also too some any all every each everything something anything nothing one
    want wanted need needed im get got go going let lets
    """.split()
)
"""Function words and call-centre pleasantries: they carry no value a call could need."""

FILLERS = frozenset({"um", "uh", "er", "erm", "uhm", "hmm", "ah", "mm", "hm", "uhh", "umm"})

_ABBREVIATIONS = {
    "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "blvd": "boulevard",
    "dr": "drive", "ln": "lane", "ct": "court", "apt": "apartment", "hwy": "highway",
    "sq": "square", "pl": "place",
}  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def _fold(word: str) -> str:
    """One spelling for the variants of a word: abbreviations spelled out, plural "s" dropped."""
    word = _ABBREVIATIONS.get(word, word)
    if len(word) <= 3 or not word.endswith("s") or word.endswith("ss") or word.isdigit():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _join_spelled(words: list[str]) -> list[str]:
    """Runs of two or more single letters joined into one word: "s m i t h" -> "smith"."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        out.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if word:
            out.append(word)
    return out


def words_of(text: str) -> list[str]:
    """Every word of `text`, cleaned up as content words are but with function words kept."""
    raw = _WORD.findall(spoken_to_digits(text.replace("'", "")))
    return [_fold(w) for w in _join_spelled(raw) if w not in FILLERS]


def content_words(text: str) -> list[str]:
    """The words of `text` that could carry a value, in order.

    >>> content_words("Um, the boxes arrived crushed at twelve Oak St.")
    ['box', 'arrived', 'crushed', '12', 'oak', 'street']
    """
    return [w for w in words_of(text) if w not in STOPWORDS]
