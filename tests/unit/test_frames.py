"""Slot frames with a scripted model: values gathered over turns, asked once each, kept or
dropped by the stated rule, and nothing run with a value nobody said."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from engine_support import calls, said, turn

from voicetools.dialogue.decision.decider import Call, Intent, Situation
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import ToolReturned
from voicetools.dialogue.frames.extract import values_said
from voicetools.dialogue.frames.question import DAY_AND_TIME, next_question
from voicetools.dialogue.frames.steps import NEVER_MIND
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

CLINIC = load_agent(Path(__file__).resolve().parents[2] / "agents" / "clinic.yaml")
TODAY = date(2026, 11, 18)  # a Wednesday: "next Monday" is 2026-11-23
BOOK = CLINIC.function("book_appointment")
NAME = "What's the patient's full name?"
BOOKED = {"status": "booked", "booking_id": "B-1234"}


def clinic(llm: ScriptedLLM, agent: Agent = CLINIC, **mocks: Any) -> Engine:
    runner = ToolRunner(agent, mocks={"book_appointment": BOOKED, **mocks}, mock_all=True)
    return Engine(agent, llm, runner, today=TODAY)


def inventing_model() -> ScriptedLLM:
    """A model that fills every argument of a booking, whatever the caller said."""
    llm = ScriptedLLM(default="Sure.")
    invented = {"date": "2026-12-01", "time": "10:00", "service": "consultation"}
    llm.on_call("book an appointment", "book_appointment", patient_name="Jane Doe", **invented)
    llm.on_call("john smith", "book_appointment", patient_name="John Smith", **invented)
    llm.add("tool_response", "You're booked.")
    return llm


def test_the_clinic_booking_over_four_turns_is_made_once_with_what_was_said() -> None:
    engine = clinic(inventing_model())
    first = turn(engine, "I want to book an appointment.")
    assert calls(first) == [] and said(first) == [NAME]
    second = turn(engine, "A checkup.")  # not what was asked: kept, and the name asked again
    assert calls(second) == [] and said(second) == [NAME]
    third = turn(engine, "For John Smith.")
    assert calls(third) == [] and said(third) == [DAY_AND_TIME]
    fourth = turn(engine, "Next Monday at 3 pm.")
    booking = {"patient_name": "John Smith", "date": "2026-11-23", "time": "15:00"}
    assert calls(fourth) == [("book_appointment", {**booking, "service": "checkup"})]
    assert said(fourth) == ["You're booked."]
    assert engine.conversation.frame is None  # its call ran


def test_values_given_at_once_are_never_asked_for() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("checkup", "book_appointment", patient_name="John Smith", service="checkup")
    engine = clinic(llm)
    events = turn(engine, "Book a checkup for John Smith please")
    assert said(events) == [DAY_AND_TIME]
    frame = engine.conversation.frame
    assert frame is not None and frame.missing() == ["date", "time"]
    assert frame.values["patient_name"].source == "caller" and frame.values["service"].turn == 1
    events = turn(engine, "Friday at 9")
    assert calls(events)[0][1] == {
        "patient_name": "John Smith", "service": "checkup", "date": "2026-11-20", "time": "09:00"
    }  # fmt: skip


def test_a_value_nobody_said_is_never_run_however_often_the_model_writes_it() -> None:
    engine = clinic(inventing_model())
    for line in ["I want to book an appointment.", "A checkup.", "Monday at 3 pm."]:
        events = turn(engine, line)
        assert calls(events) == []
    assert said(events) == [NAME]  # date and time known now: only the name is left


def test_an_agent_variable_fills_its_parameter() -> None:
    agent = replace(CLINIC, variables={"patient_name": "John Smith"})
    llm = ScriptedLLM(default="Sure.").on_call("checkup", "book_appointment", service="checkup")
    engine = clinic(llm, agent)
    assert said(turn(engine, "I'd like a checkup")) == [DAY_AND_TIME]
    frame = engine.conversation.frame
    assert frame is not None and frame.values["patient_name"].source == "variable"
    events = turn(engine, "Tomorrow at 11:30 am")
    assert calls(events) == [
        ("book_appointment", {"service": "checkup", "patient_name": "John Smith",
                              "date": "2026-11-19", "time": "11:30"}),
    ]  # fmt: skip


def test_an_earlier_result_fills_the_next_call_check_then_book() -> None:
    free = {"date": "2026-11-23", "service": "checkup", "free": ["09:00", "15:00"]}
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("free", "check_availability", date="2026-11-23", service="checkup")
    llm.add(lambda p: "We have 9 and 3 free." if p.rstrip().endswith('"reply"}') else None, "")
    llm.on_call("3 pm", "book_appointment", patient_name="John Smith", time="15:00")
    llm.add("tool_response", "Done.")
    engine = clinic(llm, check_availability=free)
    turn(engine, "Any checkup times free next Monday?")
    events = turn(engine, "Book 3 pm for John Smith")
    assert calls(events) == [
        ("book_appointment", {"patient_name": "John Smith", "time": "15:00",
                              "date": "2026-11-23", "service": "checkup"}),
    ]  # fmt: skip


def test_a_question_keeps_the_frame_for_one_turn_then_idle_turns_drop_it() -> None:
    llm = inventing_model().add("opening hours", "We open at eight.")
    engine = clinic(llm)
    turn(engine, "I want to book an appointment.")
    assert said(turn(engine, "What are your opening hours?")) == ["We open at eight."]
    assert engine.conversation.frame is not None  # one reply turn: kept
    turn(engine, "Hmm, okay.")
    assert engine.conversation.frame is None  # the second turn in a row that added nothing


def test_a_turn_that_adds_a_value_keeps_the_frame_alive() -> None:
    engine = clinic(inventing_model().add("opening hours", "We open at eight."))
    turn(engine, "I want to book an appointment.")
    turn(engine, "What are your opening hours?")
    turn(engine, "A checkup.")
    turn(engine, "What are your opening hours?")
    frame = engine.conversation.frame
    assert frame is not None and frame.values["service"].value == "checkup"


def test_never_mind_drops_the_frame() -> None:
    engine = clinic(inventing_model())
    turn(engine, "I want to book an appointment.")
    assert said(turn(engine, "Never mind.")) == [NEVER_MIND]
    assert engine.conversation.frame is None
    assert calls(turn(engine, "Monday at 3 pm.")) == []  # nothing left to complete


def test_another_function_replaces_the_frame() -> None:
    llm = inventing_model().on_call("cancel", "cancel_appointment", appointment_id="9004")
    engine = clinic(llm)
    turn(engine, "I want to book an appointment.")
    events = turn(engine, "Actually, please cancel appointment 9004.")
    assert said(events, "confirm") == ["Cancel appointment 9004?"]
    frame = engine.conversation.frame
    assert frame is not None and frame.name == "cancel_appointment"


def test_goodbye_drops_the_frame_and_ends_the_call() -> None:
    llm = inventing_model().on_call("bye", "end_call")
    engine = clinic(llm)
    turn(engine, "I want to book an appointment.")
    events = turn(engine, "That's all, bye.")
    assert [name for name, _ in calls(events)] == ["end_call"] and engine.ended


def test_typed_values_are_read_by_code_and_the_correction_wins() -> None:
    assert values_said(BOOK, "Next Monday at 3 pm, a check-up", TODAY) == {
        "date": "2026-11-23", "time": "15:00", "service": "checkup"
    }  # fmt: skip
    assert values_said(BOOK, "Monday, no wait, Tuesday", TODAY) == {"date": "2026-11-24"}
    cancel = CLINIC.function("cancel_appointment")
    assert values_said(cancel, "9004, sorry, 9005", TODAY) == {"appointment_id": "9005"}
    assert values_said(cancel, "at 3 pm please", TODAY) == {}


def test_one_question_a_turn_day_and_time_together() -> None:
    assert next_question(BOOK, ["patient_name", "date", "time"]) == (("patient_name",), NAME)
    assert next_question(BOOK, ["date", "time", "service"]) == (("date", "time"), DAY_AND_TIME)
    assert next_question(BOOK, ["time"]) == (("time",), "What time would you like?")
    assert next_question(BOOK, ["service"])[1] == (
        "Would you like consultation, checkup or followup?"
    )


def test_a_run_call_is_not_run_again_from_its_frame() -> None:
    engine = clinic(inventing_model())
    for line in ["I want to book an appointment.", "For John Smith.", "A checkup, Monday 3 pm"]:
        events = turn(engine, line)
    assert [e.ok for e in events if isinstance(e, ToolReturned)] == [True]
    assert calls(turn(engine, "Monday at 3 pm")) == []


def test_a_line_for_another_function_is_routed_not_read_into_the_frame() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("book a checkup", "book_appointment", patient_name="John Smith", service="checkup")
    llm.on_call("availability", "check_availability", date="2026-11-23")
    llm.add("tool_response", "We have 9 and 3 free.")
    engine = clinic(llm, check_availability={"free": ["09:00", "15:00"]})
    assert said(turn(engine, "Book a checkup for John Smith")) == [DAY_AND_TIME]
    events = turn(engine, "Check availability for Monday please")
    assert calls(events) == [("check_availability", {"date": "2026-11-23", "service": "checkup"})]


def test_a_function_code_chose_gets_its_arguments_without_routing() -> None:
    llm = ScriptedLLM().on_call("john", "book_appointment", patient_name="John Smith")
    where = Situation("Be brief.", (Message("user", "John Smith"),), CLINIC.functions, True)

    async def items(chosen: str | None) -> list[object]:
        decision = RouteDecider().decide(llm, replace(where, chosen=chosen), GenerationOptions())
        return [item async for item in decision if isinstance(item, Intent | Call)]

    chosen = asyncio.run(items("book_appointment"))
    call = Call("book_appointment", {"patient_name": "John Smith"})
    assert chosen == [Intent("book_appointment"), call]
    assert llm.decisions == []  # no routing prompt was scored or generated
    assert asyncio.run(items(None))[0] == Intent("book_appointment") and llm.decisions
