"""One labelled conversation through the real engine and tool runner, with a scripted model:
what ran is read from the runner's record, turn by turn (a confirmation question ran nothing)."""

from __future__ import annotations

import asyncio

from benchmarks.conversation_data import AGENTS, load_conversations
from benchmarks.conversation_run import run_conversation
from benchmarks.conversation_score import score_conversation
from voicetools.spec import load_agent
from voicetools.testing.scripted_llm import ScriptedLLM

CONVERSATION = next(c for c in load_conversations() if c.id == "confirmations-restaurant-4")
AGENT = load_agent(AGENTS / CONVERSATION.agent)


def test_the_call_runs_in_the_turn_of_the_yes_and_the_conversation_scores_right() -> None:
    llm = ScriptedLLM(default="Anything else?")
    llm.add(r"<tool_response>[\s\S]*cancelled", "Booking 7788 is cancelled.")
    llm.on_call(r"cancel booking", "cancel_booking", booking_number="7788")
    run = asyncio.run(run_conversation(CONVERSATION, AGENT, llm))
    assert run.error == ""
    assert [t.caller for t in run.turns] == list(CONVERSATION.turns)
    assert run.turns[0].executed == ()  # the read-back question ran nothing
    assert any("7788" in line for line in run.turns[0].said)
    [call] = run.turns[1].executed
    assert (call.name, dict(call.arguments)) == ("cancel_booking", {"booking_number": "7788"})
    assert call.result == {"booking_number": "7788", "status": "cancelled"}  # the mock
    assert score_conversation(CONVERSATION, run.turns, AGENT).right


def test_a_model_that_never_calls_runs_nothing_and_misses_the_labelled_call() -> None:
    llm = ScriptedLLM(default="Sure, anything else?")
    run = asyncio.run(run_conversation(CONVERSATION, AGENT, llm))
    assert all(t.executed == () for t in run.turns)
    assert all(t.said for t in run.turns)  # what the agent said is kept, turn by turn
    score = score_conversation(CONVERSATION, run.turns, AGENT)
    assert score.missing == ('cancel_booking {"booking_number": "7788"}',)
    assert not score.right
