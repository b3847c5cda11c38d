"""Spoken errors and confirmation read-backs (voicetools.dialogue.lines)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from voicetools.dialogue.lines import (
    fill_template,
    readback,
    say_date,
    say_time,
    spoken_error,
    spoken_error_for,
    spoken_value,
)
from voicetools.spec.model import Function
from voicetools.tools.base import SPOKEN_ERRORS, ErrorCategory, ToolCall, ToolResult


def fn(name: str, properties: dict[str, Any], confirm: str | bool | None) -> Function:
    return Function(
        name=name,
        description="",
        kind="mock",
        parameters={"type": "object", "properties": properties},
        confirm=confirm,
    )


DELETE = fn("delete_task", {"task_id": {"type": "integer"}}, True)
BOOK = fn(
    "book_appointment",
    {k: {"type": "string"} for k in ("customer_name", "date", "time", "service")},
    "Book a {service} for {customer_name} on {date} at {time}?",
)


@pytest.mark.parametrize("category", list(ErrorCategory))
def test_every_category_has_a_line_and_a_next_step(category: ErrorCategory) -> None:
    for transfer in (True, False):
        text = spoken_error(category, can_transfer=transfer)
        assert text.endswith(("?", "."))
        assert len(text.split(". ")) >= 2 or "?" in text
        if "transfer" in text:
            assert transfer


@pytest.mark.parametrize(
    ("category", "transfer", "expected"),
    [
        (ErrorCategory.TEMPORARY, True,
         "That system isn't responding right now. Would you like me to try again, "
         "or shall I transfer you?"),
        (ErrorCategory.TEMPORARY, False,
         "That system isn't responding right now. Would you like me to try again?"),
        (ErrorCategory.NOT_FOUND, False,
         "I couldn't find that. Could you check the details and tell me again?"),
        (ErrorCategory.PERMISSION, True,
         "I'm not allowed to do that from here. I can transfer you to someone who can help, "
         "if you like."),
        ("unknown", False, "Something went wrong on our side. Would you like me to try again?"),
        ("no-such-category", False,
         "Something went wrong on our side. Would you like me to try again?"),
        (None, True,
         "Something went wrong on our side. Would you like me to try again, or shall I "
         "transfer you?"),
    ],
)  # fmt: skip
def test_spoken_error(category: Any, transfer: bool, expected: str) -> None:
    assert spoken_error(category, can_transfer=transfer) == expected


def test_the_tools_own_message_is_used() -> None:
    assert spoken_error("not_found", "Order 4521 doesn't exist") == (
        "Order 4521 doesn't exist. Could you check the details and tell me again?"
    )
    result = ToolResult(
        call=ToolCall("get_order_status", {"order_id": "1"}),
        payload={"error": "timeout"},
        category=ErrorCategory.TEMPORARY,
        spoken="The order system is slow today.",
    )
    assert spoken_error_for(result) == (
        "The order system is slow today. Would you like me to try again?"
    )
    assert SPOKEN_ERRORS[ErrorCategory.TEMPORARY] in spoken_error_for(
        ToolResult(call=result.call, payload={}, category=ErrorCategory.TEMPORARY)
    ).replace("right now.", "right now. Please try again in a moment.")


@pytest.mark.parametrize(
    ("value", "spoken"),
    [
        ("2026-11-20", "Friday, November 20th"),
        ("2026-12-01", "Tuesday, December 1st"),
        ("2026-02-30", "2026-02-30"),
        ("14:30", "2:30 PM"),
        ("09:00", "9 AM"),
        ("12:00", "noon"),
        ("00:00", "midnight"),
        ("00:15", "12:15 AM"),
        (True, "yes"),
        (None, "none"),
        (3, "3"),
        (["a", "b"], "a, b"),
        ("this_week", "this week"),
    ],
)
def test_spoken_value(value: Any, spoken: str) -> None:
    assert spoken_value(value) == spoken


def test_say_date_and_time() -> None:
    assert say_date(date(2027, 3, 3)) == "Wednesday, March 3rd"
    assert say_date(date(2026, 11, 11)) == "Wednesday, November 11th"
    assert say_time(13, 5) == "1:05 PM"


def test_readback_automatic() -> None:
    assert readback(DELETE, {"task_id": 3}) == "Just to confirm: delete task 3. Shall I go ahead?"
    send = fn("send_sms", {"message": {"type": "string"}}, True)
    assert readback(send, {"message": "See you soon"}) == (
        "Just to confirm: send sms with message See you soon. Shall I go ahead?"
    )
    ping = fn("ping_server", {}, True)
    assert readback(ping, {}) == "Just to confirm: ping server. Shall I go ahead?"


def test_readback_template_speaks_dates_and_times() -> None:
    args = {
        "customer_name": "Jane Smith",
        "date": "2026-11-20",
        "time": "14:30",
        "service": "checkup",
    }
    assert readback(BOOK, args) == (
        "Book a checkup for Jane Smith on Friday, November 20th at 2:30 PM?"
    )


def test_readback_reads_back_what_the_template_leaves_out() -> None:
    ticket = fn("create_support_ticket", {"issue": {}, "order_id": {}},
                'Should I open a ticket about "{issue}"?')  # fmt: skip
    assert readback(ticket, {"issue": "broken lid", "order_id": "4521"}) == (
        'Should I open a ticket about "broken lid" (order id 4521)?'
    )
    delete = fn("delete_task", {"task_id": {}}, "Delete task {task_id}? This cannot be undone.")
    assert readback(delete, {"task_id": 3}) == "Delete task 3? This cannot be undone."


def test_fill_template() -> None:
    number = {"caller_number": "+15551234567"}
    assert fill_template("Call {who} at {caller_number}.", {"who": "Ann"}, number) == (
        "Call Ann at +15551234567."
    )
    assert fill_template("Book {service} for {name} ?", {"service": "checkup"}) == (
        "Book checkup for?"
    )
