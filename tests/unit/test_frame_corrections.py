"""Corrections with a scripted model: "I meant 9005", "make that Tuesday", "no, the other one"
change the frame; during a confirmation they bring a new question, and the old call never runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from engine_support import calls, said, turn

from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import Event, ToolCalled, ToolReturned
from voicetools.dialogue.frames.correct import WHICH_ONE
from voicetools.dialogue.frames.question import DAY_AND_TIME
from voicetools.dialogue.pending import DECLINED
from voicetools.spec import load_agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

CLINIC = load_agent(Path(__file__).resolve().parents[2] / "agents" / "clinic.yaml")
TODAY = date(2026, 11, 18)  # a Wednesday


def clinic(llm: ScriptedLLM) -> Engine:
    mocks = {"cancel_appointment": {"status": "cancelled"}, "book_appointment": {"ok": True}}
    return Engine(CLINIC, llm, ToolRunner(CLINIC, mocks=mocks, mock_all=True), today=TODAY)


def ran(events: list[Event]) -> list[tuple[str, dict[str, Any]]]:
    """Calls that really ran (not a confirmation question), with their arguments."""
    sent = {e.call_id: dict(e.arguments) for e in events if isinstance(e, ToolCalled)}
    return [
        (e.name, sent[e.call_id])
        for e in events
        if isinstance(e, ToolReturned) and e.result.get("status") != "confirmation_required"
    ]


def cancelling(*rules: tuple[str, str]) -> ScriptedLLM:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("cancel", "cancel_appointment", appointment_id="9004")
    for when, then in rules:
        llm.add(when, then)
    return llm.add("tool_response", "It's cancelled.")


def test_i_meant_during_a_confirmation_asks_again_with_the_new_value() -> None:
    # the model would echo the caller's words as its own, as in the issue
    engine = clinic(cancelling(("meant", "Sorry, I meant 9005.")))
    first = turn(engine, "Please cancel appointment 9004.")
    assert said(first, "confirm") == ["Cancel appointment 9004?"] and ran(first) == []
    second = turn(engine, "Sorry, I meant 9005.")
    assert said(second) == ["Cancel appointment 9005?"] and ran(second) == []
    third = turn(engine, "Yes.")
    assert ran(third) == [("cancel_appointment", {"appointment_id": "9005"})]
    assert engine.conversation.frame is None


def test_the_old_call_is_never_run_after_a_correction() -> None:
    engine = clinic(cancelling())
    turn(engine, "Please cancel appointment 9004.")
    turn(engine, "No, 9005.")
    events = turn(engine, "No.")  # the new question declined: nothing at all runs
    assert ran(events) == [] and engine.conversation.pending is None
    assert calls(turn(engine, "Yes.")) == []


def test_the_other_one_picks_the_one_other_number_said() -> None:
    engine = clinic(cancelling())
    turn(engine, "I have appointments 9004 and 9005. Please cancel 9004.")
    events = turn(engine, "No, the other one.")
    assert said(events) == ["Cancel appointment 9005?"]
    assert ran(turn(engine, "yes please")) == [("cancel_appointment", {"appointment_id": "9005"})]


def test_the_other_one_among_several_is_asked_not_guessed() -> None:
    engine = clinic(cancelling())
    turn(engine, "It's 9003 or 9004 or 9005. Cancel 9004.")
    assert said(turn(engine, "No, the other one.")) == [WHICH_ONE]
    assert engine.conversation.pending is None
    events = turn(engine, "9003")
    assert said(events) == ["Cancel appointment 9003?"] and ran(events) == []


def test_make_that_tuesday_changes_the_frame_before_the_call() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("checkup", "book_appointment", patient_name="John Smith", service="checkup")
    llm.add("tool_response", "Booked.")
    engine = clinic(llm)
    assert said(turn(engine, "A checkup for John Smith please")) == [DAY_AND_TIME]
    assert said(turn(engine, "Monday")) == ["What time would you like?"]
    events = turn(engine, "Make that Tuesday, at 3 pm")
    assert calls(events) == [
        ("book_appointment", {"patient_name": "John Smith", "service": "checkup",
                              "date": "2026-11-24", "time": "15:00"}),
    ]  # fmt: skip


def test_a_correction_in_the_same_line_keeps_the_later_value() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("checkup", "book_appointment", patient_name="John Smith", service="checkup")
    engine = clinic(llm)
    turn(engine, "A checkup for John Smith please")
    events = turn(engine, "Monday at 3, sorry, Tuesday at 4 pm")
    assert calls(events)[0][1]["date"] == "2026-11-24"
    assert calls(events)[0][1]["time"] == "16:00"


def test_a_number_asked_first_is_read_by_code_into_the_frame() -> None:
    engine = clinic(cancelling())
    events = turn(engine, "I need to cancel my appointment")  # no number: asked before arguments
    assert said(events) == ["What's your appointment number?"] and calls(events) == []
    events = turn(engine, "It's nine oh oh five")
    assert said(events) == ["Cancel appointment 9005?"] and ran(events) == []


HELPDESK = load_agent(Path(__file__).resolve().parents[2] / "agents" / "helpdesk.yaml")


def helpdesk(llm: ScriptedLLM) -> Engine:
    mocks = {"reset_password": {"status": "reset"}}
    return Engine(HELPDESK, llm, ToolRunner(HELPDESK, mocks=mocks, mock_all=True), today=TODAY)


def resetting() -> ScriptedLLM:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("[Rr]eset the password for", "reset_password", username="mlopez")
    llm.on_call("transfer|put me through", "transfer_call")
    return llm.add("tool_response", "Done.")


def test_a_name_corrected_by_a_near_word_during_a_confirmation_is_asked_about_again() -> None:
    # no digit run and no date in "mlopez7": code reads the change as a near word of the value
    engine = helpdesk(resetting())
    assert said(turn(engine, "Reset the password for username mlopez.")) == [
        "Reset the password for mlopez?"
    ]
    second = turn(engine, "Sorry, I meant mlopez7.")
    assert said(second) == ["Reset the password for mlopez7?"] and ran(second) == []
    assert ran(turn(engine, "Yes.")) == [("reset_password", {"username": "mlopez7"})]


def test_a_no_with_a_new_request_during_a_confirmation_goes_on_to_the_model() -> None:
    engine = helpdesk(resetting())
    turn(engine, "Reset the password for username mlopez.")
    events = turn(engine, "No, don't do that, transfer me to a technician.")
    assert [name for name, _ in calls(events)] == ["transfer_call"]
    assert "reset_password" not in [name for name, _ in ran(events)]


def test_a_plain_no_during_a_confirmation_declines_without_the_model() -> None:
    engine = helpdesk(resetting())
    turn(engine, "Reset the password for username mlopez.")
    events = turn(engine, "No, don't do that.")
    assert said(events) == [DECLINED] and calls(events) == []


def test_no_dont_while_a_value_is_asked_drops_the_frame_and_routes_the_new_request() -> None:
    llm = resetting()
    llm.on_call("[Rr]eset my password", "reset_password")  # no username: asked for
    engine = helpdesk(llm)
    assert said(turn(engine, "Please reset my password.")) == ["What's your account's username?"]
    events = turn(engine, "No, don't reset it, put me through to a person.")
    assert [name for name, _ in calls(events)] == ["transfer_call"]
    assert engine.conversation.frame is None or engine.conversation.frame.name != "reset_password"
