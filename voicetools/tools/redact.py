"""Keep secrets and obvious PII out of everything we print, log or hand to the model.

Secrets are the values of the `${ENV}` variables an agent uses, known only at call time, so
redaction takes them as an argument. Card numbers are found by shape and Luhn checksum, so
order numbers and phone numbers are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

SECRET_MARK = "[REDACTED]"
CARD_MARK = "[CARD]"

_CARD = re.compile(r"(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])")
_MIN_SECRET_LEN = 4
"""Shorter values would redact innocent text (a secret "1" everywhere); refuse to match them."""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group(0))
    return CARD_MARK if 13 <= len(digits) <= 19 and luhn_ok(digits) else match.group(0)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret value and card number masked."""
    for secret in sorted({s for s in secrets if len(s) >= _MIN_SECRET_LEN}, key=len, reverse=True):
        text = text.replace(secret, SECRET_MARK)
    return _CARD.sub(_mask_card, text)


def redact(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A copy of a JSON-like value with every string redacted (keys too)."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, dict):
        return {redact_text(str(k), secrets): redact(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, secrets) for v in value]
    return value
