"""Each expectation kind, passing and failing, on hand-made event lists."""

from __future__ import annotations

import pytest

from voicetools.dialogue.events import (
    CallEnded,
    Event,
    Say,
    ToolCalled,
    ToolReturned,
    TurnStats,
    UserTurn,
)
from voicetools.scenario.check import check_turn, matches
from voicetools.scenario.model import Expect, ExpectedCall


def turn(*middle: Event) -> list[Event]:
    return [UserTurn("what's up with order 4521?"), *middle, TurnStats()]


LOOKUP = turn(
    ToolCalled("call_1", "get_order_status", {"order_id": "4521"}),
    Say("Let me check that for you...", "filler"),
    ToolReturned("call_1", "get_order_status", {"status": "shipped"}, True),
    Say("Your order has shipped.", "agent"),
)
CHAT = turn(Say("I'm doing well, thanks!", "agent"))
ASK = turn(
    ToolCalled("call_1", "delete_task", {"task_id": 3}),
    ToolReturned(
        "call_1", "delete_task", {"status": "confirmation_required", "question": "Delete?"}, False
    ),
    Say("Delete task 3? This cannot be undone.", "confirm"),
)
BYE = turn(
    ToolCalled("call_1", "end_call", {}),
    ToolReturned("call_1", "end_call", {"ok": True}, True),
    Say("Goodbye!", "goodbye"),
    CallEnded("end_call"),
)


def call(name: str, **arguments: object) -> ExpectedCall:
    return ExpectedCall(name, arguments)


@pytest.mark.parametrize(
    ("expect", "events"),
    [
        (Expect(calls=(call("get_order_status", order_id="4521"),)), LOOKUP),
        (Expect(calls=(call("get_order_status", order_id=4521),)), LOOKUP),  # digits as a number
        (Expect(calls=(call("GET_ORDER_STATUS".lower(), order_id=" 4521 "),)), LOOKUP),
        (Expect(calls=(call("get_order_status"),)), LOOKUP),  # the name alone
        (Expect(no_call=True), CHAT),
        (Expect(no_call=False), LOOKUP),
        (Expect(confirmation=True), ASK),
        (Expect(confirmation=False), LOOKUP),
        (Expect(filler=True), LOOKUP),
        (Expect(filler=False), CHAT),
        (Expect(reply_contains=("nothing", "SHIPPED")), LOOKUP),
        (Expect(reply_not_contains=("cancelled", "check that")), LOOKUP),  # filler is not reply
        (Expect(ended=True), BYE),
        (Expect(ended=False), CHAT),
        (Expect(calls=(call("end_call"),), ended=True, reply_contains=("goodbye",)), BYE),
    ],
)
def test_expectations_that_hold(expect: Expect, events: list[Event]) -> None:
    assert check_turn(expect, events) == []


@pytest.mark.parametrize(
    ("expect", "events", "message"),
    [
        (
            Expect(calls=(call("get_order_status", order_id="4521"),)),
            CHAT,
            'expected call get_order_status {order_id: "4521"}, got: no call; '
            'agent said: "I\'m doing well, thanks!"',
        ),
        (
            Expect(calls=(call("get_order_status", order_id="4512"),)),
            LOOKUP,
            'expected call get_order_status {order_id: "4512"}, got: get_order_status '
            '{order_id: "4521"} (order_id: expected "4512", got "4521"); '
            'agent said: "Your order has shipped."',
        ),
        (
            Expect(no_call=True),
            LOOKUP,
            'expected no call, got: get_order_status {order_id: "4521"}; '
            'agent said: "Your order has shipped."',
        ),
        (Expect(no_call=False), CHAT, "expected a call, got: no call"),
        (Expect(confirmation=True), LOOKUP, "expected a confirmation question, none was asked"),
        (Expect(confirmation=False), ASK, 'expected no confirmation question, got: "Delete task'),
        (Expect(filler=True), CHAT, "expected a filler line while a tool ran, none was spoken"),
        (Expect(filler=False), LOOKUP, 'expected no filler, got: "Let me check that for you..."'),
        (
            Expect(reply_contains=("delivered", "arrived")),
            LOOKUP,
            'expected the reply to contain "delivered" or "arrived"; '
            'agent said: "Your order has shipped."',
        ),
        (Expect(reply_not_contains=("shipped",)), LOOKUP, 'the reply must not contain "shipped"'),
        (Expect(ended=True), CHAT, "expected the call to end, it goes on"),
        (Expect(ended=False), BYE, "expected the call to go on, it ended"),
    ],
)
def test_expectations_that_fail_say_why(expect: Expect, events: list[Event], message: str) -> None:
    failures = check_turn(expect, events)
    assert len(failures) == 1
    assert failures[0].startswith(message)


def test_calls_are_matched_in_order() -> None:
    both = turn(
        ToolCalled("c1", "check_availability", {"date": "2026-05-07"}),
        ToolCalled("c2", "book_appointment", {"date": "2026-05-07", "time": "10:00"}),
    )
    first, second = call("check_availability"), call("book_appointment", time="10:00")
    assert check_turn(Expect(calls=(first, second)), both) == []
    assert check_turn(Expect(calls=(second, first)), both)[0].startswith(
        "expected call check_availability, got: check_availability"
    )


def test_the_engine_flag_counts_as_ended_and_confirmation_shows_in_results() -> None:
    assert check_turn(Expect(ended=True), CHAT, ended=True) == []
    asked_in_result_only = [e for e in ASK if not isinstance(e, Say)]
    assert check_turn(Expect(confirmation=True), asked_in_result_only) == []


def test_subset_matching_is_recursive_and_loose() -> None:
    assert matches({"a": {"b": "X "}}, {"a": {"b": "x", "c": 1}, "d": 2})
    assert matches([1, "two"], [1.0, "TWO"])
    assert not matches([1], [1, 2])
    assert matches(True, "true") and matches(None, None) and not matches(None, "none")
    assert not matches({"a": 1}, {"b": 1}) and not matches("x", {"x": 1})
