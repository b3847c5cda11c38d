"""Say only what happened: claims in replies held against the calls that ran, and no parroting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from engine_support import calls, said, turn

from voicetools.dialogue.checks.actions import executed_calls, is_lookup, supports
from voicetools.dialogue.checks.claims import Claim, claims_in
from voicetools.dialogue.checks.parroting import parrots
from voicetools.dialogue.checks.reply import NOT_DONE, NOTHING_DONE, WELCOME, ReplyCheck, is_data
from voicetools.dialogue.decision.prompt import Message, call_text
from voicetools.dialogue.engine import UNCLEAR, Engine
from voicetools.dialogue.events import Say
from voicetools.dialogue.result_line import result_line
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
TODAY = date(2026, 11, 18)
BOOKED = NOT_DONE.format(word="booked")


@pytest.fixture(scope="module")
def clinic() -> Agent:
    return load_agent(AGENTS / "appointments.yaml")


@pytest.fixture(scope="module")
def pharmacy() -> Agent:
    return load_agent(AGENTS / "pharmacy.yaml")


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Your appointment is booked for 4 pm tomorrow.", [("book", "booked")]),
        ("It has been cancelled.", [("cancel", "cancelled")]),
        ("I've sent you a text, and your refill was requested.", [("send", "sent"),
                                                                  ("submit", "requested")]),
        ("You're all set!", [("done", "done")]),
        ("Your appointment is booked, is there anything else?", [("book", "booked")]),
        ("I haven't booked anything yet.", []),
        ("Nothing was cancelled.", []),
        ("Would you like me to book it?", []),
        ("Do you want it scheduled for Monday?", []),
        ("I can get that booked for you.", []),
        ("Once it's sent, you'll get a text.", []),
        ("The slot you booked is at nine.", []),
        ("We're fully booked on Monday.", []),
        ("Your order has shipped.", []),
    ],
)  # fmt: skip
def test_claims_are_found_only_where_an_action_is_said_to_be_done(
    sentence: str, found: list[tuple[str, str]]
) -> None:
    assert [(c.family, c.word) for c in claims_in(sentence)] == found


def _ran(name: str, arguments: dict[str, object], result: str) -> list[Message]:
    return [Message("assistant", call_text(name, arguments)), Message("tool", result)]


def test_only_a_successful_action_supports_its_own_claims(clinic: Agent) -> None:
    booked = Claim("book", "booked")
    looked_up = _ran("check_availability", {"date": "2026-11-19"}, '{"free": ["09:00"]}')
    assert not supports(booked, executed_calls(looked_up), clinic)
    asked = _ran("book_appointment", {"time": "09:00"}, '{"status": "confirmation_required"}')
    assert not supports(booked, executed_calls(asked), clinic)
    failed = _ran("book_appointment", {"time": "09:00"}, '{"error": "request_failed"}')
    assert not supports(booked, executed_calls(failed), clinic)
    made = _ran("book_appointment", {"time": "09:00"}, '{"booking_id": "B-1"}')
    assert supports(booked, executed_calls(made), clinic)
    assert supports(Claim("done", "done"), executed_calls(made), clinic)
    assert not supports(Claim("send", "sent"), executed_calls(made), clinic)


def test_a_lookup_result_may_state_a_fact_a_reply_repeats(clinic: Agent) -> None:
    history = _ran("check_availability", {"date": "2026-11-19"}, '{"status": "cancelled"}')
    assert supports(Claim("cancel", "cancelled"), executed_calls(history), clinic)
    assert not supports(Claim("done", "done"), executed_calls(history), clinic)


def test_lookups_are_told_from_actions(clinic: Agent, pharmacy: Agent) -> None:
    def lookup(agent: Agent, name: str) -> bool:
        function = agent.function(name)
        assert function is not None
        return is_lookup(function)

    assert lookup(clinic, "check_availability") and not lookup(clinic, "book_appointment")
    assert lookup(pharmacy, "refill_status") and not lookup(pharmacy, "request_refill")
    assert not lookup(pharmacy, "transfer_call") and lookup(pharmacy, "end_call")


@pytest.mark.parametrize(
    ("sentence", "source", "parroted"),
    [
        ("Sorry, I meant 9005.", "Sorry, I meant 9005.", True),
        ("How can I help you today?", "Hello, you've reached the pharmacy. How can I help you "
                                      "today?", True),
        ("Your order 4521 has shipped.", "Where is order 4521?", False),
        ("Hello!", "Hello! How can I help?", False),
        ("Yes, please.", "Yes, please.", True),
        ("Thank you!", "Thank you.", False),
        ("How can I help?", "Hello! Thanks for calling. How can I help you today?", False),
    ],
)  # fmt: skip
def test_a_sentence_that_repeats_the_caller_or_the_greeting_parrots(
    sentence: str, source: str, parroted: bool
) -> None:
    assert parrots(sentence, [source]) is parroted


GARAGE = "Thanks for calling Quick Lane Garage. How can I help?"
CAR_QUESTION = "Hmm, first tell me, is my car with plate GH 600 ready?"


@pytest.mark.parametrize(
    ("sentence", "parroted"),
    [
        ("Quick Lane Garage, is my car with plate GH 600 ready?", True),
        ("Your car with plate GH 600 is ready for pickup.", False),
        ("How can I help?", False),
    ],
)
def test_a_sentence_stitched_from_the_greeting_and_the_caller_parrots(
    sentence: str, parroted: bool
) -> None:
    assert parrots(sentence, [CAR_QUESTION, GARAGE]) is parroted


def test_the_check_replaces_once_drops_parroting_and_keeps_the_order(clinic: Agent) -> None:
    history = [Message("assistant", clinic.greeting), Message("user", "Sorry, I meant 9005.")]
    check = ReplyCheck(clinic, history, UNCLEAR)
    out = check.sentences(
        [
            "Sure.",
            "Sorry, I meant 9005.",
            "Your appointment is booked for 4 pm.",
            "I've also sent you a text.",
            "Anything else?",
        ]
    )
    assert out == ["Sure.", BOOKED, "Anything else?"]


def test_when_nothing_is_left_the_turns_result_is_said_in_words(pharmacy: Agent) -> None:
    history = [
        Message("user", "yes"),
        *_ran("request_refill", {"prescription_number": "44719"}, '{"ok": true}'),
    ]
    assert ReplyCheck(pharmacy, history, UNCLEAR).finish("", said_before=False) == [
        "Done: your refill request went through."
    ]
    assert ReplyCheck(pharmacy, [Message("user", "hm")], UNCLEAR).finish("", False) == [UNCLEAR]


def test_thanks_whose_reply_was_all_dropped_gets_a_welcome_not_a_request_to_repeat(
    pharmacy: Agent,
) -> None:
    history = [Message("assistant", pharmacy.greeting), Message("user", "Great, thanks.")]
    check = ReplyCheck(pharmacy, history, UNCLEAR)
    assert check.sentences(["Your refill is done."]) == [NOTHING_DONE]  # no call supports it
    assert check.finish("", said_before=True) == []
    assert ReplyCheck(pharmacy, history, UNCLEAR).finish("", said_before=False) == [WELCOME]
    asked = [Message("user", "Thanks, is it ready?")]
    assert ReplyCheck(pharmacy, asked, UNCLEAR).finish("", said_before=False) == [UNCLEAR]


def test_a_result_line_reads_what_the_result_holds(pharmacy: Agent, clinic: Agent) -> None:
    status, refill = pharmacy.function("refill_status"), pharmacy.function("request_refill")
    book = clinic.function("book_appointment")
    assert status is not None and refill is not None and book is not None
    found = result_line(status, {"status": "ready for pickup", "refills_left": 2})
    assert found == "Here's what I found: status ready for pickup, refills left 2."
    assert result_line(refill, {"ok": True}) == "Done: your refill request went through."
    assert result_line(book, {"booking_id": "B-7"}) == (
        "Done: your request to book the appointment went through. Booking id B-7."
    )
    assert result_line(refill, {"message": "Queued for Friday."}) == "Queued for Friday."


def _engine(agent: Agent, llm: ScriptedLLM) -> Engine:
    return Engine(agent, llm, ToolRunner(agent, mock_all=True), today=TODAY)


def test_a_booking_claimed_without_a_call_is_corrected_before_it_is_spoken(clinic: Agent) -> None:
    llm = ScriptedLLM([("4 pm", "Sure! Your appointment is booked for 4 pm tomorrow. Bye now.")])
    events = turn(_engine(clinic, llm), "Can I come in tomorrow at 4 pm?")
    assert calls(events) == []
    assert said(events) == ["Sure!", BOOKED, "Bye now."]
    # the history keeps what was said, so the model does not believe it booked
    engine_history = [e.text for e in events if isinstance(e, Say)]
    assert "booked for 4 pm" not in " ".join(engine_history)


def test_a_claim_a_call_supports_is_said(clinic: Agent) -> None:
    llm = ScriptedLLM([("tool_response", "Your checkup is booked for 4 pm tomorrow.")])
    llm.on_call(
        "book", "book_appointment", customer_name="Ann Lee", date="2026-11-19", time="16:00",
        service="checkup",
    )  # fmt: skip
    engine = _engine(clinic, llm)
    turn(engine, "Please book a checkup for Ann Lee tomorrow at 4 pm.")
    events = turn(engine, "Yes.")
    assert [name for name, _ in calls(events)] == ["book_appointment"]
    assert said(events, "agent") == ["Your checkup is booked for 4 pm tomorrow."]


def test_a_generic_claim_without_any_action_is_corrected(pharmacy: Agent) -> None:
    llm = ScriptedLLM([("refill", "You're all set, see you soon.")])
    events = turn(_engine(pharmacy, llm), "I need a refill of my blood pressure pills")
    assert said(events) == [NOTHING_DONE]


def test_a_reply_that_only_parrots_the_caller_gets_the_fallback(pharmacy: Agent) -> None:
    llm = ScriptedLLM([("meant", "Sorry, I meant 9005.")])
    assert said(turn(_engine(pharmacy, llm), "Sorry, I meant 9005.")) == [UNCLEAR]


def test_what_a_description_says_then_happens_is_supported_too() -> None:
    utility = load_agent(AGENTS / "utility.yaml")
    history = _ran("report_outage", {"address": "42 Elm Street"}, '{"reference": "OUT-1"}')
    assert supports(Claim("send", "sent"), executed_calls(history), utility)  # "a crew is sent"
    assert supports(Claim("report", "reported"), executed_calls(history), utility)
    assert not supports(Claim("book", "booked"), executed_calls(history), utility)


def test_a_reply_that_copies_the_result_as_json_is_said_in_words(clinic: Agent) -> None:
    # nothing after a copied result is meant for the caller: here a time nobody booked
    copied = '{"booking_id": "B-7", "status": "booked"}. Your checkup is booked for 9 pm.'
    llm = ScriptedLLM([("tool_response", copied)])
    llm.on_call(
        "book", "book_appointment", customer_name="Ann Lee", date="2026-11-19", time="16:00",
        service="checkup",
    )  # fmt: skip
    engine = _engine(clinic, llm)
    turn(engine, "Please book a checkup for Ann Lee tomorrow at 4 pm.")
    events = turn(engine, "Yes.")
    assert [name for name, _ in calls(events)] == ["book_appointment"]
    lines = said(events, "agent")
    assert len(lines) == 1 and lines[0].startswith("Done: your request to book the appointment")
    assert is_data('  {"ok": true}') and is_data("[1, 2]") and not is_data("Order 4521 shipped.")


def test_an_action_the_reply_does_not_mention_is_said_in_words(pharmacy: Agent) -> None:
    history = [
        Message("user", "Yes, please."),
        *_ran("request_refill", {"prescription_number": "44719"}, '{"ok": true}'),
    ]
    check = ReplyCheck(pharmacy, history, UNCLEAR)
    assert check.sentences(["Thank you for your request."]) == ["Thank you for your request."]
    assert check.finish("", said_before=True) == ["Done: your refill request went through."]
    told = ReplyCheck(pharmacy, history, UNCLEAR)
    assert told.sentences(["Your refill has been requested."]) != []
    assert told.finish("", said_before=True) == []  # the reply already said it
    looked = [Message("user", "Is it ready?"),
              *_ran("refill_status", {"prescription_number": "44719"}, '{"ready": true}')]
    read = ReplyCheck(pharmacy, looked, UNCLEAR)
    read.sentences(["It's ready for pickup."])
    assert read.finish("", said_before=True) == []  # a lookup read out needs nothing more
