"""The read-back question and the yes/no reading of a caller's reply."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetools.spec.model import Function
from voicetools.tools.readback import confirmation_question, yes_or_no


def _fn(confirm: str | bool, name: str = "book_appointment") -> Function:
    return Function(name=name, description="d", parameters={}, kind="mock", confirm=confirm)


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes!",
        "yeah",
        "sure",
        "Go ahead.",
        "please do",
        "yes please",
        "OK, do it",
        "that's right",
        "Yep, sounds good",
        "no problem",
        "Sure \u2014 go ahead",
    ],
)
def test_yes(text: str) -> None:
    assert yes_or_no(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "No.",
        "nope",
        "don't",
        "Don\u2019t do that",
        "cancel",
        "no, cancel it",
        "stop",
        "never mind",
        "do not",
    ],
)
def test_no(text: str) -> None:
    assert yes_or_no(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hmm",
        "what time is it?",
        "yes... no, wait",
        "I'm not sure",
        "I don't know",
        "maybe",
        "yes but cancel the other one",
        "yesterday",
        "notable",
        "sure, not now",
    ],
)
def test_neither(text: str) -> None:
    assert yes_or_no(text) is None


@given(st.text(max_size=200))
def test_yes_or_no_never_crashes(text: str) -> None:
    assert yes_or_no(text) in (True, False, None)


def test_template_is_filled_and_omitted_arguments_are_read_back() -> None:
    fn = _fn("Book a {service} for {customer_name} on {date} at {time}?")
    args = {"customer_name": "Ana", "date": "2026-05-08", "time": "10:30", "service": "checkup"}
    assert confirmation_question(fn, args) == (
        "Book a checkup for Ana on Friday, May 8th at 10:30 AM?"
    )
    fn = _fn("Book it for {customer_name}?")
    assert confirmation_question(fn, args) == (
        "Book it for Ana (date Friday, May 8th, time 10:30 AM, service checkup)?"
    )


def test_template_may_use_variables_but_arguments_win() -> None:
    fn = _fn("Text {caller_number} about {topic}.")
    question = confirmation_question(fn, {"topic": "x"}, {"caller_number": "+1555", "topic": "y"})
    assert question == "Text +1555 about x."


def test_automatic_read_back() -> None:
    fn = _fn(True, name="delete_task")
    assert confirmation_question(fn, {"task_id": 3}) == (
        "Just to confirm: delete task 3. Shall I go ahead?"
    )
    assert confirmation_question(fn, {}) == "Just to confirm: delete task. Shall I go ahead?"
    assert confirmation_question(fn, {"ids": [1, 2], "hard": True}) == (
        "Just to confirm: delete task with ids 1, 2, and hard yes. Shall I go ahead?"
    )
