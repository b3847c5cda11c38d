"""Codes of letters and digits said after their noun: "the plate is B M seven one two Z".

A licence plate, a booking code or a postcode is read out in groups of letters and digits,
spelled or not: "plate MN 404", "plate R T two two oh nine". Said right after its noun, the
groups are the code; joined and upper-cased they are what the caller meant ("BM712Z"), which no
small model writes reliably from spelled letters. The groups end at the first word that is no
part of a code (a word of four letters or more, or a short common word such as "on" or "is"),
so "plate JH 882 on Monday" reads "JH882".
"""

from __future__ import annotations

import re

from voicetools.language.numbers import spoken_to_digits

_COMMON = frozenset(
    """
    a an am pm i is it its on at in to by of or and but the for my was are so no yes ok
    now me we you he she her him his our can did had has not too
    """.split()
)
"""Short words that end a code rather than belong to it ("plate HB 77, is it ready")."""
_LEAD = r"(?:\s+(?:number|no|is|was|reads|says))*\s+"
_PART = re.compile(r"[a-z]*\d[a-z\d]*|[a-z]{1,3}")
"""A group: letters and digits with a digit in them ("kx45"), or up to three letters."""


def code_after(nouns: tuple[str, ...], text: str) -> str | None:
    """The one code said right after one of `nouns` in `text`, joined and upper-cased; None
    when none is, when two different ones are, or when it has no digit (a code of letters
    alone cannot be told from the words around it).

    >>> code_after(("plate",), "Is it ready? The plate is B M seven one two Z.")
    'BM712Z'
    >>> code_after(("plate",), "plate JH 882 on Monday at 9 am")
    'JH882'
    """
    if not nouns:
        return None
    spoken = spoken_to_digits(text)
    heads = "|".join(re.escape(noun.lower()) for noun in nouns)
    found = set()
    for head in re.finditer(rf"\b(?:{heads}){_LEAD}", spoken):
        code = _groups(spoken[head.end() :])
        if code is not None:
            found.add(code)
    return found.pop() if len(found) == 1 else None


def _groups(rest: str) -> str | None:
    parts: list[str] = []
    for word in re.split(r"[\s-]+", rest):  # "AB-123" is two groups
        bare = word.strip(",.;:!?")
        if not _PART.fullmatch(bare) or bare in _COMMON:
            break
        parts.append(bare)
        if bare != word:  # punctuation after it ends the code
            break
    code = "".join(parts)
    return code.upper() if any(c.isdigit() for c in code) and len(code) >= 2 else None
