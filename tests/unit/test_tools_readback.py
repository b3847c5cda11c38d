"""The read-back question and the action it names (what the reply means: test_consent.py)."""

from __future__ import annotations

from voicetools.spec.model import Function
from voicetools.tools.readback import confirmation_question, spoken_action


def _fn(confirm: str | bool | None, name: str = "book_appointment") -> Function:
    return Function(name=name, description="d", parameters={}, kind="mock", confirm=confirm)


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


def test_a_destructive_function_without_confirm_reads_the_call_back() -> None:
    fn = _fn(None, name="cancel_booking")
    assert fn.needs_confirmation
    assert confirmation_question(fn, {"booking_id": "B-7"}) == (
        "Just to confirm: cancel booking B-7. Shall I go ahead?"
    )


def test_the_spoken_action_names_the_call() -> None:
    assert spoken_action(_fn(True, name="delete_task"), {"task_id": 3}) == "delete task 3"
    templated = _fn("Book {date}?")
    assert spoken_action(templated, {"date": "2026-05-08", "note": None}) == (
        "book appointment with date Friday, May 8th"
    )
