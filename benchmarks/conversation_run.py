"""Run one labelled conversation through the real engine, the way `voicetools test` does.

The conversation becomes a scenario without expectations (every tool mocked with the
conversation's `mocks`, its `today`, seed 0) and goes through `voicetools.scenario.run`'s
`run_scenario`, so the engine, the tool runner, the scratch folders and the redaction are the
ones a scenario test gets. What ran is read from the tool runner's record: an event with at
least one attempt is a call that was executed (a confirmation question, a refused or a
repeated call has none), placed in its turn by its call id.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.conversation_data import AGENTS, Conversation
from benchmarks.conversation_score import Executed, TurnRecord
from voicetools.backends.base import LLM
from voicetools.scenario.model import Scenario, ScenarioFile, ScenarioTurn
from voicetools.scenario.run import EngineLike, default_factory, run_scenario
from voicetools.spec.model import Agent
from voicetools.tools import Recorder


@dataclass(frozen=True)
class ConversationRun:
    turns: tuple[TurnRecord, ...]
    error: str = ""
    """Why the run stopped early (the model's server broke, an internal error), if it did."""
    seconds: float = 0.0


def as_scenario(conversation: Conversation) -> tuple[ScenarioFile, Scenario]:
    """The conversation as a one-scenario file with every tool mocked."""
    scenario = Scenario(
        name=conversation.id,
        turns=tuple(ScenarioTurn(line) for line in conversation.turns),
        mocks=dict(conversation.mocks),
    )
    file = ScenarioFile(
        path=conversation.id,
        agent_path=AGENTS / conversation.agent,
        scenarios=(scenario,),
        today=conversation.today,
        mock_tools=True,
    )
    return file, scenario


def _said(events: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(str(e.get("text", "")) for e in events if e.get("type") == "agent")


def _call_ids(events: Sequence[Mapping[str, Any]]) -> set[str]:
    return {str(e.get("call_id")) for e in events if e.get("type") == "tool_call"}


async def run_conversation(conversation: Conversation, agent: Agent, llm: LLM) -> ConversationRun:
    """Every caller line in turn on a fresh engine; what was said and what ran, per turn."""
    recorder = Recorder()

    def make_engine(agent: Agent, **options: Any) -> EngineLike:
        return default_factory(agent, recorder=recorder, **options)  # to the ToolRunner

    file, scenario = as_scenario(conversation)
    start = time.perf_counter()
    result = await run_scenario(file, scenario, agent, llm, make_engine=make_engine)
    executed = [event for event in recorder.events if event.attempts >= 1]
    turns = []
    for turn in result.turns:
        ids = _call_ids(turn.transcript)
        ran = tuple(
            Executed(e.name, dict(e.arguments) if isinstance(e.arguments, dict) else {}, e.result)
            for e in executed
            if e.call_id in ids
        )
        turns.append(TurnRecord(turn.user, _said(turn.transcript), ran))
    return ConversationRun(tuple(turns), result.error, time.perf_counter() - start)
