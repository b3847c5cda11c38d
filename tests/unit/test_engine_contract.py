"""The engine's contract: the conversation changes by name, options are fixed at construction,
the collaborators have the whole protocol, and each decision reports its own measurements."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from benchmarks.baselines import GrammarDecider, WholeReply
from voicetools.audio.vad import energy_probability
from voicetools.dialogue.clock import Clock, MonotonicClock, VirtualClock
from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.conversation import Conversation, ToolRunning
from voicetools.dialogue.decision.decider import (
    Decider,
    DecisionRecord,
    Intent,
    Item,
    Situation,
)
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message, system_message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.engine import Engine, EngineOptions
from voicetools.runtime.call_clock import CallClock, Timeline
from voicetools.runtime.session import build_engine
from voicetools.runtime.voice_loop import VoiceLoop, VoiceOptions
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.testing.fake_audio import FakeSTT, FakeTTS
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
TODAY = date(2026, 11, 18)


@pytest.fixture()
def orders() -> Agent:
    return load_agent(AGENTS / "order_support.yaml")


def members(protocol: type) -> set[str]:
    return {name for name in vars(protocol) if not name.startswith("_")}


def test_the_real_collaborators_have_every_member_of_their_protocol(orders: Agent) -> None:
    # mypy checks the signatures where the package passes them; this keeps the names honest
    runner: ToolRunning = ToolRunner(orders, mock_all=True)
    deciders: list[Decider] = [RouteDecider(), GrammarDecider()]
    clocks: list[Clock] = [MonotonicClock(), VirtualClock(), CallClock()]
    timelines: list[Timeline] = [VirtualClock(), CallClock()]
    checks = [(ToolRunning, [runner]), (Decider, deciders), (Clock, clocks)]
    checks.append((Timeline, timelines))
    for protocol, instances in checks:
        assert members(protocol), protocol
        for instance in instances:
            missing = [m for m in members(protocol) if not hasattr(instance, m)]
            assert missing == [], (type(instance).__name__, missing)


def test_every_change_to_the_conversation_has_a_name(orders: Agent) -> None:
    talk = Conversation(ToolRunner(orders, mock_all=True))
    talk.agent_said("Hello!")
    talk.caller_said("order 4521")
    talk.called('<tool_call>{"name": "get_order_status"}</tool_call>')
    talk.tool_returned('{"status": "shipped"}')
    assert talk.heard == []  # the model read the result; the caller has not heard it yet
    talk.result_heard('{"status": "shipped"}')
    talk.agent_said("It shipped. It arrives Friday.")
    talk.cut_reply("It shipped.")
    assert [m.role for m in talk.history] == ["assistant", "user", "assistant", "tool", "assistant"]
    assert talk.history[-1] == Message("assistant", "It shipped. —")
    assert talk.caller_turns == ["order 4521"] and talk.heard == ['{"status": "shipped"}']
    assert [talk.next_call_id(), talk.next_call_id()] == ["call_1", "call_2"]
    assert not talk.ended and talk.pending is None
    talk.end()
    assert talk.ended


def test_a_voice_call_sets_its_engine_up_at_construction() -> None:
    text = EngineOptions()
    naive = VoiceOptions(delivery=WholeReply(), filler=False, first_clause_words=None)
    assert naive.engine_options(text) == text  # the naive baseline
    voice = VoiceOptions(first_clause_words=4).engine_options(text)
    assert (voice.filler_delay_s, voice.filler_second_after_s) == (0.0, None)
    assert voice.early_filler and voice.first_clause_words == 4
    quiet = VoiceOptions(filler=False).engine_options(text)
    assert not quiet.early_filler and quiet.filler_delay_s == text.filler_delay_s


def test_the_engine_builds_its_filler_plan_from_the_options(orders: Agent) -> None:
    options = VoiceOptions().engine_options()
    engine = build_engine(orders, llm=ScriptedLLM(), options=options, seed=7, warm=False)
    assert engine.filler.delay_s == 0.0 and engine.filler.second_after_s is None
    assert engine.options.early_filler and engine.options.generation.seed == 7


def test_the_voice_loop_refuses_an_engine_not_built_for_its_call(orders: Agent) -> None:
    clock = VirtualClock()

    def loop(engine: Engine) -> VoiceLoop:
        speech = FakeSTT(), FakeTTS()
        return VoiceLoop(engine, *speech, energy_probability(), clock=clock)

    voice = VoiceOptions().engine_options()
    with pytest.raises(ValueError, match="clock"):
        loop(build_engine(orders, llm=ScriptedLLM(), options=voice, warm=False))
    with pytest.raises(ValueError, match="engine_options"):
        loop(build_engine(orders, llm=ScriptedLLM(), clock=clock, warm=False))
    built = build_engine(orders, llm=ScriptedLLM(), clock=clock, options=voice, warm=False)
    assert loop(built).engine is built


def test_resetting_a_virtual_clock_keeps_what_sleepers_still_wait() -> None:
    async def main() -> list[float]:
        clock, woke = VirtualClock(), []

        async def sleeper() -> None:
            await clock.sleep(2.0)
            woke.append(clock.now())

        clock.advance(5.0)
        task = asyncio.ensure_future(sleeper())
        await asyncio.sleep(0)
        clock.advance(0.5)
        clock.reset()
        assert clock.now() == 0.0
        clock.advance(1.4)
        await asyncio.sleep(0)
        assert woke == []  # 0.1 s still to go
        clock.advance(0.1)
        await task
        return woke

    assert asyncio.run(main()) == [pytest.approx(1.5)]


def _situation(agent: Agent, text: str, allow_calls: bool) -> Situation:
    system = system_message(session_instructions(agent, TODAY), agent.functions)
    return Situation(system, (Message("user", text),), agent.functions, allow_calls)


def test_each_decision_reports_its_own_record(orders: Agent) -> None:
    """A speculation and a turn share the decider: neither overwrites the other's record."""
    llm = ScriptedLLM().on_call("4521", "get_order_status", order_id="4521")
    llm.add("hours", "We open at eight.")
    decider = RouteDecider()

    async def main() -> tuple[list[Item], list[Item]]:
        first = decider.decide(llm, _situation(orders, "order 4521", True), GenerationOptions())
        items = [await anext(first)]
        assert items == [Intent("get_order_status")]
        reply = decider.decide(llm, _situation(orders, "hours?", False), GenerationOptions())
        other = [item async for item in reply]  # a whole decision in between
        items += [item async for item in first]
        return items, other

    items, other = asyncio.run(main())
    record = items[-1]
    assert isinstance(record, DecisionRecord)
    assert max(record.scores, key=lambda name: record.scores[name]) == "get_order_status"
    assert record.route_s is not None and record.arguments_path == "free"
    assert other[-1] == DecisionRecord()  # no calls allowed: no routing, no arguments
    assert not any(isinstance(item, DecisionRecord) for item in other[:-1])
