"""The benchmark's decision baseline: one generation under the reply-or-call grammar."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from benchmarks.baselines import GrammarDecider
from voicetools.dialogue.decision.decider import Call, Item, Malformed, Situation
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.grammar.schema import decision_grammar, reply_only_grammar
from voicetools.spec import load_agent
from voicetools.testing import ScriptedLLM

AGENT = load_agent(Path(__file__).resolve().parents[2] / "agents" / "order_support.yaml")


def decide(llm: ScriptedLLM, said: str, *, allow_calls: bool = True) -> list[Item]:
    situation = Situation("Be brief.", [Message("user", said)], AGENT.functions, allow_calls)

    async def collect() -> list[Item]:
        stream = GrammarDecider().decide(llm, situation, GenerationOptions())
        return [item async for item in stream]

    return asyncio.run(collect())


def test_a_call_in_the_native_format_is_one_call_under_the_decision_grammar() -> None:
    llm = ScriptedLLM().on_call("order 4521", "get_order_status", order_id="4521")
    assert decide(llm, "Where is order 4521?") == [Call("get_order_status", {"order_id": "4521"})]
    assert llm.grammars == [decision_grammar(AGENT.functions).text]


def test_a_reply_streams_and_without_calls_the_grammar_allows_only_replies() -> None:
    llm = ScriptedLLM([("hours", "We open at eight.")])
    assert "".join(str(item) for item in decide(llm, "Your hours?")) == "We open at eight."
    decide(llm, "Your hours?", allow_calls=False)
    assert llm.grammars[-1] == reply_only_grammar().text


def test_output_that_starts_like_a_call_but_is_none_is_malformed() -> None:
    llm = ScriptedLLM([("order", "<tool_call>\nnot json\n</tool_call>")])
    with pytest.raises(Malformed):
        decide(llm, "order 4521")
