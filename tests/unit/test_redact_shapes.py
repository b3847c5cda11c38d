"""The redactor on every shape a secret or a card number takes, and on what must stay readable."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicetools.tools.redact import (
    CARD_MARK,
    NO_SECRETS,
    SECRET_MARK,
    Redactor,
    card_number,
    luhn_ok,
)
from voicetools.tools.response import Body, shape

SECRET = "Zq7/sink secret+Wx93kP"
"""Holds a slash, a space and a plus, so its encoded spellings differ from the raw one."""
CARD = "4111111111111111"
AMEX = "378282246310005"
MASTERCARD_19 = "6011000990139424"
REDACTOR = Redactor([SECRET])


def _no_card_digits(text: str) -> None:
    digits = "".join(ch for ch in text if ch.isdigit())
    for card in (CARD, AMEX, MASTERCARD_19):
        assert card[:8] not in digits, text


@pytest.mark.parametrize(
    "text",
    [
        "card 4111111111111111 thanks",
        "card 4111 1111 1111 1111 thanks",
        "card 4111  1111  1111  1111 thanks",  # double spaces
        "card 4111   1111   1111   1111 thanks",  # triple spaces
        "card 4111-1111-1111-1111 thanks",
        "card 4111--1111--1111--1111 thanks",
        "card 4111.1111.1111.1111 thanks",
        "card 4111 - 1111 - 1111 - 1111 thanks",
        "card 4111\t1111\t1111\t1111 thanks",
        "card 4111\u00a01111\u00a01111\u00a01111 thanks",  # no-break spaces
        "card=4111%201111%201111%201111&x=1",  # a form body or query string
        "card=4111+1111+1111+1111&x=1",  # form encoding of spaces
        "card=4111%2D1111%2D1111%2D1111",
        "4111111111111111.0",  # a float printed as text
        '{"n": 4111111111111111}',
        "order 12 4111 1111 1111 1111 99",  # digits around it stay, the card goes
        "cards 4111111111111111,378282246310005",
        "amex 3782 822463 10005",
        "discover 6011-0009-9013-9424",
        "x4111111111111111y",
        "4111111111111111",
    ],
)
def test_card_numbers_are_masked_in_any_grouping(text: str) -> None:
    masked = NO_SECRETS.text(text)
    assert CARD_MARK in masked
    _no_card_digits(masked)


@pytest.mark.parametrize(
    "text",
    [
        "order 4521 ships on 2026-05-08",
        "call +1 555 123 4567",
        "tracking 1Z999AA10123456784",
        "reference 1234567890123",  # 13 digits, fails the checksum
        "4111111111111112",  # a card shape that fails the checksum
        "12345678901234567890123",  # too long to be a card
        "ip 192.168.100.200 port 8080",
        "at 10:30, 3 people, table 12",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert NO_SECRETS.text(text) == text


@pytest.mark.parametrize(
    "value",
    [
        4111111111111111,
        -4111111111111111,
        4111111111111111.0,
        378282246310005,
        6011000990139424.0,
        1234567890123456789.0,  # past 2**53: its digits are lost, so it is masked unproven
    ],
)
def test_card_numbers_as_json_numbers(value: int | float) -> None:
    assert card_number(value)
    assert REDACTOR.value({"n": value}) == {"n": CARD_MARK}
    assert REDACTOR.value([value]) == [CARD_MARK]


@pytest.mark.parametrize("value", [4521, 4111111111111112, 3.5, 1e300, float("nan"), True])
def test_other_numbers_are_kept(value: Any) -> None:
    kept = REDACTOR.value({"n": value})["n"]
    assert kept is value or kept == value or (value != value and kept != kept)


def test_a_card_float_with_a_fraction_keeps_no_digits() -> None:
    masked = REDACTOR.value(4111111111111111.5)
    assert isinstance(masked, str) and masked.startswith(CARD_MARK)
    _no_card_digits(masked)


def test_nested_values_keys_bytes_and_objects() -> None:
    class Opaque:
        def __str__(self) -> str:
            return f"token={SECRET} card={CARD}"

    value = {
        f"key {SECRET}": [{"deep": [[{CARD: 4111111111111111.0}]]}],
        "tuple": (SECRET, 1),
        "set": {CARD},
        "bytes": f"raw {SECRET}".encode(),
        "object": Opaque(),
        "error": ValueError(f"bad {SECRET}"),
    }
    text = json.dumps(REDACTOR.value(value))
    assert "sink" not in text and "Wx93" not in text
    _no_card_digits(text)
    assert text.count(SECRET_MARK) >= 4 and text.count(CARD_MARK) >= 4


@pytest.mark.parametrize(
    "spelling",
    [
        SECRET,
        "Zq7%2Fsink%20secret%2BWx93kP",  # quote(safe="")
        "Zq7%2fsink%20secret%2bWx93kP",  # lower-case escapes
        "Zq7/sink%20secret%2BWx93kP",  # quote() keeps the slash
        "Zq7%2Fsink+secret%2BWx93kP",  # quote_plus
        json.dumps(SECRET)[1:-1],
    ],
)
def test_every_spelling_of_a_secret_is_masked(spelling: str) -> None:
    masked = REDACTOR.text(f"https://x/?k={spelling}&a=1 and {spelling}.")
    assert masked == f"https://x/?k={SECRET_MARK}&a=1 and {SECRET_MARK}."


def test_a_secret_in_json_text_with_escapes_is_masked() -> None:
    tricky = Redactor(['ab"cd\\ef-123'])
    text = json.dumps({"echo": 'ab"cd\\ef-123'})
    assert "cd" not in tricky.text(text)


def test_longer_secret_first_so_no_tail_of_one_survives() -> None:
    redactor = Redactor(["abcdefgh", "abcdefgh-and-more"])
    assert redactor.text("x abcdefgh-and-more y") == f"x {SECRET_MARK} y"


def test_cut_tail_masks_a_cut_secret_or_card() -> None:
    assert REDACTOR.cut_tail("body ends Zq7/sin") == f"body ends {SECRET_MARK}"
    assert REDACTOR.cut_tail("body ends 4111 1111 11") == f"body ends {CARD_MARK}"
    assert REDACTOR.cut_tail("body ends at 42") == "body ends at 42"


def _body(text: str, complete: bool = True, content_type: str = "text/plain") -> Body:
    data = text.encode()
    return Body(data, complete, len(data) + (0 if complete else 1000), content_type)


@pytest.mark.parametrize("cap", range(20, 90))
def test_text_is_redacted_before_it_is_cut(cap: int) -> None:
    text = f"header line, then {SECRET} and {CARD} and {SECRET} end" * 2
    payload, _ = shape(_body(text), cap, redactor=REDACTOR)
    assert isinstance(payload, str)
    for size in range(4, len(SECRET) + 1):
        assert SECRET[:size] not in payload
    _no_card_digits(payload)


@pytest.mark.parametrize("cap", range(20, 120, 3))
def test_json_is_redacted_before_it_is_cut(cap: int) -> None:
    value = {"token": SECRET, "card": 4111111111111111, CARD: [CARD, SECRET], "pad": "x" * 40}
    payload, _ = shape(
        _body(json.dumps(value), content_type="application/json"), cap, None, REDACTOR
    )
    text = json.dumps(payload)
    for size in range(4, len(SECRET) + 1):
        assert SECRET[:size] not in text
    _no_card_digits(text)


def test_a_body_cut_at_the_read_limit_loses_the_start_of_a_secret() -> None:
    payload, _ = shape(_body("the key is Zq7/sink sec", complete=False), 10_000, redactor=REDACTOR)
    assert "Zq7" not in payload and SECRET_MARK in payload
    payload, _ = shape(_body('{"card": "4111 1111 11', complete=False), 10_000, redactor=REDACTOR)
    assert "4111" not in json.dumps(payload)


def _by_hand(groups: list[str]) -> str:
    """What masking must give: every group inside some 13-19 digit slice that passes Luhn."""
    covered = [False] * len(groups)
    for i in range(len(groups)):
        for j in range(i, len(groups)):
            digits = "".join(groups[i : j + 1])
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                covered[i : j + 1] = [True] * (j + 1 - i)
    out: list[str] = []
    for group, hidden in zip(groups, covered, strict=True):
        if not hidden:
            out.append(group)
        elif not out or out[-1] != CARD_MARK:
            out.append(CARD_MARK)
    return " ".join(out)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 999_999).map(str), min_size=1, max_size=9))
def test_masking_matches_checking_every_slice_by_hand(groups: list[str]) -> None:
    assert NO_SECRETS.text(" ".join(groups)) == _by_hand(groups)


def test_json_with_a_card_as_a_bare_number_still_parses_and_extracts() -> None:
    raw = json.dumps({"order": {"card": 4111111111111111, "note": f"key {SECRET}", "n": 7}})
    body = _body(raw, content_type="application/json")
    payload, notes = shape(body, 10_000, None, REDACTOR)
    assert payload == {"order": {"card": CARD_MARK, "note": f"key {SECRET_MARK}", "n": 7}}
    assert notes == []
    extracted, _ = shape(body, 10_000, "order", REDACTOR)
    assert extracted["card"] == CARD_MARK and extracted["n"] == 7
