"""The conversations benchmark's scorer, on hand-made transcripts of one booking call."""

from __future__ import annotations

from datetime import date

from benchmarks.conversation_claims import Ran, claims, unsupported_claims
from benchmarks.conversation_data import AGENTS, CallLabel, Conversation
from benchmarks.conversation_score import (
    ConversationScore,
    Executed,
    TurnRecord,
    score_conversation,
)
from voicetools.spec import load_agent

RESTAURANT = load_agent(AGENTS / "restaurant.yaml")
BOOKING = {"party_size": 4, "date": "2026-11-20", "time": "19:00", "name": "Rossi"}
CONVERSATION = Conversation(
    id="booking",
    agent="restaurant.yaml",
    category="corrections",
    half="dev",
    today=date(2026, 11, 18),
    turns=("A table for 3 on Friday at 7 pm under Rossi.", "Sorry, four people.", "Yes."),
    execute=(CallLabel("book_table", BOOKING),),
    never=(CallLabel("book_table", {"party_size": 3}),),
)
CHECK = Executed(
    "check_table", {"party_size": 3, "date": "2026-11-20", "time": "19:00"}, {"free": True}
)
BOOKED = Executed("book_table", BOOKING, {"booking_number": "52731", "status": "booked"})
ASKED = "Book a table for 4 on Friday, November 20 at 7 pm under Rossi?"


def transcript(
    *executed_last: Executed, last_words: str = "Your table is booked."
) -> list[TurnRecord]:
    return [
        TurnRecord(CONVERSATION.turns[0], ("How many people?",), (CHECK,)),
        TurnRecord(CONVERSATION.turns[1], (ASKED,)),
        TurnRecord(CONVERSATION.turns[2], (last_words,), executed_last),
    ]


def score(turns: list[TurnRecord]) -> ConversationScore:
    return score_conversation(CONVERSATION, turns, RESTAURANT)


def test_a_right_conversation_is_right_and_a_lookup_beside_it_is_allowed() -> None:
    result = score(transcript(BOOKED))
    assert result.right and result.executed_right
    assert result.problems() == []


def test_a_wrong_value_is_missing_the_labelled_call_and_runs_a_forbidden_one() -> None:
    wrong = Executed("book_table", {**BOOKING, "party_size": 3}, {"status": "booked"})
    result = score(transcript(wrong))
    assert not result.right
    assert result.missing == ('book_table {"party_size": 4, "date": "2026-11-20", '
                              '"time": "19:00", "name": "Rossi"}',)  # fmt: skip
    assert len(result.forbidden) == 1 and result.extra == ()


def test_an_extra_call_with_side_effects_is_wrong_even_when_the_labelled_one_ran() -> None:
    again = Executed("cancel_booking", {"booking_number": "52731"}, {"status": "cancelled"})
    result = score(transcript(BOOKED, again, last_words="Done."))
    assert not result.executed_right
    assert result.extra == ('cancel_booking {"booking_number": "52731"}',)
    assert result.invented == ()  # 52731 came back in the booking's result


def test_an_invented_value_is_counted_for_the_call_that_ran_with_it() -> None:
    invented = Executed("book_table", {**BOOKING, "name": "John Smith"}, {"status": "booked"})
    result = score(transcript(invented))
    assert result.invented == (
        'book_table {"party_size": 4, "date": "2026-11-20", "time": "19:00", '
        '"name": "John Smith"}: name',
    )
    assert not result.right


def test_a_claim_without_a_call_is_unsupported_and_makes_the_conversation_wrong() -> None:
    result = score(transcript())
    assert result.unsupported == ('booked: "Your table is booked."',)
    assert result.missing and not result.right


def test_a_claim_that_a_call_supports_is_fine() -> None:
    assert unsupported_claims(["Your table is booked."], [Ran("book_table")]) == []
    assert (
        unsupported_claims(["It was cancelled."], [Ran("get_status", {"status": "cancelled"})])
        == []
    )
    assert unsupported_claims(["I've transferred you."], [Ran("book_table")]) != []


def test_questions_negations_and_promises_claim_nothing() -> None:
    assert claims("Shall I book it? Your table is booked.") == ["booked"]
    assert claims("Should I get that booked for you?") == []
    assert claims("Nothing has been booked yet.") == ["booked"]  # "nothing" is no hedge word
    assert claims("It has not been cancelled.") == []
    assert claims("Your appointment is scheduled for Friday.") == ["scheduled"]
    assert claims("Once it's booked, I'll text you.") == []
    assert claims("I can't reset it.") == []


def test_asking_back_is_right_when_the_label_allows_it_and_nothing_ran() -> None:
    lenient = Conversation(**{**CONVERSATION.__dict__, "asking_is_fine": True})
    turns = [TurnRecord(line, ("Could you say that again?",)) for line in CONVERSATION.turns]
    assert score_conversation(lenient, turns, RESTAURANT).right
    assert not score(turns).right
