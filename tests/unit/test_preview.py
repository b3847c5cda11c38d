"""Acting on the routed function before its arguments exist: ask first, or start the filler."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from voicetools.dialogue.checks.preview import answers, doomed, likely_runs
from voicetools.dialogue.decision.action_prompt import call_head
from voicetools.dialogue.decision.decider import Intent, Situation
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.engine import Engine, EngineOptions
from voicetools.dialogue.events import Say, ToolCalled
from voicetools.spec import load_agent
from voicetools.spec.model import Agent, Function
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
TODAY = date(2026, 11, 18)


@pytest.fixture(scope="module")
def appointments() -> Agent:
    return load_agent(AGENTS / "appointments.yaml")


def function(agent: Agent, name: str) -> Function:
    found = agent.function(name)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["Where is my order?"], ["order_id"]),
        (["Hi there", "Where is my order?"], ["order_id"]),
        (["It's order forty five twenty one"], []),  # spoken numbers are digits
        (["Order 4521 please"], []),
        (["Order 45 21"], []),  # groups join
        (["Where is it?", "my zip is 90210"], []),  # 3 to 12 digits: it might be the order
        (["Where is it?", "I'm 42"], ["order_id"]),  # no run the pattern accepts
        (["Where is it?", "order 4521 and zip 90210"], []),
    ],
)
def test_a_required_number_nobody_said_is_doomed(
    orders: Agent, sources: list[str], expected: list[str]
) -> None:
    assert doomed(function(orders, "get_order_status"), sources, orders.variables) == expected


def test_a_variable_counts_for_a_parameter_of_its_name(orders: Agent) -> None:
    status = function(orders, "get_order_status")
    assert doomed(status, ["Where is it?"], {"caller_number": "15551234567"}) == ["order_id"]
    assert doomed(status, ["Where is it?"], {"order_id": "4521"}) == []


def test_only_numbers_are_ever_doomed(appointments: Agent) -> None:
    # a name or a date could be anywhere in the words: only the real check can tell
    book = function(appointments, "book_appointment")
    assert doomed(book, ["book me in please"], appointments.variables) == []


@pytest.mark.parametrize(
    ("agent_name", "name", "caller", "expected"),
    [
        ("orders", "get_order_status", ["What's the status of order 4521?"], True),
        ("orders", "get_order_status", ["Where is my order?"], False),
        ("appointments", "check_availability", ["Anything free tomorrow for a checkup?"], True),
        ("appointments", "check_availability", ["Anything free for a checkup?"], False),
        # a name is required: code cannot tell whether the caller gave one
        ("appointments", "book_appointment", ["Book Ann Lee tomorrow at 9 for a checkup"], False),
    ],
)
def test_likely_runs(
    request: pytest.FixtureRequest, agent_name: str, name: str, caller: list[str], expected: bool
) -> None:
    agent: Agent = request.getfixturevalue(agent_name)
    assert likely_runs(function(agent, name), caller, caller, agent.variables) is expected


def test_a_call_that_asks_for_confirmation_is_not_likely_to_run(orders: Agent) -> None:
    confirmed = dataclasses.replace(function(orders, "get_order_status"), confirm=True)
    assert not likely_runs(confirmed, ["order 4521"], ["order 4521"], {})


def _engine(agent: Agent, llm: ScriptedLLM, *, early_filler: bool) -> Engine:
    runner = ToolRunner(agent, mock_all=True)
    options = EngineOptions(early_filler=early_filler)
    engine = Engine(agent, llm, runner, today=TODAY, options=options)
    engine.greet()
    return engine


def _turn(engine: Engine, text: str) -> list[Any]:
    async def collect() -> list[Any]:
        return [event async for event in engine.turn(text)]

    return asyncio.run(collect())


def test_a_number_nobody_said_is_asked_for_before_the_model_writes_one(orders: Agent) -> None:
    llm = ScriptedLLM().on_call("where is my order", "get_order_status", order_id="123456789012")
    events = _turn(_engine(orders, llm, early_filler=True), "Where is my order?")
    says = [e for e in events if isinstance(e, Say)]
    assert [(s.text, s.kind) for s in says] == [("What's your order number?", "agent")]
    assert not any(isinstance(e, ToolCalled) for e in events)
    # the model was asked to route, never to write the invented number
    assert not any(p.endswith(call_head("get_order_status")) for p in llm.prompts)


def test_the_filler_starts_when_the_function_is_named(orders: Agent) -> None:
    llm = ScriptedLLM().on_call("order 4521", "get_order_status", order_id="4521")
    events = _turn(_engine(orders, llm, early_filler=True), "Status of order 4521?")
    kinds = [type(e).__name__ if not isinstance(e, Say) else e.kind for e in events]
    assert kinds.index("filler") < kinds.index("ToolCalled")
    assert kinds.count("filler") == 1  # the plan does not say its first line again


def test_the_text_chat_keeps_its_filler_for_the_tool(orders: Agent) -> None:
    llm = ScriptedLLM().on_call("order 4521", "get_order_status", order_id="4521")
    events = _turn(_engine(orders, llm, early_filler=False), "Status of order 4521?")
    kinds = [type(e).__name__ if not isinstance(e, Say) else e.kind for e in events]
    assert "filler" not in kinds[: kinds.index("ToolCalled")]


def test_no_early_filler_when_the_call_will_ask_first(appointments: Agent) -> None:
    llm = ScriptedLLM().on_call("checkup", "check_availability", service="checkup")
    events = _turn(_engine(appointments, llm, early_filler=True), "Anything free for a checkup?")
    says = [(e.text, e.kind) for e in events if isinstance(e, Say)]
    assert says == [("Which day would you like?", "agent")]  # no "One moment." before it


def test_the_arguments_are_written_while_the_engine_handles_the_intent(orders: Agent) -> None:
    asked = threading.Event()

    def model(prompt: str) -> str | None:
        if call_head("get_order_status") in prompt:  # (+ `{"order_id":` put there to jump)
            asked.set()
        return None

    llm = ScriptedLLM().add(model, "").on_call("4521", "get_order_status", order_id="4521")
    situation = Situation(
        _engine(orders, llm, early_filler=False).system,
        (Message("user", "order 4521"),),
        orders.functions,
        True,
    )

    async def main() -> bool:
        decision = RouteDecider().decide(llm, situation, GenerationOptions())
        first = await anext(decision)
        assert first == Intent("get_order_status")
        # not asking for the next item: the arguments must be on their way regardless
        started = await asyncio.to_thread(asked.wait, 5.0)
        await decision.aclose()
        return started

    assert asyncio.run(main())


@pytest.mark.parametrize(
    ("agent_name", "name", "asked_for", "text", "expected"),
    [
        ("orders", "get_order_status", ("order_id",), "It's 4521.", True),
        ("orders", "get_order_status", ("order_id",), "forty five twenty one", True),
        ("orders", "get_order_status", ("order_id",), "I don't have it, sorry.", False),
        ("orders", "get_order_status", ("order_id",), "I'm 42", False),  # the pattern wants 3+
        ("appointments", "check_availability", ("date",), "Tomorrow, please.", True),
        ("appointments", "check_availability", ("date",), "Whenever suits you.", False),
        ("appointments", "book_appointment", ("customer_name",), "Ann Lee", True),
    ],
)
def test_a_reply_answers_the_question_when_it_holds_the_values(
    request: pytest.FixtureRequest,
    agent_name: str,
    name: str,
    asked_for: tuple[str, ...],
    text: str,
    expected: bool,
) -> None:
    agent: Agent = request.getfixturevalue(agent_name)
    assert answers(function(agent, name), asked_for, text) is expected


def test_the_callers_answer_to_the_checks_question_is_marked_for_routing(orders: Agent) -> None:
    llm = ScriptedLLM().on_call("where is my order", "get_order_status", order_id="1")
    engine = _engine(orders, llm, early_filler=False)
    _turn(engine, "Where is my order?")  # asked at once: no number was said
    talk = engine.conversation
    assert talk.asked is not None and talk.asked.names == ("order_id",)
    answered = engine.situation([*talk.history, Message("user", "It's 4521.")], True)
    assert answered.answering == "get_order_status"
    other = engine.situation([*talk.history, Message("user", "Do you ship to Canada?")], True)
    assert other.answering is None
    # a number inside a question about something else is no answer to the agent's question
    aside = [*talk.history, Message("user", "First, is order 4521 the one from May?")]
    assert engine.situation(aside, True).answering is None
    # once the agent has said something else, an old question no longer counts
    later = [*talk.history, Message("assistant", "Anything else?"), Message("user", "4521")]
    assert engine.situation(later, True).answering is None


def test_routing_weighs_the_function_whose_question_the_caller_answered(orders: Agent) -> None:
    llm = ScriptedLLM([(lambda prompt: 'reply"', "")])  # scores: reply 0, functions -20
    decider = RouteDecider(reply_bias=-19.0)  # reply still ahead by 1 ...
    history = (
        Message("user", "Where is my order?"),
        Message("assistant", "What's your order number?"),
        Message("user", "It's 4521."),
    )
    system = _engine(orders, llm, early_filler=False).system
    where = Situation(system, history, orders.functions, True)

    async def first(situation: Situation) -> Any:
        decision = decider.decide(llm, situation, GenerationOptions())
        item = await anext(decision)
        await decision.aclose()
        return item

    assert isinstance(asyncio.run(first(where)), str)  # a reply
    answered = dataclasses.replace(where, answering="get_order_status")
    assert asyncio.run(first(answered)) == Intent("get_order_status")  # ... the answer wins
