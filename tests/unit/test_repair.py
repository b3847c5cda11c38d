"""Spoken digits and enum values taken back from the caller's words (dialogue.repair)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from voicetools.dialogue.checks.call import check_call
from voicetools.dialogue.checks.repair import digit_runs, repaired
from voicetools.spec import load_agent

AGENTS = Path(__file__).resolve().parents[2] / "agents"
ORDERS = load_agent(AGENTS / "order_support.yaml")
TASKS = load_agent(AGENTS / "task_manager.yaml")
CLINIC = load_agent(AGENTS / "appointments.yaml")


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Order number forty five twenty one, please.", ["4521"]),
        ("It's order seven oh oh three.", ["7003"]),
        ("Check order double seven three one.", ["7731"]),
        ("Um, order, uh, three three oh nine.", ["3309"]),
        ("order 4521 at three pm", ["4521", "3"]),
        ("no numbers here", []),
    ],
)
def test_digit_runs(text: str, runs: list[str]) -> None:
    assert digit_runs(text) == runs


def _fix(agent: Any, name: str, arguments: dict[str, Any], *turns: str) -> dict[str, Any]:
    function = agent.function(name)
    return repaired(
        function, arguments, utterance=turns[-1], caller_turns=list(turns), sources=list(turns)
    )


@pytest.mark.parametrize(
    ("said", "model", "fixed"),
    [
        ("Order number forty five twenty one, please.", "452101", "4521"),
        ("It's order seven oh oh three.", "700000000000", "7003"),
        ("My order is one two three four five.", "123456789012", "12345"),
        ("Order 4521 please", "4521", "4521"),  # right already: untouched
    ],
)
def test_a_garbled_spoken_number_is_taken_from_the_caller(
    said: str, model: str, fixed: str
) -> None:
    assert _fix(ORDERS, "get_order_status", {"order_id": model}, said) == {"order_id": fixed}


def test_no_or_several_numbers_leave_the_value_for_grounding_to_refuse() -> None:
    wrong = {"order_id": "999"}
    assert _fix(ORDERS, "get_order_status", wrong, "Where is my order?") == wrong
    both = "Is it order forty five twenty one or thirty three oh nine?"
    assert _fix(ORDERS, "get_order_status", wrong, both) == wrong


def test_integer_ids_become_integers() -> None:
    assert _fix(TASKS, "complete_task", {"task_id": 77}, "Complete task twelve") == {"task_id": 12}


def test_an_optional_enum_nobody_mentioned_is_dropped() -> None:
    model = {"title": "Pay rent", "due_date": "2026-11-19", "priority": "high"}
    out = _fix(TASKS, "create_task", model, "Add pay rent, due tomorrow.")
    assert out == {"title": "Pay rent", "due_date": "2026-11-19"}


@pytest.mark.parametrize(
    ("said", "priority"),
    [("Add renew passport, it's urgent.", "high"), ("Add renew passport, high priority", "high")],
)
def test_an_optional_enum_said_or_said_in_other_words_stays(said: str, priority: str) -> None:
    out = _fix(TASKS, "create_task", {"title": "Renew passport", "priority": priority}, said)
    assert out["priority"] == priority


def test_list_filters_in_other_words() -> None:
    assert _fix(TASKS, "list_tasks", {"status": "done"}, "What have I already finished?") == {
        "status": "done"
    }


def test_a_required_enum_takes_the_value_the_caller_named() -> None:
    model = {"date": "2026-11-23", "service": "checkup"}
    out = _fix(CLINIC, "check_availability", model, "I need a follow-up on Monday.")
    assert out == {"date": "2026-11-23", "service": "followup"}
    # Named in an earlier turn ("consultations", a plural) and not contradicted since.
    out = _fix(CLINIC, "check_availability", model, "Any consultations next week?", "Monday works.")
    assert out["service"] == "consultation"


def test_check_call_runs_the_repaired_call() -> None:
    checked = check_call(
        ORDERS.function("get_order_status"),
        {"order_id": "452101"},
        utterance="Order number forty five twenty one, please.",
        caller_turns=["Order number forty five twenty one, please."],
        variables={},
        heard=[],
        today=date(2026, 11, 18),
    )
    assert checked.runs and checked.arguments == {"order_id": "4521"}


def test_multi_word_enum_values_are_said_as_phrases() -> None:
    out = _fix(TASKS, "list_tasks", {"due_filter": "this_week"}, "Anything due this week?")
    assert out == {"due_filter": "this_week"}
    # "all" inside "call" is not the word "all".
    assert _fix(TASKS, "list_tasks", {"status": "all"}, "Call up my list") == {}


def test_one_of_is_not_a_number() -> None:
    out = _fix(TASKS, "complete_task", {"task_id": 123}, "I finished one of my tasks.")
    assert out == {"task_id": 123}  # left for grounding to refuse: which task is not said
