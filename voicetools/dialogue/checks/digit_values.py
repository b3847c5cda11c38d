"""Numbers read digit by digit become one number, and a number that cannot be read is asked back.

A parameter wants digits when `grounding.identifier_kind` says so (a digits pattern, an integer
id, a name like `account_number`). For those, the model's value is taken as the caller said it:
"7 7 3 0 1 9", "773.019" or "seven seven three oh one nine" is the account number 773019
(`language.one_number`). Two things are never passed on: a value or a caller line where
speech-to-text ran a misheard digit into letters ("4471-Ine"), and part of a number (fewer
digits than the schema wants). Both are asked back, digit by digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind
from voicetools.language import final_words, is_partial_number, misheard_number, one_number
from voicetools.spec.model import Function

DIGIT_BY_DIGIT = "Sorry, I didn't get all of that number. Could you say it again, digit by digit?"


def _digit_parameters(function: Function) -> list[tuple[str, Mapping[str, Any]]]:
    return [
        (name, schema)
        for name, schema in function.properties.items()
        if isinstance(schema, Mapping) and identifier_kind(name, schema) == "digits"
    ]


def joined_digits(function: Function, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `arguments` with each digits value as one number ("7 7 3" -> "773")."""
    out = dict(arguments)
    for name, schema in _digit_parameters(function):
        value = out.get(name)
        digits = one_number(value) if value is not None else None
        if digits is not None and not isinstance(value, int):
            out[name] = int(digits) if schema.get("type") == "integer" else digits
    return out


def unclear_numbers(function: Function, arguments: Mapping[str, Any], utterance: str) -> list[str]:
    """The digits parameters to ask for again: a value that is not only digits or is too short
    for the schema, or any number the call needs when the caller's line was misheard."""
    misheard = misheard_number(final_words(utterance))
    unclear: list[str] = []
    for name, schema in _digit_parameters(function):
        value = arguments.get(name)
        if value is None:
            if misheard and name in function.required:
                unclear.append(name)
            continue
        digits = one_number(value)
        if digits is None:  # "1#" for a keypad is fine; letters in a number are not
            if any(c.isalpha() for c in str(value)):
                unclear.append(name)
        elif is_partial_number(schema, digits) or misheard:
            unclear.append(name)
    return unclear
