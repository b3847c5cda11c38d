"""What the engine expects the caller to say next, from the question it just asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from engine_support import turn

from voicetools.dialogue import Engine, ExpectedAnswer
from voicetools.dialogue.expected import answer_kind, domain_words, label
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"


def _engine(agent: Agent, llm: ScriptedLLM) -> Engine:
    engine = Engine(agent, llm, ToolRunner(agent, mock_all=True), today=date(2026, 11, 18))
    engine.greet()
    return engine


@pytest.mark.parametrize(
    ("name", "schema", "kind"),
    [
        ("order_id", {"type": "string", "pattern": "^[0-9]{3,12}$"}, "digits"),
        ("order_id", {"type": "string", "description": "The order number"}, "digits"),
        ("booking_id", {"type": "string", "description": "The booking reference"}, "code"),
        ("task_id", {"type": "integer"}, "digits"),
        ("phone", {"type": "string"}, "phone"),
        ("plate", {"type": "string"}, "code"),
        ("customer_name", {"type": "string"}, "name"),
        ("date", {"type": "string", "format": "date"}, "date"),
        ("time", {"type": "string", "description": "HH:MM"}, "time"),
        ("service", {"type": "string", "enum": ["checkup", "followup"]}, "enum"),
        ("issue", {"type": "string"}, "free"),
        ("email", {"type": "string"}, "free"),
        ("party_size", {"type": "integer"}, "free"),
    ],
)
def test_answer_kind_from_the_schema(name: str, schema: dict[str, Any], kind: str) -> None:
    assert answer_kind(name, schema) == kind


def test_label_says_an_id_as_a_number() -> None:
    assert label("order_id") == "order number"
    assert label("plate") == "plate"


def test_domain_words_enum_values_first_then_function_names_then_variable_names() -> None:
    desk = load_agent(AGENTS / "front_desk.yaml")
    words = domain_words(desk)
    assert words[:7] == (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
    assert "opening hours" in words  # get_opening_hours, without its verb
    assert "Springfield" in words and "Harbor" in words  # clinic_address: 12 Harbor Street, ...
    assert words.count("call") == 1  # end_call and transfer_call
    assert "caller" not in words  # only capitalised words of variables: "caller-42" is none


def test_nothing_is_expected_before_a_question(orders: Agent) -> None:
    expected = _engine(orders, ScriptedLLM()).expected
    assert expected.kind == "none" and expected.names == ()
    assert expected.vocabulary == ("order status", "support ticket", "call")


def test_digits_are_expected_after_the_order_number_is_asked_for(orders: Agent) -> None:
    llm = ScriptedLLM().on_call("where is my order", "get_order_status", order_id="123456789012")
    engine = _engine(orders, llm)
    assert "What's your order number?" in [
        getattr(e, "text", "") for e in turn(engine, "Where is my order?")
    ]
    expected = engine.expected
    assert (expected.kind, expected.names, expected.label) == (
        "digits",
        ("order_id",),
        "order number",
    )
    assert expected.spoken_digits


def test_the_expectation_ends_with_the_callers_next_turn(orders: Agent) -> None:
    llm = ScriptedLLM().on_call("where is my order", "get_order_status", order_id="123456789012")
    llm.on_call("4521", "get_order_status", order_id="4521")
    engine = _engine(orders, llm)
    turn(engine, "Where is my order?")
    assert engine.expected.kind == "digits"
    turn(engine, "It's 4521.")  # answered: the lookup ran, nothing is asked now
    assert engine.expected.kind == "none"


def test_an_enum_question_expects_its_options() -> None:
    appointments = load_agent(AGENTS / "appointments.yaml")
    llm = ScriptedLLM().on_call("appointment", "check_availability", date="2026-11-20")
    engine = _engine(appointments, llm)
    events = turn(engine, "Can I get an appointment on Friday?")
    expected = engine.expected
    assert expected.kind == "enum", [getattr(e, "text", "") for e in events]
    assert expected.options == ("consultation", "checkup", "followup")


def test_a_pending_read_back_expects_nothing_in_particular() -> None:
    tasks = load_agent(AGENTS / "task_manager.yaml")
    llm = ScriptedLLM().on_call("delete task 3", "delete_task", task_id=3)
    engine = _engine(tasks, llm)
    turn(engine, "Please delete task 3.")
    assert engine.conversation.pending is not None
    assert engine.expected == ExpectedAnswer("none", vocabulary=engine.expected.vocabulary)
