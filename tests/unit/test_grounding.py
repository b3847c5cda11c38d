"""Identifier arguments must come from the caller or the agent (dialogue/checks/grounding.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetools.dialogue.checks.grounding import (
    identifier_kind,
    is_grounded,
    missing_required,
    question_for,
    ungrounded,
)
from voicetools.language.numbers import spoken_to_digits
from voicetools.spec.model import Function

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()


def fn(properties: dict[str, Any], required: list[str] | None = None, name: str = "f") -> Function:
    return Function(
        name=name,
        description="",
        kind="mock",
        parameters={"type": "object", "properties": properties, "required": required or []},
    )


ORDER = fn(
    {"order_id": {"type": "string", "description": "The order number, digits only.",
                  "pattern": "^[0-9]{3,12}$"}},
    ["order_id"],
    "get_order_status",
)  # fmt: skip
TICKET = fn(
    {"issue": {"type": "string", "description": "Short summary of the caller's problem."},
     "order_id": {"type": "string", "description": "The related order number."}},
    ["issue"],
)  # fmt: skip
BOOK = fn(
    {"customer_name": {"type": "string", "description": "The caller's full name."},
     "date": {"type": "string", "format": "date"},
     "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
     "service": {"type": "string", "enum": ["consultation", "checkup", "followup"],
                 "description": "The kind of appointment."}},
    ["customer_name", "date", "time", "service"],
)  # fmt: skip
TASK = fn({"task_id": {"type": "integer", "description": "The number of the task, as read out."}},
          ["task_id"])  # fmt: skip
CONTACT = fn({"phone": {"type": "string"}, "email": {"type": "string"},
              "urgent": {"type": "boolean"}})  # fmt: skip


@pytest.mark.parametrize(
    ("name", "schema", "kind"),
    [
        ("order_id", {"type": "string", "pattern": "^[0-9]{3,12}$"}, "digits"),
        ("code", {"type": "string", "pattern": "^\\d+$"}, "digits"),
        ("digits", {"type": "string", "pattern": "^[0-9*#]{1,32}$"}, "digits"),
        ("task_id", {"type": "integer"}, "digits"),
        ("booking_id", {"type": "string"}, "id"),
        ("account_number", {"type": "string"}, "id"),
        ("phone_number", {"type": "string"}, "phone"),
        ("email", {"type": "string"}, "email"),
        ("contact", {"type": "string", "format": "email"}, "email"),
        ("customer_name", {"type": "string"}, "name"),
        ("name", {"type": "string"}, "name"),
        ("city", {"type": "string", "x-grounded": True}, "id"),
        ("plate", {"type": "string"}, "code"),
        ("booking_code", {"type": "string"}, "code"),
        ("order_id", {"type": "string", "x-grounded": False}, None),
        ("city", {"type": "string"}, None),
        ("issue", {"type": "string"}, None),
        ("title", {"type": "string"}, None),
        ("service", {"type": "string", "enum": ["a", "b"]}, None),
        ("confirmed", {"type": "boolean"}, None),
        ("date", {"type": "string", "format": "date"}, None),
        ("time", {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, None),
        ("amount", {"type": "number"}, None),
    ],
)
def test_identifier_kind(name: str, schema: dict[str, Any], kind: str | None) -> None:
    assert identifier_kind(name, schema) == kind


@pytest.mark.parametrize(
    "said",
    [
        "What's the status of order 4521?",
        "order 45 21",
        "it's 45-21",
        "4,521",
        "four five two one",
        "forty five twenty one",
        "four thousand five hundred twenty one",
        "my order is four five, uh, two one",
        "order 4521, it was placed 2 days ago",
        "FOUR FIVE TWO ONE",
    ],
)
def test_order_number_grounded(said: str) -> None:
    assert ungrounded(ORDER, {"order_id": "4521"}, [said], {}) == []


@pytest.mark.parametrize(
    "said",
    ["What's the status of my order?", "order 452", "order 45210", "45 and 21", "5421",
     "four five two", "order number twelve"],
)  # fmt: skip
def test_order_number_not_grounded(said: str) -> None:
    assert ungrounded(ORDER, {"order_id": "4521"}, [said], {}) == ["order_id"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("7003", "seven oh oh three"),
        ("7731", "double seven three one"),
        ("5553", "triple five three"),
        ("402", "four oh two"),
        ("1015", "one oh one five"),
        ("123", "one hundred and twenty three"),
        ("2026", "twenty twenty six"),
    ],
)
def test_spoken_digit_forms(value: str, said: str) -> None:
    assert ungrounded(ORDER, {"order_id": value}, [f"order {said}"], {}) == []


def test_any_caller_turn_counts_and_variables_count() -> None:
    turns = ["Hi, I have a question about an order.", "It's 4521.", "Where is it?"]
    assert ungrounded(ORDER, {"order_id": "4521"}, turns, {}) == []
    assert ungrounded(ORDER, {"order_id": "777"}, ["my order"], {"last_order": "777"}) == []
    assert ungrounded(ORDER, {"order_id": "777"}, ["my order"], {}, extra_sources=["7: 777"]) == []


def test_integer_ids() -> None:
    assert ungrounded(TASK, {"task_id": 3}, ["complete task three"], {}) == []
    assert ungrounded(TASK, {"task_id": 3}, ["the third one is done"], {}) == []
    assert ungrounded(TASK, {"task_id": 12}, ["delete task number twelve"], {}) == []
    assert ungrounded(TASK, {"task_id": 1}, ["delete that one"], {}) == ["task_id"]
    assert ungrounded(TASK, {"task_id": 3}, ["mark my task as done"], {}) == ["task_id"]


@pytest.mark.parametrize(
    ("said", "ok"),
    [
        ("I'm Jane Smith", True),
        ("smith, jane", True),
        ("this is jane... smith", True),
        ("S M I T H, first name Jane", True),
        ("Jane", False),
        ("my name is John Smith", False),
        ("", False),
    ],
)
def test_names(said: str, ok: bool) -> None:
    args = {
        "customer_name": "Jane Smith",
        "date": "2026-11-20",
        "time": "15:00",
        "service": "checkup",
    }
    assert ungrounded(BOOK, args, [said], {}) == ([] if ok else ["customer_name"])


def test_names_ignore_case_and_punctuation() -> None:
    assert ungrounded(BOOK, {"customer_name": "O'Brien"}, ["it's o brien"], {}) == []
    assert ungrounded(BOOK, {"customer_name": "Mary-Jane Watts"}, ["mary jane watts"], {}) == []


def test_phone_email_and_booleans() -> None:
    said = ["call me on five five five, one two three, four five six seven",
            "email is john dot smith at example dot com"]  # fmt: skip
    args = {"phone": "+1 (555) 123-4567", "email": "John.Smith@example.com", "urgent": True}
    assert ungrounded(CONTACT, args, said, {}) == []
    assert ungrounded(CONTACT, {"phone": "+15551234568"}, said, {}) == ["phone"]
    assert ungrounded(CONTACT, {"email": "jane@example.com"}, said, {}) == ["email"]
    caller = {"caller_number": "+15551234567"}
    assert ungrounded(CONTACT, {"phone": "+15551234567"}, ["text me"], caller) == []


def test_free_text_enums_and_missing_values_need_no_grounding() -> None:
    assert ungrounded(TICKET, {"issue": "the lid was broken"}, ["it's damaged"], {}) == []
    assert ungrounded(TICKET, {"issue": "x", "order_id": "999"}, ["it's damaged"], {}) == [
        "order_id"
    ]
    args = {"customer_name": None, "service": "followup", "date": "2027-01-01", "time": "09:00"}
    assert ungrounded(BOOK, args, ["hello"], {}) == []


def test_invented_arguments_outside_the_schema_are_checked_too() -> None:
    assert ungrounded(TICKET, {"issue": "x", "account_id": "A12"}, ["help"], {}) == ["account_id"]


def test_missing_required() -> None:
    assert missing_required(ORDER, {}) == ["order_id"]
    assert missing_required(ORDER, {"order_id": " "}) == ["order_id"]
    assert missing_required(ORDER, {"order_id": None}) == ["order_id"]
    assert missing_required(ORDER, {"order_id": "4521"}) == []
    assert missing_required(TASK, {"task_id": 0}) == []
    assert missing_required(BOOK, {"service": "checkup"}) == ["customer_name", "date", "time"]


@pytest.mark.parametrize(
    ("function", "missing", "question"),
    [
        (ORDER, ["order_id"], "What's your order number?"),
        (BOOK, ["customer_name"], "What's your full name?"),
        (BOOK, ["date"], "Which day would you like?"),
        (BOOK, ["time"], "What time would you like?"),
        (BOOK, ["service"], "Would you like consultation, checkup or followup?"),
        (
            BOOK,
            ["customer_name", "date", "time"],
            "What's your full name and which day would you like?",
        ),
        (TASK, ["task_id"], "What's the number of the task?"),
        (TICKET, ["issue"], "What's the short summary of your problem?"),
        (CONTACT, ["phone"], "What's your phone?"),
        (ORDER, [], "Could you tell me a bit more?"),
    ],
)
def test_question_for(function: Function, missing: list[str], question: str) -> None:
    assert question_for(function, missing) == question


digit_strings = st.text(alphabet="0123456789", min_size=3, max_size=12)


@given(digit_strings)
def test_digits_spelled_one_by_one_round_trip(value: str) -> None:
    said = "order " + " ".join(DIGIT_WORDS[int(d)] for d in value)
    assert ungrounded(ORDER, {"order_id": value}, [said], {}) == []
    oh = "my order is " + " ".join("oh" if d == "0" else DIGIT_WORDS[int(d)] for d in value)
    assert ungrounded(ORDER, {"order_id": value}, [oh], {}) == []


@given(st.lists(st.integers(10, 99), min_size=2, max_size=5))
def test_digits_spelled_in_pairs_round_trip(pairs: list[int]) -> None:
    def pair(n: int) -> str:
        if n < 20:
            return TEENS[n - 10]
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + DIGIT_WORDS[n % 10])

    value = "".join(str(n) for n in pairs)
    said = "the order is " + ", ".join(pair(n) for n in pairs)
    assert spoken_to_digits(said).replace(",", "").split()[3:] == [str(n) for n in pairs]
    assert ungrounded(ORDER, {"order_id": value}, [said], {}) == []


@given(digit_strings, st.integers(0, 11), st.integers(1, 9))
def test_a_changed_digit_is_never_grounded(value: str, position: int, delta: int) -> None:
    i = position % len(value)
    other = value[:i] + str((int(value[i]) + delta) % 10) + value[i + 1 :]
    said = "order " + " ".join(DIGIT_WORDS[int(d)] for d in value)
    assert not is_grounded("order_id", ORDER.properties["order_id"], other, [said])


@pytest.mark.parametrize(
    ("value", "said", "ok"),
    [
        ("BM712Z", "The plate is B M seven one two Z.", True),
        ("MN 404", "is the car with plate MN 404 done yet?", True),
        ("RT2209", "Plate R T two two oh nine.", True),
        ("I'm checking on my car", "Hello, I'm checking on my car.", False),  # no code
        ("BM712", "The plate is B M seven one two Z.", True),  # a run of what was said
        ("BM713Z", "The plate is B M seven one two Z.", False),
    ],
)
def test_codes_are_joined_from_spelled_groups_and_look_like_codes(
    value: str, said: str, ok: bool
) -> None:
    assert is_grounded("plate", {"type": "string"}, value, [said]) is ok
