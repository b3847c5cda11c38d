"""A decision made before the turn is confirmed (`dialogue.head_start`): no effects, and adopted
only for exactly the conversation it was computed for."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

from voicetools.dialogue.decision.decider import Call, DecisionRecord, Intent, Item
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import Event, Say, ToolCalled
from voicetools.spec import load_agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"


class Recording:
    """The real runner (mocks), recording every call it runs."""

    def __init__(self, runner: ToolRunner) -> None:
        self.runner = runner
        self.ran: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)

    async def run(self, call: ToolCall) -> ToolResult:
        self.ran.append(call.name)
        return await self.runner.run(call)


def make(llm: ScriptedLLM, agent_file: str = "order_support.yaml") -> tuple[Engine, Recording]:
    agent = load_agent(AGENTS / agent_file)
    runner = Recording(ToolRunner(agent, mock_all=True))
    engine = Engine(agent, llm, runner, today=date(2026, 5, 1))
    engine.greet()
    return engine, runner


def order_llm() -> ScriptedLLM:
    llm = ScriptedLLM().on_call("order 4521", "get_order_status", order_id="4521")
    return llm.add("tool_response", "It has shipped.").add("hours", "We open at eight.")


def test_speculating_changes_nothing_and_runs_no_tool() -> None:
    engine, runner = make(order_llm())
    before = list(engine.conversation.history)

    async def main() -> list[Item]:
        head = engine.speculate("Where is order 4521?")
        assert head is not None
        return [item async for item in head.replay()]

    items = asyncio.run(main())
    # decided, as data only: the router names the function, then its arguments follow, then
    # what the decision measured
    call = Call("get_order_status", {"order_id": "4521"})
    assert items[:-1] == [Intent("get_order_status"), call]
    assert isinstance(items[-1], DecisionRecord)
    talk = engine.conversation
    assert talk.history == before and talk.caller_turns == [] and runner.ran == []


def test_the_confirmed_turn_adopts_the_decision_and_the_model_is_asked_once() -> None:
    llm = order_llm()
    engine, runner = make(llm)

    async def main() -> list[Event]:
        head = engine.speculate("Where is order 4521?")
        await asyncio.sleep(0.05)  # the decision runs before the turn is confirmed
        return [e async for e in engine.turn("Where is order 4521?", head)]

    events = asyncio.run(main())
    assert [e.name for e in events if isinstance(e, ToolCalled)] == ["get_order_status"]
    assert runner.ran == ["get_order_status"]
    assert [e.text for e in events if isinstance(e, Say) and e.kind == "agent"] == [
        "It has shipped."
    ]
    first = [p for p in llm.decisions if "tool_response" not in p]
    assert len(first) == 1  # the speculative request was the turn's first decision


def test_a_changed_conversation_discards_the_head_start() -> None:
    llm = order_llm()
    engine, runner = make(llm)

    async def main() -> list[Event]:
        head = engine.speculate("Where is order 4521?")
        assert head is not None
        engine.conversation.agent_said("Let me —")  # a barge-in's cut
        events = [e async for e in engine.turn("What are your hours?", head)]
        assert head.done  # cancelled, not left holding the model
        return events

    events = asyncio.run(main())
    assert runner.ran == [] and not any(isinstance(e, ToolCalled) for e in events)
    assert [e.text for e in events if isinstance(e, Say)] == ["We open at eight."]


def test_no_speculation_while_a_confirmation_is_pending() -> None:
    llm = ScriptedLLM().on_call("ticket", "create_support_ticket", issue="broken lid")
    engine, _ = make(llm)

    async def main() -> None:
        _ = [e async for e in engine.turn("Please open a ticket, the lid is broken")]

    asyncio.run(main())
    assert engine.conversation.pending is not None
    assert engine.speculate("yes please") is None
