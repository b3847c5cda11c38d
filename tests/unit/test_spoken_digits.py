"""Digits STT writes around spoken 'oh' and 'double': "3 oh 8 2 2", "double 4 7 1 9"."""

from __future__ import annotations

import pytest

from voicetools.language import spoken_to_digits
from voicetools.language.digits import one_number


@pytest.mark.parametrize(
    ("heard", "digits"),
    [
        ("3 oh 8 2 2", "30822"),
        ("3-o-8-2-2", "30822"),
        ("double 4 7 1 9", "44719"),
        ("double 4719", "44719"),
        ("triple 5 1 2", "55512"),
        ("double four seven one nine", "44719"),  # as before: number words
        ("three oh eight two two", "30822"),
    ],
)
def test_oh_and_double_around_written_digits(heard: str, digits: str) -> None:
    assert one_number(heard) == digits


@pytest.mark.parametrize(
    "text",
    ["Oh, 4521 please", "4 oh", "I said oh 4", "double check 4521", "3 on 8"],
)
def test_oh_and_double_elsewhere_are_words(text: str) -> None:
    assert spoken_to_digits(text) == text.lower()
