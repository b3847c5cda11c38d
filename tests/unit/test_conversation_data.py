"""The labelled conversations of benchmarks/data/conversations/ are sound, and so is the rule
that decides whether a value was said."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from benchmarks.conversation_data import (
    AGENTS,
    CATEGORIES,
    HALVES,
    LOOKUPS,
    load_conversations,
    parse_file,
    problems,
)
from benchmarks.conversation_said import Sources, is_said
from voicetools.spec import load_agent
from voicetools.spec.lint import lint_file

CONVERSATIONS = load_conversations()
AGENT_NAMES = sorted({c.agent for c in CONVERSATIONS})
AGENT_FILES = {name: load_agent(AGENTS / name) for name in AGENT_NAMES}
TODAY = date(2026, 11, 18)


def test_there_are_enough_conversations_each_of_two_to_six_caller_turns() -> None:
    assert len(CONVERSATIONS) >= 120
    assert all(2 <= len(c.turns) <= 6 for c in CONVERSATIONS)


def test_the_data_has_no_problem_and_every_labelled_value_is_said() -> None:
    assert problems(CONVERSATIONS, AGENT_FILES) == []


def test_every_category_is_in_both_halves_in_equal_parts() -> None:
    counts = Counter((c.category, c.half) for c in CONVERSATIONS)
    for category in CATEGORIES:
        assert counts[category, "dev"] >= 9 and counts[category, "test"] >= 9, category
        assert abs(counts[category, "dev"] - counts[category, "test"]) <= 1, category
    assert {c.half for c in CONVERSATIONS} == set(HALVES)


def test_the_three_new_agents_and_every_example_agent_are_used() -> None:
    assert set(AGENT_NAMES) == set(LOOKUPS)
    assert {"restaurant.yaml", "helpdesk.yaml", "car_service.yaml"} <= set(AGENT_NAMES)


@pytest.mark.parametrize("name", AGENT_NAMES)
def test_every_agent_of_the_data_validates(name: str) -> None:
    errors = [f for f in lint_file(AGENTS / name).findings if f.severity == "error"]
    assert errors == []
    lookups = LOOKUPS[name]
    assert all(AGENT_FILES[name].function(f) is not None for f in lookups)


def test_the_data_check_catches_a_value_nobody_said_and_a_wrong_turn_count() -> None:
    bad = parse_file(
        {
            "category": "corrections",
            "conversations": [
                {"id": "x", "agent": "order_support.yaml", "half": "dev",
                 "turns": ["Check order 9004.", "Sorry, I meant 9005."],
                 "execute": [{"name": "get_order_status", "arguments": {"order_id": "9006"}}]},
                {"id": "y", "agent": "weather.yaml", "half": "exam", "turns": ["Hi"],
                 "execute": [{"name": "get_forecast"}]},
            ],
        }
    )  # fmt: skip
    found = problems(bad, AGENT_FILES)
    assert any("order_id='9006' is never said" in p for p in found)
    assert any("y: 1 turns" in p for p in found)
    assert any("half must be dev or test" in p for p in found)
    assert any("get_forecast is not a function" in p for p in found)


def said(name: str, schema: dict[str, object], value: object, *texts: str) -> bool:
    return is_said(name, schema, value, Sources(texts, TODAY))


DIGITS = {"type": "string", "pattern": "^[0-9]{3,12}$"}


def test_numbers_spelled_digit_by_digit_with_oh_and_double_are_said() -> None:
    assert said("order_id", DIGITS, "773019", "seven seven three oh one nine")
    assert said("order_id", DIGITS, "44521", "double four five two one")
    assert said("order_id", DIGITS, "880631", "Order number... 88... 06... 31.")
    assert not said("order_id", DIGITS, "4521", "order 452")
    assert not said("order_id", DIGITS, "773", "What's the status of order 773.019?")
    assert not said("order_id", DIGITS, "019", "What's the status of order 773.019?")
    assert said("order_id", DIGITS, "773019", "What's the status of order 773.019?")
    assert not said("order_id", DIGITS, "9004", "I meant 9005")


def test_dates_and_times_are_said_when_a_clause_resolves_to_them() -> None:
    when = {"type": "string", "format": "date"}
    assert said("date", when, "2026-11-20", "Friday, no, make that Tuesday")
    assert said("date", when, "2026-11-24", "Friday, no, make that Tuesday")
    assert not said("date", when, "2026-11-21", "Friday, no, make that Tuesday")
    assert said("time", {"type": "string"}, "19:30", "7:30 pm")
    assert not said("time", {"type": "string"}, "20:00", "at 7 pm")


def test_free_text_needs_half_its_words_and_names_every_word() -> None:
    text = {"type": "string"}
    assert said("summary", text, "Laptop not connecting to wifi", "my laptop won't connect to wifi")
    assert not said("address", text, "123 Main St, City A, USA", "Everything and")
    assert not said("address", text, "123 Main Street", "I live on Main Street")
    assert said("message", text, "Our address: 12 Harbor Street", "Text me", "12 Harbor Street")
    assert said("name", text, "Rossi", "The name is Rossi.")
    assert not said("customer_name", text, "John Smith", "For John.")
    assert said("service", {"enum": ["oil_change", "inspection"]}, "oil_change", "an oil change")
    assert not said("units", {"enum": ["celsius", "fahrenheit"]}, "celsius", "in Oslo")
    assert said("priority", {"enum": ["low", "medium"], "default": "medium"}, "medium", "hi")
