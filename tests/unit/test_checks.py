"""The checks code applies to the model's call before it runs (dialogue.checks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from voicetools.dialogue.checks.call import ANYTHING_ELSE, Checked, check_call, sounds_like_goodbye
from voicetools.spec import load_agent

AGENTS = Path(__file__).resolve().parents[2] / "agents"


@pytest.mark.parametrize(
    "text",
    [
        "That's all, thanks, bye!",
        "No, that's everything. Goodbye.",
        "Okay, bye bye.",
        "I'm done for now, bye.",
        "Nothing else, thanks.",
        "Cheers, talk to you later.",
        "OK cool, that's all. See you.",
        "Alright, have a good day.",
        "No thank you.",
        "That’s it",
    ],
)
def test_goodbyes_are_recognised(text: str) -> None:
    assert sounds_like_goodbye(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, you're very helpful!",
        "Thank you so much",
        "Great, and what about order 4521?",
        "Can you say that again?",
        "Is that all you can do?",
    ],
)
def test_thanks_and_questions_are_not_goodbyes(text: str) -> None:
    assert not sounds_like_goodbye(text)


def _check(agent_file: str, name: str, arguments: dict[str, object], text: str) -> Checked:
    agent = load_agent(AGENTS / agent_file)
    function = agent.function(name)
    assert function is not None
    return check_call(
        function,
        arguments,
        utterance=text,
        caller_turns=[text],
        variables=agent.variables,
        heard=[],
        today=date(2026, 11, 18),
    )


def test_end_call_without_a_goodbye_asks_if_there_is_anything_else() -> None:
    checked = _check("weather.yaml", "end_call", {}, "Thanks, you're very helpful!")
    assert checked == Checked(say=ANYTHING_ELSE)
    assert _check("weather.yaml", "end_call", {}, "thanks, bye").runs


def test_dates_are_resolved_and_invented_identifiers_asked_for() -> None:
    booked = _check(
        "appointments.yaml",
        "check_availability",
        {"date": "2026-01-01", "service": "checkup"},
        "a checkup next friday",
    )
    assert booked.arguments == {"date": "2026-11-27", "service": "checkup"}
    asked = _check("order_support.yaml", "get_order_status", {"order_id": "4521"}, "my order?")
    assert asked.asks_for == ("order_id",) and "order number" in asked.say
