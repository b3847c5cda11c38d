"""Digits said one by one, and what speech-to-text writes for them, as one number.

Callers read account numbers digit by digit: "7 7 3 0 1 9", "seven seven three oh one nine",
"double four", with pauses that STT writes as commas, dots or dashes. Whisper then writes
"773.019", "3.0.822", "44 71 9", or, when it mishears a digit as a word, "4471-Ine". When a
parameter wants digits, `one_number` turns every readable form into one digit string ("773019");
a form it cannot read safely (`misheard_number`) is asked back, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from voicetools.language.numbers import spoken_to_digits

_SEPARATORS = re.compile(r"[\s.,\-/]+")
_GLUED = re.compile(r"\d[-.]?([a-z]+)\b")
_SUFFIXES = frozenset({"st", "nd", "rd", "th", "am", "pm", "s", "k"})
"""Letters that may follow digits in a readable line: "21st", "3pm", "1990s", "5k"."""
_COUNT = re.compile(r"\{(\d+)(?:,(\d*))?\}")


def one_number(value: Any) -> str | None:
    """`value` as one digit string when it holds only digits (spoken or written) and
    separators; None when anything else is in it.

    >>> one_number("seven seven three oh one nine"), one_number("3.0.822"), one_number("4471-Ine")
    ('773019', '30822', None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    parts = [p for p in _SEPARATORS.split(spoken_to_digits(str(value))) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return "".join(parts)


def misheard_number(text: str) -> bool:
    """Whether `text` holds digits run into letters, as STT writes a misheard digit
    ("4471-Ine", "44719ine"): such a number cannot be read safely."""
    lowered = spoken_to_digits(text)
    return any(m.group(1) not in _SUFFIXES for m in _GLUED.finditer(lowered))


def wanted_length(schema: Mapping[str, Any]) -> int:
    """The fewest digits the schema accepts: from `minLength` or a `{n}` / `{n,m}` count in a
    digits `pattern` (1 when it says nothing)."""
    least = int(schema.get("minLength", 1))
    pattern = schema.get("pattern")
    count = _COUNT.search(pattern) if isinstance(pattern, str) else None
    if count is not None:
        least = max(least, int(count.group(1)))
    return least


def is_partial_number(schema: Mapping[str, Any], digits: str) -> bool:
    """Whether `digits` has fewer digits than the schema wants: part of a number, not one."""
    return len(digits) < wanted_length(schema)
