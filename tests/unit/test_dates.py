"""Relative dates and times resolved in code (voicetools.language.dates)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetools.language.dates import (
    date_format,
    is_date_parameter,
    is_time_parameter,
    normalise_arguments,
    resolve_date,
    resolve_time,
    without_when_words,
)
from voicetools.spec.model import Function

WED = date(2026, 11, 18)  # a Wednesday
SAT = date(2026, 11, 21)
SUN = date(2026, 11, 22)
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_UNITS = "zero one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int) -> str:
    """0-999 in words, the way a caller says them."""
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _UNITS[n % 10])
    rest = n % 100
    return f"{_UNITS[n // 100]} hundred" + (f" and {words(rest)}" if rest else "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-18"),
        ("Can I come in tonight?", "2026-11-18"),
        ("this afternoon please", "2026-11-18"),
        ("tomorrow", "2026-11-19"),
        ("um, tomorrow morning", "2026-11-19"),
        ("the day after tomorrow", "2026-11-20"),
        ("day after tomorrow works", "2026-11-20"),
        ("yesterday", "2026-11-17"),
        ("Friday", "2026-11-20"),
        ("on Friday", "2026-11-20"),
        ("this Friday", "2026-11-20"),
        ("this coming Friday", "2026-11-20"),
        ("next Friday", "2026-11-27"),
        ("Friday next week", "2026-11-27"),
        ("next week on Friday", "2026-11-27"),
        ("friday after next", "2026-11-27"),
        ("Monday", "2026-11-23"),
        ("this Monday", "2026-11-23"),
        ("next Monday", "2026-11-23"),
        ("Wednesday", "2026-11-25"),
        ("this Wednesday", "2026-11-18"),
        ("next Wednesday", "2026-11-25"),
        ("next Tuesday", "2026-11-24"),
        ("next Sunday", "2026-11-29"),
        ("in 3 days", "2026-11-21"),
        ("in three days", "2026-11-21"),
        ("in two weeks", "2026-12-02"),
        ("in a week", "2026-11-25"),
        ("in a couple of days", "2026-11-20"),
        ("two days from now", "2026-11-20"),
        ("in a month", "2026-12-18"),
        ("next week", "2026-11-23"),
        ("this weekend", "2026-11-21"),
        ("next weekend", "2026-11-28"),
        ("next month", "2026-12-01"),
        ("the 15th", "2026-12-15"),
        ("on the fifteenth", "2026-12-15"),
        ("the 18th", "2026-11-18"),
        ("the twentieth", "2026-11-20"),
        ("the twenty first", "2026-11-21"),
        ("the thirtieth", "2026-11-30"),
        ("March 3rd", "2027-03-03"),
        ("march third", "2027-03-03"),
        ("the third of March", "2027-03-03"),
        ("3rd of march", "2027-03-03"),
        ("December twenty fifth", "2026-12-25"),
        ("november 18", "2026-11-18"),
        ("november 17", "2027-11-17"),
        ("March 3rd, 2028", "2028-03-03"),
        ("march 3rd twenty twenty eight", "2028-03-03"),
        ("3/14", "2027-03-14"),
        ("12/10", "2026-12-10"),
        ("3/14/2027", "2027-03-14"),
        ("2026-12-01", "2026-12-01"),
        ("Jan 5", "2027-01-05"),
        ("book me for May 5th", "2027-05-05"),
        ("Friday the 20th", "2026-11-20"),
        ("Friday, no wait, Monday", "2026-11-23"),
        ("um, how about next Thursday at three", "2026-11-26"),
        ("2023.10.1", "2023-10-01"),
        ("next Wednesday 2023.10.1", "2023-10-01"),  # the written date comes last
        ("20/3/2024", "2024-03-20"),  # 20 is no month: day/month
    ],
)
def test_resolve_date_on_a_wednesday(text: str, expected: str) -> None:
    assert resolve_date(text, WED) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "what's the status of my order?",
        "complete the 3rd task",
        "the sun is out",
        "I sat down",
        "may I book an appointment",
        "order 4521",
        "at 3 pm",
        "February 30th",
        "13/45",
        "24/7 support",
        "wait a second",
    ],
)
def test_no_date(text: str) -> None:
    assert resolve_date(text, WED) is None


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (SAT, "next Monday", "2026-11-23"),
        (SAT, "Monday", "2026-11-23"),
        (SAT, "this weekend", "2026-11-21"),
        (SUN, "this weekend", "2026-11-22"),
        (SUN, "next Friday", "2026-11-27"),
        (SUN, "this Friday", "2026-11-27"),
        (date(2026, 12, 30), "the 5th", "2027-01-05"),
        (date(2026, 12, 30), "January 3rd", "2027-01-03"),
        (date(2026, 12, 30), "next week", "2027-01-04"),
        (date(2026, 12, 30), "in a month", "2027-01-30"),
        (date(2027, 1, 31), "in a month", "2027-02-28"),
        (date(2027, 1, 31), "the 30th", "2027-03-30"),
        (date(2027, 3, 1), "February 29th", "2028-02-29"),
    ],
)
def test_resolve_date_other_days(today: date, text: str, expected: str) -> None:
    assert resolve_date(text, today) == date.fromisoformat(expected)


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 99))
def test_in_n_days_in_digits_and_words(today: date, n: int) -> None:
    assert resolve_date(f"in {n} days", today) == today + timedelta(days=n)
    assert resolve_date(f"could we do it in {words(n)} days?", today) == today + timedelta(days=n)


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.sampled_from(range(7)))
def test_weekday_conventions(today: date, day: int) -> None:
    monday = today - timedelta(days=today.weekday())
    bare = resolve_date(f"on {DAYS[day]}", today)
    this = resolve_date(f"this {DAYS[day]}", today)
    nxt = resolve_date(f"next {DAYS[day]}", today)
    assert bare is not None and this is not None and nxt is not None
    assert bare.weekday() == this.weekday() == nxt.weekday() == day
    assert 1 <= (bare - today).days <= 7  # never today: the caller would say "today"
    assert 0 <= (this - today).days <= 7
    assert nxt - timedelta(days=day) == monday + timedelta(days=7)  # always next week


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(1, 28))
def test_day_of_month_is_never_in_the_past(today: date, day: int) -> None:
    found = resolve_date(f"the {day}th", today)
    assert found is not None and found.day == day
    assert 0 <= (found - today).days < 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 3 pm", "15:00"),
        ("at 3pm", "15:00"),
        ("3 p.m.", "15:00"),
        ("at 3", "15:00"),
        ("at three", "15:00"),
        ("3:30", "15:30"),
        ("three thirty", "15:30"),
        ("half past two", "14:30"),
        ("quarter past ten in the morning", "10:15"),
        ("quarter to four", "15:45"),
        ("ten past four", "16:10"),
        ("twenty past eleven", "11:20"),
        ("noon", "12:00"),
        ("twelve noon", "12:00"),
        ("midnight", "00:00"),
        ("15:00", "15:00"),
        ("09:30", "09:30"),
        ("9:30 am", "09:30"),
        ("at 9", "09:00"),
        ("at 11", "11:00"),
        ("at 10 am", "10:00"),
        ("12 pm", "12:00"),
        ("12 am", "00:00"),
        ("twelve thirty", "12:30"),
        ("three o'clock", "15:00"),
        ("nine oh five", "09:05"),
        ("tonight at 8", "20:00"),
        ("at 7 in the evening", "19:00"),
        ("tomorrow morning at 9", "09:00"),
        ("at about 3:15", "15:15"),
        ("around 4", "16:00"),
        ("at 2 for 3 people", "14:00"),
        ("the one at one pm", "13:00"),
        ("at 3, no, make it 4 pm", "16:00"),
        ("1:45 pm", "13:45"),
        ("at six", "18:00"),
        ("at seven", "07:00"),
    ],
)
def test_resolve_time(text: str, expected: str) -> None:
    found = resolve_time(text)
    assert found is not None and found.strftime("%H:%M") == expected


@pytest.mark.parametrize(
    "text",
    ["", "task 3", "in 3 days", "for 3 people", "order 45 21", "march 3rd, twenty twenty seven",
     "the 15th", "25:00", "yes please"],
)  # fmt: skip
def test_no_time(text: str) -> None:
    assert resolve_time(text) is None


@given(st.integers(1, 12), st.integers(0, 59), st.sampled_from(["am", "pm"]))
def test_explicit_meridiem_always_wins(hour: int, minute: int, meridiem: str) -> None:
    expected = hour % 12 + (12 if meridiem == "pm" else 0)
    assert resolve_time(f"at {hour}:{minute:02d} {meridiem}") == time(expected, minute)


BOOK = Function(
    name="book_appointment",
    description="Book.",
    kind="mock",
    parameters={
        "type": "object",
        "properties": {
            "customer_name": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            "service": {"type": "string", "enum": ["checkup"]},
        },
    },
)
TASK = Function(
    name="create_task",
    description="Add.",
    kind="mock",
    parameters={"type": "object", "properties": {"title": {"type": "string"},
                                                 "due_date": {"type": "string"}}},
)  # fmt: skip


def test_normalise_replaces_what_the_model_guessed() -> None:
    model = {"customer_name": "Jane", "date": "2026-11-20", "time": "3 pm", "service": "checkup"}
    out = normalise_arguments(BOOK, model, "Next Friday at three thirty, please", WED)
    assert out == {**model, "date": "2026-11-27", "time": "15:30"}
    assert model["date"] == "2026-11-20"  # the input is not changed


def test_normalise_by_name_and_values_in_words() -> None:
    out = normalise_arguments(TASK, {"title": "pay rent", "due_date": "tomorrow"}, "pay rent", WED)
    assert out["due_date"] == "2026-11-19"
    out = normalise_arguments(BOOK, {"date": "2026-11-19", "time": "3pm"}, "sounds good", WED)
    assert out == {"date": "2026-11-19", "time": "15:00"}  # kept from an earlier turn; time fixed


def test_normalise_adds_nothing_and_ignores_non_dates() -> None:
    assert normalise_arguments(TASK, {"title": "x"}, "due tomorrow", WED) == {"title": "x"}
    assert normalise_arguments(BOOK, {"service": "checkup"}, "tomorrow at 3", WED) == {
        "service": "checkup"
    }


def test_several_date_parameters_are_not_overwritten_by_one_date() -> None:
    trip = Function(
        name="trip", description="", kind="mock",
        parameters={"type": "object", "properties": {"start_date": {"type": "string"},
                                                     "end_date": {"type": "string"}}},
    )  # fmt: skip
    out = normalise_arguments(
        trip, {"start_date": "2026-11-20", "end_date": "next friday"}, "until friday", WED
    )
    assert out == {"start_date": "2026-11-20", "end_date": "2026-11-27"}


@pytest.mark.parametrize(
    ("text", "dates_only", "with_times"),
    [
        ("Buy milk tomorrow", "Buy milk", "Buy milk"),
        ("Send report, due next Monday", "Send report", "Send report"),
        ("Buy milk by Friday.", "Buy milk", "Buy milk"),
        ("Team sync at 10am tomorrow", "Team sync at 10am", "Team sync"),
        ("Call mom next Friday at 3 pm", "Call mom next Friday at 3 pm", "Call mom"),
        ("Plan Friday party", "Plan Friday party", "Plan Friday party"),  # not at the end
        ("tomorrow", "tomorrow", "tomorrow"),  # never the whole text
        ("Renew passport", "Renew passport", "Renew passport"),
    ],
)
def test_without_when_words(text: str, dates_only: str, with_times: str) -> None:
    assert without_when_words(text, WED) == dates_only
    assert without_when_words(text, WED, times=True) == with_times


def test_normalise_takes_the_date_out_of_a_title_once_it_has_its_own_argument() -> None:
    model = {"title": "Buy milk tomorrow", "due_date": "2026-11-19"}
    out = normalise_arguments(TASK, model, "Add a task to buy milk tomorrow", WED)
    assert out == {"title": "Buy milk", "due_date": "2026-11-19"}
    # Without a date argument the words are the only record of when: they stay.
    out = normalise_arguments(TASK, {"title": "Buy milk tomorrow"}, "buy milk tomorrow", WED)
    assert out == {"title": "Buy milk tomorrow"}
    # Enums, patterns and formats are values, not prose: never touched.
    out = normalise_arguments(
        BOOK, {"date": "friday", "service": "checkup"}, "checkup on friday", WED
    )
    assert out == {"date": "2026-11-20", "service": "checkup"}


@pytest.mark.parametrize(
    ("name", "schema", "is_date", "is_time"),
    [
        ("date", {"type": "string"}, True, False),
        ("due_date", {"type": "string"}, True, False),
        ("when", {"type": "string", "format": "date"}, True, False),
        ("day", {"type": "string", "enum": ["monday"]}, False, False),
        ("time", {"type": "string"}, False, True),
        ("start_time", {"type": "string"}, False, True),
        ("at", {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, False, True),
        ("order_id", {"type": "string", "pattern": "^[0-9]{3,12}$"}, False, False),
        ("slot", {"type": "string", "format": "time"}, False, True),
        ("date", {"type": "integer"}, False, False),
    ],
)
def test_parameter_kinds(
    name: str, schema: dict[str, object], is_date: bool, is_time: bool
) -> None:
    assert is_date_parameter(name, schema) is is_date
    assert is_time_parameter(name, schema) is is_time


def _dated(name: str, description: str) -> Function:
    return Function(
        name="book", description="", kind="mock",
        parameters={"type": "object",
                    "properties": {name: {"type": "string", "description": description}}},
    )  # fmt: skip


def test_a_date_is_written_in_the_form_its_description_asks_for() -> None:
    train = _dated("date_of_journey", "The date of the journey, in the format 'MM/DD/YYYY'.")
    schema = train.properties["date_of_journey"]
    assert is_date_parameter("date_of_journey", schema)
    assert date_format(schema) == "%m/%d/%Y"
    out = normalise_arguments(train, {"date_of_journey": "2026-04-22"}, "on April 22nd", WED)
    assert out == {"date_of_journey": "04/22/2027"}
    kept = normalise_arguments(train, {"date_of_journey": "04/22/2027"}, "sounds good", WED)
    assert kept == {"date_of_journey": "04/22/2027"}  # already in its form


def test_a_date_time_form_is_no_date_and_iso_is_the_default() -> None:
    assert not is_date_parameter("start_date", {"type": "string",
                                                "description": "Format YYYY-MM-DD HH:mm:ss"})
    assert date_format({"type": "string", "format": "date"}) == "%Y-%m-%d"
    assert date_format({"type": "string", "description": "The day."}) == "%Y-%m-%d"
