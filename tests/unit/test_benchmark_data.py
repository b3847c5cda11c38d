"""The labelled benchmark utterances are well formed and agree with the code that grounds them."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.utterances import (
    AGENTS,
    MINIMUMS,
    Case,
    Expect,
    Outcome,
    attach,
    check,
    load_cases,
    parse_cases,
    score,
)
from voicetools.dialogue.checks.grounding import identifier_kind, ungrounded
from voicetools.language.dates import (
    is_date_parameter,
    is_time_parameter,
    resolve_date,
    resolve_time,
)
from voicetools.spec import load_agent
from voicetools.spec.model import Agent

CASES = load_cases()
AGENT_FILES = {name: load_agent(AGENTS / name) for name in sorted({c.agent for c in CASES})}


def agent_of(case: Case) -> Agent:
    return AGENT_FILES[case.agent]


def test_every_case_is_well_formed_and_every_expected_call_validates() -> None:
    assert check(CASES, AGENT_FILES) == []


def test_counts() -> None:
    assert len(CASES) >= 150
    counts = Counter(c.category for c in CASES)
    for category, minimum in MINIMUMS.items():
        assert counts[category] >= minimum, category
    assert set(AGENT_FILES) == {"order_support.yaml", "task_manager.yaml", "appointments.yaml",
                                "weather.yaml", "front_desk.yaml"}  # fmt: skip
    assert len({c.utterance for c in CASES}) == len(CASES)


def test_date_cases_are_on_appointments_and_tasks() -> None:
    dated = [c for c in CASES if c.category == "dates"]
    assert {c.agent for c in dated} == {"appointments.yaml", "task_manager.yaml"}
    assert all(c.expect.kind == "call" for c in dated)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect.kind == "call"], ids=lambda c: c.id)
def test_expected_identifiers_come_from_the_caller(case: Case) -> None:
    agent = agent_of(case)
    function = agent.function(case.expect.name)
    assert function is not None
    heard = [t.text for t in case.prior if t.role == "agent"]
    assert ungrounded(function, case.expect.arguments, case.caller_turns, agent.variables,
                      extra_sources=heard) == []  # fmt: skip


@pytest.mark.parametrize("case", [c for c in CASES if c.expect.kind == "call"], ids=lambda c: c.id)
def test_expected_dates_and_times_match_the_resolver(case: Case) -> None:
    """Each label agrees with resolving the latest caller turn that names a date (or time)."""
    function = agent_of(case).function(case.expect.name)
    assert function is not None
    for name, schema in function.properties.items():
        if name not in case.expect.arguments:
            continue
        if is_date_parameter(name, schema):
            said = [resolve_date(t, case.today) for t in case.caller_turns]
            latest = next(d for d in reversed(said) if d is not None)
            assert latest.isoformat() == case.expect.arguments[name]
        if is_time_parameter(name, schema):
            times = [resolve_time(t) for t in case.caller_turns]
            when = next(t for t in reversed(times) if t is not None)
            assert when.strftime("%H:%M") == case.expect.arguments[name]


@pytest.mark.parametrize("case", [c for c in CASES if c.expect.kind == "ask"], ids=lambda c: c.id)
def test_an_invented_identifier_in_an_ask_case_would_be_caught(case: Case) -> None:
    agent = agent_of(case)
    for function in agent.functions:
        for name in set(case.expect.asks_for) & set(function.properties):
            kind = identifier_kind(name, function.properties[name])
            if kind is None:
                continue
            invented = {"digits": 98765, "name": "Jordan Example"}.get(kind, "zz-invented")
            value = invented if function.properties[name].get("type") != "string" else str(invented)
            assert ungrounded(function, {name: value}, case.caller_turns, agent.variables) == [name]


def test_parse_rejects_malformed_entries() -> None:
    with pytest.raises(ValueError):
        parse_cases({"cases": [{"agent": "weather.yaml", "category": "tool", "utterance": "hi",
                                "expect": {"no_call": "maybe"}}]})  # fmt: skip
    with pytest.raises(ValueError):
        parse_cases({"cases": [{"agent": "weather.yaml", "utterance": "hi"}]})


def test_check_reports_bad_arguments_and_names() -> None:
    bad = parse_cases({"today": "2026-11-18", "cases": [
        {"agent": "weather.yaml", "category": "tool", "utterance": "x",
         "expect": {"call": {"name": "get_weather",
                             "arguments": {"city": "Oslo", "units": "kelvin"}}}},
        {"agent": "weather.yaml", "category": "tool", "utterance": "y",
         "expect": {"call": {"name": "get_forecast", "arguments": {}}}},
        {"agent": "nope.yaml", "category": "tool", "utterance": "z", "expect": {"end_call": True}},
        {"agent": "weather.yaml", "category": "smalltalk", "utterance": "w",
         "expect": {"no_call": "ask", "asks_for": ["zip_code"]}},
    ]})  # fmt: skip
    problems = check(bad, AGENT_FILES)
    assert len(problems) == 5
    assert any("kelvin" in p for p in problems)
    assert any("get_forecast" in p for p in problems)


def _case(utterance: str) -> Case:
    found = next(c for c in CASES if c.utterance == utterance)
    return attach(found, agent_of(found))


def test_score_calls() -> None:
    create = _case("Add a task to buy milk.").expect
    assert score(create, Outcome("call", "create_task", {"title": "Buy some milk"})) == (True, True)
    medium = {"title": "buy milk", "priority": "medium"}
    assert score(create, Outcome("call", "create_task", medium)) == (True, True)
    assert score(create, Outcome("call", "create_task", {"title": "buy bread"})) == (True, False)
    high = {"title": "buy milk", "priority": "high"}
    assert score(create, Outcome("call", "create_task", high)) == (True, False)
    assert score(create, Outcome("call", "list_tasks", {})) == (False, False)
    assert score(create, Outcome("reply", text="Sure!")) == (False, False)


def test_score_identifiers_integers_and_invented_extras() -> None:
    order = _case("Hi, what's the status of order 4521?").expect
    assert score(order, Outcome("call", "get_order_status", {"order_id": "45-21"})) == (True, True)
    assert score(order, Outcome("call", "get_order_status", {"order_id": "4512"})) == (True, False)
    done = _case("Mark task 3 as done.").expect
    assert score(done, Outcome("call", "complete_task", {"task_id": 3})) == (True, True)
    assert score(done, Outcome("call", "complete_task", {"task_id": "3"})) == (True, True)
    assert score(done, Outcome("call", "complete_task", {"task_id": True})) == (True, False)
    ticket = _case("I want to open a ticket, the box arrived crushed.").expect
    invented = {"issue": "box arrived crushed", "order_id": "12345"}
    assert score(ticket, Outcome("call", "create_support_ticket", invented)) == (True, False)


def test_score_dates_enums_and_any_value() -> None:
    slot = _case("Any consultations next Friday?").expect
    right = {"date": "2026-11-27", "service": "consultation"}
    assert score(slot, Outcome("call", "check_availability", right)) == (True, True)
    wrong = {"date": "2026-11-20", "service": "consultation"}
    assert score(slot, Outcome("call", "check_availability", wrong)) == (True, False)
    berlin = _case("Weather for Berlin.").expect
    units = {"city": "berlin", "units": "fahrenheit"}
    assert score(berlin, Outcome("call", "get_weather", units)) == (True, True)
    assert score(berlin, Outcome("call", "get_weather", {"city": "Berlin"})) == (True, False)


def test_score_no_call_and_end_call() -> None:
    assert score(Expect("reply"), Outcome("reply", text="Hi!")) == (True, True)
    assert score(Expect("ask"), Outcome("reply", text="What's your order number?")) == (True, True)
    assert score(Expect("ask"), Outcome("call", "get_order_status", {"order_id": "1"})) == (
        False,
        False,
    )
    assert score(Expect("end_call", "end_call"), Outcome("call", "end_call")) == (True, True)
    assert score(Expect("end_call", "end_call"), Outcome("end_call")) == (True, True)
    assert score(Expect("end_call", "end_call"), Outcome("reply", text="Bye")) == (False, False)
