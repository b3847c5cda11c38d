"""`language.codes`: a code of letters and digits said after its noun, joined."""

import pytest

from voicetools.language import code_after


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Is my car ready? The plate is B M seven one two Z.", "BM712Z"),
        ("Plate R T two two oh nine.", "RT2209"),
        ("Hi, is the car with plate MN 404 done yet?", "MN404"),
        ("Plate W Q five five one, is it ready?", "WQ551"),
        ("Book a tire change for plate KX 45 ABC tomorrow at 10 am.", "KX45ABC"),
        ("plate JH 882 on Monday at 9 am", "JH882"),  # "on" ends the code
        ("the plate number is AB-123", "AB123"),
        ("plate BM712Z", "BM712Z"),
    ],
)
def test_a_code_after_its_noun_is_joined_and_upper_cased(line: str, code: str) -> None:
    assert code_after(("plate",), line) == code


@pytest.mark.parametrize(
    "line",
    [
        "What's the plate, uh",  # nothing after the noun
        "plate A B C",  # no digit: letters alone cannot be told from words
        "My car is ready? 4 4 5",  # no noun
        "plate AB 12, sorry, plate AB 13",  # two different codes: not guessed
    ],
)
def test_no_code_or_two_codes_read_nothing(line: str) -> None:
    assert code_after(("plate",), line) is None
