"""Which environment values may be sent as secrets: long and uncommon enough to mask safely.

A secret is masked wherever it would show (`redact.Redactor`), but a value too short or too
common to mask safely would either slip through in a slightly different spelling or black out
ordinary words everywhere. So such a value is refused, at session start and again at call
time, with the variable's name (never its value): it must be at least `MIN_SECRET_CHARS`
characters, use more than one distinct character, and not be a well-known placeholder.
"""

from __future__ import annotations

from voicetools.errors import UsageError

MIN_SECRET_CHARS = 8
_PLACEHOLDERS = frozenset(
    {
        "password",
        "passw0rd",
        "changeme",
        "12345678",
        "123456789",
        "1234567890",
        "87654321",
        "abcdefgh",
        "qwertyui",
        "undefined",
        "none-set",
        "your-api-key",
        "your_api_key",
        "yourapikey",
        "api-key-here",
        "secret-key",
        "placeholder",
    }
)


class SecretRefused(UsageError):
    """An environment secret that cannot be masked safely; names the variable, not the value."""


def secret_problem(name: str, value: str) -> str:
    """Why `value` (of `${name}`) must not be sent, in one line without the value; "" if fine."""
    if len(value) < MIN_SECRET_CHARS:
        return (
            f"the secret {name} is too short to mask safely; "
            f"use at least {MIN_SECRET_CHARS} characters"
        )
    if len(set(value)) == 1 or value.strip().lower() in _PLACEHOLDERS:
        return (
            f"the secret {name} is a well-known stand-in, too common to mask safely; "
            "set the real one"
        )
    return ""
