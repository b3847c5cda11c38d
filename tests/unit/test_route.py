"""RouteDecider with a scripted model: route first, then arguments or a streamed reply."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from voicetools.backends.base import ScoresContinuations
from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.decision.action_prompt import (
    ACTION_OPEN,
    action_turn,
    call_head,
    reply_head,
)
from voicetools.dialogue.decision.cues import CUE_BONUS, REQUEST_CUE_BONUS
from voicetools.dialogue.decision.decider import Call, DecisionRecord, Intent, Malformed, Situation
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message, call_text, system_message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import Say, ToolCalled
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
TODAY = date(2026, 11, 18)


def script(route: str, arguments: str = "{}", reply: str = "Sure.") -> Callable[[str], str]:
    """A model that routes to `route`, then writes `arguments` or `reply`."""

    def answer(prompt: str) -> str:
        if prompt.endswith(ACTION_OPEN):
            return f'{route}"'
        if prompt.endswith(reply_head()):
            return reply
        return arguments

    return answer


def situation(agent: Agent, *history: Message, allow_calls: bool = True) -> Situation:
    system = system_message(session_instructions(agent, TODAY), agent.functions)
    return Situation(system, history, agent.functions, allow_calls)


def decide(decider: RouteDecider, llm: Any, where: Situation) -> list[str | Call]:
    async def collect() -> list[str | Call]:
        items = decider.decide(llm, where, GenerationOptions())
        return [item async for item in items if not isinstance(item, DecisionRecord)]

    return asyncio.run(collect())


def test_routes_to_a_call_and_fills_its_arguments(orders: Agent) -> None:
    llm = ScriptedLLM([(script("get_order_status", '{"order_id": "4521"}'), "")])
    items = decide(RouteDecider(), llm, situation(orders, Message("user", "order 4521?")))
    assert items == [Intent("get_order_status"), Call("get_order_status", {"order_id": "4521"})]
    prompt, options = llm.scored[0]
    assert prompt.endswith(ACTION_OPEN) and "# Answer format" in prompt
    assert options[0] == 'reply"' and 'get_order_status"' in options
    assert llm.prompts[-1].endswith(call_head("get_order_status") + '{"order_id":')
    assert llm.grammars == [None]  # valid when written freely: no grammar needed


def test_routes_to_a_reply_and_streams_it(orders: Agent) -> None:
    llm = ScriptedLLM([(script("reply", reply="Hi! How can I help you today?"), "")])
    items = decide(RouteDecider(), llm, situation(orders, Message("user", "hello")))
    assert all(isinstance(i, str) for i in items) and len(items) > 1
    assert "".join(str(i) for i in items) == "Hi! How can I help you today?"
    assert llm.prompts[-1].endswith(reply_head())


def test_chains_a_call_after_a_tool_result() -> None:
    agent = load_agent(AGENTS / "appointments.yaml")
    args = '{"customer_name": "Ann Lee", "date": "2026-12-01", "time": "09:00", '
    args += '"service": "checkup"}'
    llm = ScriptedLLM([(script("book_appointment", args), "")])
    history = (
        Message("user", "Book a checkup on December 1st at 9 for Ann Lee."),
        Message("assistant", call_text("check_availability", {"date": "2026-12-01"})),
        Message("tool", '{"free": ["09:00"]}'),
    )
    items = decide(RouteDecider(), llm, situation(agent, *history))
    arguments = {"customer_name": "Ann Lee", "date": "2026-12-01", "time": "09:00",
                 "service": "checkup"}  # fmt: skip
    assert items == [Intent("book_appointment"), Call("book_appointment", arguments)]
    assert not llm.scored  # the check served the booking: code chose it (`chains.served_action`)
    prompt = llm.prompts[0]
    assert '{"action": "check_availability", "arguments": {"date": "2026-12-01"}}' in prompt
    assert "<tool_response>" in prompt


def test_after_a_result_its_own_bias_applies(orders: Agent) -> None:
    llm = ScriptedLLM([(script("create_support_ticket", '{"issue": "late"}'), "")])
    said = Message("user", "order 1 is late, open a ticket")  # asks for the ticket: offered
    history = (said, Message("tool", '{"status": "shipped"}'))
    items = decide(RouteDecider(after_result_bias=30.0), llm, situation(orders, *history))
    assert all(isinstance(i, str) for i in items)
    assert 'create_support_ticket"' in llm.scored[0][1]


def test_no_calls_allowed_forces_a_reply_without_routing(orders: Agent) -> None:
    llm = ScriptedLLM([(script("get_order_status", '{"order_id": "4521"}', "It shipped."), "")])
    where = situation(orders, Message("user", "order 4521?"), allow_calls=False)
    items = decide(RouteDecider(), llm, where)
    assert "".join(str(i) for i in items) == "It shipped."
    assert llm.scored == []


def test_reply_bias_turns_a_close_call_into_a_reply(orders: Agent) -> None:
    llm = ScriptedLLM([(script("get_order_status", '{"order_id": "1"}', "Hello."), "")])
    items = decide(RouteDecider(reply_bias=25.0), llm, situation(orders, Message("user", "hi")))
    assert items == ["Hell", "o."]


def test_a_function_without_parameters_is_called_at_once(orders: Agent) -> None:
    llm = ScriptedLLM([(script("transfer_call"), "")])
    items = decide(RouteDecider(), llm, situation(orders, Message("user", "a person please")))
    assert items == [Intent("transfer_call"), Call("transfer_call", {})]
    assert llm.requests == []  # scored only, nothing generated


def test_malformed_arguments_raise(orders: Agent) -> None:
    llm = ScriptedLLM([(script("get_order_status", '{"order_id": '), "")])
    with pytest.raises(Malformed):
        decide(RouteDecider(), llm, situation(orders, Message("user", "order 4521?")))


class _GenerateOnly:
    """A backend that cannot score (like a plain OpenAI-compatible server)."""

    def __init__(self, inner: ScriptedLLM) -> None:
        self.inner = inner

    def stream(self, prompt: str, **options: Any) -> Iterator[str]:
        return self.inner.stream(prompt, **options)

    def warm(self, prefix: str) -> None:
        self.inner.warm(prefix)


def test_without_scoring_the_action_is_generated_under_a_grammar(orders: Agent) -> None:
    inner = ScriptedLLM([(script("get_order_status", '{"order_id": "4521"}'), "")])
    llm = _GenerateOnly(inner)
    assert not isinstance(llm, ScoresContinuations)
    items = decide(RouteDecider(), llm, situation(orders, Message("user", "order 4521?")))
    assert items == [Intent("get_order_status"), Call("get_order_status", {"order_id": "4521"})]
    grammar = inner.grammars[0]
    assert grammar and 'reply\\"' in grammar and 'end_call\\"' in grammar


def test_an_unknown_generated_action_is_malformed(orders: Agent) -> None:
    llm = _GenerateOnly(ScriptedLLM([(script("delete_everything"), "")]))
    with pytest.raises(Malformed):
        decide(RouteDecider(), llm, situation(orders, Message("user", "hi")))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (Message("assistant", "Hello!"), '{"action": "reply"}\nHello!'),
        (Message("assistant", call_text("end_call", {})), call_head("end_call") + "{}}"),
        (Message("user", "hi"), "hi"),
    ],
)
def test_history_turns_are_rewritten_in_the_envelope(message: Message, expected: str) -> None:
    assert action_turn(message).content == expected


def _turn(engine: Engine, text: str) -> Sequence[Any]:
    async def collect() -> list[Any]:
        return [event async for event in engine.turn(text)]

    return asyncio.run(collect())


def test_the_engine_routes_by_default_and_warms_the_whole_prefix(orders: Agent) -> None:
    llm = ScriptedLLM([(script("get_order_status", '{"order_id": "4521"}'), "")])
    engine = Engine(orders, llm, ToolRunner(orders, mock_all=True), today=TODAY)
    assert isinstance(engine.decider, RouteDecider)
    engine.warm()
    assert "# Answer format" in llm.warmed[0]
    assert llm.warmed[0].endswith(f"{orders.greeting}<|im_end|>\n")  # every call opens so
    engine.greet()
    events = _turn(engine, "What's the status of order 4521?")
    called = [e for e in events if isinstance(e, ToolCalled)]
    assert [(c.name, dict(c.arguments)) for c in called][:1] == [
        ("get_order_status", {"order_id": "4521"})
    ]
    assert any(isinstance(e, Say) for e in events)
    assert all(p.startswith(llm.warmed[0]) for p, _ in llm.scored)


def test_right_after_a_result_the_same_function_is_not_offered_again(orders: Agent) -> None:
    llm = ScriptedLLM([(script("get_order_status", '{"order_id": "1"}', "It shipped."), "")])
    history = (
        Message("user", "order 1"),
        Message("assistant", call_text("get_order_status", {"order_id": "1"})),
        Message("tool", '{"status": "shipped"}'),
    )
    items = decide(RouteDecider(), llm, situation(orders, *history))
    assert "".join(str(i) for i in items) == "It shipped."
    assert not any('get_order_status"' in options for _, options in llm.scored)


def test_right_after_a_result_the_call_cannot_end(orders: Agent) -> None:
    llm = ScriptedLLM([(script("end_call", reply="Your order shipped."), "")])
    history = (
        Message("user", "order 1"),
        Message("assistant", call_text("get_order_status", {"order_id": "1"})),
        Message("tool", '{"status": "shipped"}'),
    )
    items = decide(RouteDecider(), llm, situation(orders, *history))
    assert "".join(str(i) for i in items) == "Your order shipped."
    assert not any('end_call"' in options for _, options in llm.scored)


_CUE = {"request": REQUEST_CUE_BONUS, "question": CUE_BONUS, "": 0.0}
"""What `cue_bonus` adds for a request for the built-in, a question naming it, and neither."""


@pytest.mark.parametrize(
    ("said", "bonus"),
    [
        ("Can I speak to a real person please?", "request"),
        ("Transfer me to an agent.", "request"),
        ("I want to talk to someone in billing", "request"),
        ("operator!", "request"),
        ("Do you ever put me through to a manager?", "question"),
        ("What's the status of my order?", ""),
        ("Can you speak more slowly?", ""),
    ],
)
def test_an_explicit_request_for_a_person_favours_transfer_call(said: str, bonus: str) -> None:
    from voicetools.dialogue.decision.cues import cue_bonus
    from voicetools.spec.model import Function

    transfer = Function(
        "transfer_call", "Transfer.", {"type": "object"}, "builtin", builtin="transfer_call"
    )
    lookup = Function("get_order_status", "Look up.", {"type": "object"}, "python")
    assert cue_bonus(transfer, said) == _CUE[bonus]
    assert cue_bonus(lookup, said) == 0.0


@pytest.mark.parametrize(
    ("said", "bonus"),
    [
        ("Actually no, just get me a technician.", "request"),
        ("I want a ticket about my monitor, actually no, just get me a technician.", "request"),
        ("I need a technician, please.", "request"),
        ("Could you connect me with a technician?", "request"),
        ("Is there a way to get me a technician today?", "question"),
        ("My technician said the printer is broken.", ""),  # mentioned, not asked for
        ("I need a new password.", ""),
    ],
)
def test_asking_for_whom_the_transfer_reaches_favours_transfer_call(said: str, bonus: str) -> None:
    from voicetools.dialogue.decision.cues import cue_bonus
    from voicetools.spec.model import Function

    transfer = Function(
        "transfer_call",
        "Transfer the caller to a technician when they ask for one.",
        {"type": "object"},
        "builtin",
        builtin="transfer_call",
    )
    assert cue_bonus(transfer, said) == _CUE[bonus]
