"""Keep secrets and obvious PII out of everything we print, log or hand to the model.

Secrets are the values of the `${ENV}` variables an agent uses; a `Redactor` is built once per
session from them (`voicetools.tools.secrets.session_redactor`) and masks every spelling they
can take on the way out: raw, percent-encoded (either case, `+` for spaces) and JSON-escaped.
Card numbers are found by shape and Luhn checksum, so order numbers and phone numbers are left
alone: 13 to 19 digits, in groups split by up to three spaces, dashes, dots or `+`/`%20`,
inside text, as JSON integers, or as integral floats (`4111111111111111.0`).

Redaction must run before anything is cut to a size: half a secret is still a leak.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

SECRET_MARK = "[REDACTED]"
CARD_MARK = "[CARD]"

_SEP = r"(?:[ \t\u00a0.\-+]|%20|%2[dDeE]){1,3}"
_DIGIT_RUN = re.compile(rf"(?<![0-9])[0-9]+(?:{_SEP}[0-9]+)*(?![0-9])")
_PIECE = re.compile(rf"(?P<sep>{_SEP})|(?P<digits>[0-9]+)")
_CARD_DIGITS = range(13, 20)
_CUT_CARD = re.compile(rf"[0-9]+(?:{_SEP}[0-9]+)*(?:{_SEP})?$")
_TAIL_CHARS = 19 * 4
"""Enough for 18 digits of a card and three separator characters between each."""
_EXACT_FLOAT = 2**53
"""Above this an integral float has lost digits, so its checksum proves nothing either way."""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _luhn_sums(digits: str) -> tuple[list[int], list[int]]:
    """Prefix sums that give the Luhn total of any slice in O(1): `even[p]` doubles the digits
    at even positions before p, `odd[p]` those at odd positions (a long run of digit groups
    has many candidate slices, and checking each digit by digit would be quadratic)."""
    even, odd = [0], [0]
    for k, ch in enumerate(digits):
        d = int(ch)
        doubled = d * 2 - 9 if d > 4 else d * 2
        even.append(even[-1] + (doubled if k % 2 == 0 else d))
        odd.append(odd[-1] + (d if k % 2 == 0 else doubled))
    return even, odd


def _mask_run(match: re.Match[str]) -> str:
    """Mask every stretch of digit groups that spells a card; keep the groups around it."""
    run = match.group(0)
    pieces = _PIECE.finditer(run)  # separators first, so the 20 of %20 is not a digit group
    groups = [(m.start(), m.end(), m.group(0)) for m in pieces if m.group("digits")]
    ends = list(itertools.accumulate(len(g[2]) for g in groups))
    even, odd = _luhn_sums("".join(g[2] for g in groups))
    covered = [False] * len(groups)
    for i in range(len(groups)):
        a = ends[i] - len(groups[i][2])
        for j in range(bisect.bisect_left(ends, a + _CARD_DIGITS[0], i), len(groups)):
            b = ends[j]
            if b - a > _CARD_DIGITS[-1]:
                break
            # The last digit is never doubled: digits of the other parity are.
            total = even[b] - even[a] if (b - 1) % 2 else odd[b] - odd[a]
            if b - a in _CARD_DIGITS and total % 10 == 0:
                covered[i : j + 1] = [True] * (j + 1 - i)
    if not any(covered):
        return run
    out, pos, i = [], 0, 0
    while i < len(groups):
        if not covered[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(groups) and covered[j + 1]:
            j += 1
        out += [run[pos : groups[i][0]], CARD_MARK]
        pos, i = groups[j][1], j + 1
    out.append(run[pos:])
    return "".join(out)


def mask_cards(text: str) -> str:
    return _DIGIT_RUN.sub(_mask_run, text)


def card_number(value: int | float) -> bool:
    """Whether a JSON number is a card number (integers, and floats with no fraction)."""
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return False
        if abs(value) >= _EXACT_FLOAT and len(str(int(abs(value)))) in _CARD_DIGITS:
            return True
        value = int(value)
    digits = str(abs(value))
    return len(digits) in _CARD_DIGITS and luhn_ok(digits)


def spellings(secret: str) -> set[str]:
    """The ways a secret value shows up in URLs, form bodies, JSON text and logs."""
    found = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
    found |= {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    return {s for s in found if s}


def _pattern(spelling: str) -> str:
    """`spelling` as a regex where percent escapes match in either case (%2f and %2F)."""
    return re.sub(
        r"%([0-9A-F])([0-9A-F])",
        lambda m: f"%[{m.group(1)}{m.group(1).lower()}][{m.group(2)}{m.group(2).lower()}]",
        re.escape(spelling).replace(r"\%", "%"),
    )


class Redactor:
    """Masks one session's secret values (every spelling) and every card number."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(dict.fromkeys(s for s in secrets if s))
        """The raw values, in the order given."""
        variants = sorted({v for s in self.secrets for v in spellings(s)}, key=len, reverse=True)
        self._variants = tuple(variants)
        self._regex = re.compile("|".join(map(_pattern, variants))) if variants else None

    def with_secrets(self, more: Iterable[str]) -> Redactor:
        """This redactor plus `more` values (a call's own secrets); `self` when nothing is new."""
        extra = [s for s in more if s and self.text(s) != SECRET_MARK]
        return Redactor((*self.secrets, *extra)) if extra else self

    def text(self, text: str) -> str:
        """`text` with every secret spelling and card number masked."""
        if self._regex is not None:
            text = self._regex.sub(SECRET_MARK, text)
        return mask_cards(text)

    def cut_tail(self, text: str) -> str:
        """`text` that was cut mid-stream: also mask a tail that may be the start of a secret
        (three characters or more) or of a card number (eight digits or more)."""
        text = self.text(text)
        for variant in self._variants:
            for size in range(min(len(variant) - 1, len(text)), 2, -1):
                if text.endswith(variant[:size]):
                    return text[:-size] + SECRET_MARK
        # Only the end can hold a cut card: searching the whole text would be quadratic.
        start = max(len(text) - _TAIL_CHARS, 0)
        tail = _CUT_CARD.search(text, start)
        if tail and sum(c.isdigit() for c in tail.group(0)) >= 8:
            return text[: tail.start()] + CARD_MARK
        return text

    def value(self, value: Any) -> Any:
        """A JSON-ready copy of `value`: every string (keys too) and number redacted, any
        other object replaced by its redacted text."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            if card_number(value):
                return CARD_MARK
            text = str(value)
            masked = self.text(text)
            return value if masked == text else masked
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.value(v) for v in value]
        if isinstance(value, bytes | bytearray):
            return self.text(bytes(value).decode("utf-8", "replace"))
        return self.text(str(value))  # an object's text can hold anything; keep only that


NO_SECRETS = Redactor()
"""Masks card numbers only."""
