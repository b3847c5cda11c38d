"""Values a frame takes, with a scripted model that guesses: quantities said, enum values
named, names that are names, the caller's own words for free text, and the value asked for
required in the arguments the model writes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from engine_support import calls, said, turn

from voicetools.dialogue.checks.free_text import free_text_grounded
from voicetools.dialogue.checks.grounding import is_grounded
from voicetools.dialogue.decision.prompt import call_text
from voicetools.dialogue.decision.route import requiring
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.frames.extract import values_said
from voicetools.dialogue.frames.steps import NEVER_MIND
from voicetools.spec import load_agent
from voicetools.spec.model import Agent, Function
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
RESTAURANT = load_agent(AGENTS / "restaurant.yaml")
WEATHER = load_agent(AGENTS / "weather.yaml")
HELPDESK = load_agent(AGENTS / "helpdesk.yaml")
FRONT_DESK = load_agent(AGENTS / "front_desk.yaml")
APPOINTMENTS = load_agent(AGENTS / "appointments.yaml")
TASKS = load_agent(AGENTS / "task_manager.yaml")
TODAY = date(2026, 11, 18)  # a Wednesday: Friday is 2026-11-20
PARTY = {"type": "integer", "description": "How many people are coming."}


def engine_for(agent: Agent, llm: ScriptedLLM, **mocks: Any) -> Engine:
    return Engine(agent, llm, ToolRunner(agent, mocks=mocks, mock_all=True), today=TODAY)


@pytest.mark.parametrize(
    ("value", "said_words", "grounded"),
    [
        (4, "There will be four of us.", True),
        (5, "There will be four of us.", False),
        (6, "a table for 6 please", True),
        (12, "we are twelve", True),
        (2, "Friday at 7 pm", False),
    ],
)
def test_a_quantity_must_have_been_said(value: int, said_words: str, grounded: bool) -> None:
    assert is_grounded("party_size", PARTY, value, [said_words]) is grounded


def test_a_quantity_that_is_the_schemas_default_needs_no_words() -> None:
    assert is_grounded("party_size", {**PARTY, "default": 2}, 2, ["a table on Friday"])
    assert not is_grounded("party_size", {**PARTY, "default": 2}, 3, ["a table on Friday"])


def test_a_phone_number_is_no_name_even_from_the_agents_variables() -> None:
    schema = {"type": "string", "description": "The caller's full name."}
    assert not is_grounded("customer_name", schema, "+15551234567", ["+15551234567"])
    assert is_grounded("customer_name", schema, "Maria Lopez", ["My name is Maria Lopez."])


@pytest.mark.parametrize(
    ("line", "party"),
    [
        ("There will be four of us.", 4),
        ("For six people on Saturday.", 6),
        ("At 7 pm.", None),  # a time, not a party
        ("For two, Friday at 7 pm, under Moreau.", 2),  # the time's number is set aside
        ("Table for eight, Saturday at six thirty pm.", 8),
        ("A table for 4 on November 20th at 7", None),  # three numbers: the model reads it
        ("No, the other one.", None),  # "one" is no count
    ],
)
def test_code_reads_a_quantity_only_when_it_is_the_lines_one_number(
    line: str, party: int | None
) -> None:
    book = RESTAURANT.function("book_table")
    assert book is not None
    assert values_said(book, line, TODAY).get("party_size") == party


def test_a_party_size_the_model_guessed_never_runs_the_one_said_does() -> None:
    llm = ScriptedLLM(default="Sure.")
    guess = {"party_size": 5, "date": "2026-11-20", "name": "Rossi"}
    llm.add("table", call_text("book_table", guess))  # on_call's own `name` would clash
    llm.add("rossi", call_text("book_table", guess))
    engine = engine_for(RESTAURANT, llm, book_table={"status": "booked"})
    turn(engine, "I'd like to book a table for Friday.")
    turn(engine, "There will be four of us.")
    turn(engine, "At 7 pm.")
    events = turn(engine, "The name is Rossi.")
    assert said(events, "confirm") == [
        "Book a table for 4 on Friday, November 20th at 7 PM under Rossi?"
    ]
    events = turn(engine, "Yes, please.")
    assert calls(events) == [
        ("book_table", {"party_size": 4, "date": "2026-11-20", "time": "19:00", "name": "Rossi"})
    ]


def test_an_enum_value_nobody_named_is_asked_for_not_guessed() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("denver", "get_weather", city="Denver", units="celsius")
    llm.add("tool_response", "It's 41 and snowing.")
    engine = engine_for(WEATHER, llm, get_weather={"temperature": 41})
    events = turn(engine, "Can you tell me the weather in Denver?")
    assert calls(events) == [] and said(events) == ["Would you like celsius or fahrenheit?"]
    events = turn(engine, "Fahrenheit.")
    assert calls(events) == [("get_weather", {"city": "Denver", "units": "fahrenheit"})]


def test_free_text_beside_a_typed_value_goes_to_the_model_not_asked_again() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("rain in$", "get_weather", units="celsius")  # a cut-off line: no city
    llm.on_call("Oslo", "get_weather", city="Oslo", units="celsius")
    llm.add("tool_response", "It's 3 degrees.")
    engine = engine_for(WEATHER, llm, get_weather={"temperature": 3})
    assert said(turn(engine, "Is it going to rain in")) == ["What's the city name?"]
    # "celsius" fills units by code; "Oslo" is the city only the model reads
    events = turn(engine, "In Oslo, celsius.")
    assert calls(events) == [("get_weather", {"units": "celsius", "city": "Oslo"})]


def test_typed_values_alone_ask_for_the_next_value_without_the_model() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("rain in$", "get_weather", units="celsius")
    engine = engine_for(WEATHER, llm)
    turn(engine, "Is it going to rain in")
    asked = len(llm.decisions)
    assert said(turn(engine, "Fahrenheit, please.")) == ["What's the city name?"]
    assert len(llm.decisions) == asked


def test_a_named_enum_value_and_a_weekday_from_a_date_are_taken() -> None:
    llm = ScriptedLLM(default="Sure.").on_call(
        "paris", "get_weather", city="Paris", units="celsius"
    )
    events = turn(engine_for(WEATHER, llm), "The weather in Paris in celsius, please.")
    assert calls(events) == [("get_weather", {"city": "Paris", "units": "celsius"})]
    hours = FRONT_DESK.function("get_opening_hours")
    assert hours is not None
    assert values_said(hours, "Are you open tomorrow?", TODAY) == {"day": "thursday"}


def test_the_callers_own_words_answer_a_question_for_free_text() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("open a ticket", "create_ticket", summary="I need help with something.")
    invented = "I'm having trouble connecting. Please try restarting your laptop."
    llm.on_call("laptop", "create_ticket", summary=invented)
    engine = engine_for(HELPDESK, llm, create_ticket={"ticket_id": "T-1"})
    assert said(turn(engine, "I'd like to open a ticket.")) == [
        "What's a short summary of the problem?"
    ]
    events = turn(engine, "My laptop won't connect to the wifi.")
    assert calls(events) == [("create_ticket", {"summary": "My laptop won't connect to the wifi"})]


def test_a_garbled_answer_is_no_free_text_for_a_call_with_side_effects() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("open a ticket", "create_ticket", summary="I need help with something.")
    llm.on_call("everything", "create_ticket", summary="Everything is broken at 123 Main St.")
    engine = engine_for(HELPDESK, llm)
    turn(engine, "I'd like to open a ticket.")
    assert calls(turn(engine, "Everything and")) == []


def test_the_value_asked_for_is_required_in_the_arguments_the_model_writes() -> None:
    weather = WEATHER.function("get_weather")
    assert weather is not None
    assert requiring(weather, ["city"]) is weather  # already required
    check = RESTAURANT.function("check_table")
    assert check is not None
    loose = replace(check, parameters={**check.parameters, "required": []})
    assert requiring(loose, ["party_size", "unknown"]).required == ("party_size",)


def test_a_text_message_that_echoes_the_greeting_is_asked_for_not_sent() -> None:
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("something", "send_sms", message="Harbor Dental, how can I help?")
    llm.on_call("address", "send_sms", message="12 Harbor Street, Springfield")
    engine = engine_for(FRONT_DESK, llm)
    events = turn(engine, "Can you text me something?")
    assert calls(events) == [] and said(events) == ["What's the text to send?"]
    events = turn(engine, "Your address, please.")
    assert calls(events) == [("send_sms", {"message": "12 Harbor Street, Springfield"})]


def test_a_follow_up_that_changes_a_value_runs_the_lookup_again_with_it() -> None:
    free = {"free": ["09:30", "16:00"]}
    llm = ScriptedLLM(default="We have 9:30 and 4 pm free.")
    llm.on_call("checkup", "check_availability", date="2026-11-20", service="checkup")
    engine = engine_for(APPOINTMENTS, llm, check_availability=free)
    turn(engine, "Is there a checkup free on Friday?")
    events = turn(engine, "Actually, I'd rather have a consultation.")
    assert calls(events) == [
        ("check_availability", {"date": "2026-11-20", "service": "consultation"})
    ]
    events = turn(engine, "And what about Monday?")
    assert calls(events) == [
        ("check_availability", {"date": "2026-11-23", "service": "consultation"})
    ]


def test_a_follow_up_never_repeats_an_action_and_a_plain_line_is_no_follow_up() -> None:
    llm = ScriptedLLM(default="Anything else?")
    llm.on_call("paris", "get_weather", city="Paris", units="celsius")
    engine = engine_for(WEATHER, llm, get_weather={"temperature": 9})
    turn(engine, "The weather in Paris in celsius, please.")
    assert calls(turn(engine, "Great, thanks a lot.")) == []  # nothing changed: no lookup
    llm = ScriptedLLM(default="Done.")
    llm.on_call("milk", "create_task", title="buy milk", priority="high")
    engine = engine_for(TASKS, llm, create_task={"task_id": 1})
    events = turn(engine, "Add a task to buy milk, high priority.")
    assert calls(events) == [("create_task", {"title": "buy milk", "priority": "high"})]
    assert calls(turn(engine, "Actually, make it low priority.")) == []  # not added twice


def test_an_optional_id_said_with_its_name_is_taken_and_its_correction_wins() -> None:
    orders = load_agent(AGENTS / "order_support.yaml")
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("lid", "create_support_ticket", issue="The lid was broken.")
    llm.on_call("4522", "create_support_ticket", issue="The lid was broken.")
    runner = ToolRunner(orders, mock_all=True)
    engine = Engine(orders, llm, runner, today=TODAY)
    turn(engine, "Open a ticket for order 4521, the lid was broken.")
    frame = engine.conversation.frame
    assert frame is not None and frame.values["order_id"].value == "4521"
    turn(engine, "Sorry, the order is 4522.")
    frame = engine.conversation.frame
    assert frame is not None and frame.values["order_id"].value == "4522"


@pytest.mark.parametrize(
    ("line", "issue"),
    [
        ("Open a ticket for order 4521, the lid was broken.", "the lid was broken"),
        ("Open a ticket for order 4521.", None),  # nothing describes a problem: asked for
        ("Open a ticket, the lid was broken, the box was wet.", None),  # which one? asked
        ("Open a ticket for order 4521, please.", None),
    ],
)
def test_the_one_describing_clause_of_the_opening_line_is_the_missing_free_text(
    line: str, issue: str | None
) -> None:
    orders = load_agent(AGENTS / "order_support.yaml")
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("ticket", "create_support_ticket", issue="Open a ticket.")  # its own words
    engine = Engine(orders, llm, ToolRunner(orders, mock_all=True), today=TODAY)
    turn(engine, line)
    frame = engine.conversation.frame
    assert frame is not None
    found = frame.values.get("issue")
    assert (found.value if found else None) == issue


@pytest.mark.parametrize(
    ("title", "line", "grounded"),
    [
        ("High priority task", "Add a high priority task.", False),  # the request restated
        ("Hold on, please.", "Add a, hold on.", False),  # the caller asking to wait
        ("Renew my passport", "Renew my passport.", True),
        ("Call the bank about the high fee", "Call the bank about the high fee", True),
    ],
)
def test_free_text_made_of_the_functions_own_words_or_a_hold_is_no_value(
    title: str, line: str, grounded: bool
) -> None:
    tasks = TASKS.function("create_task")
    assert tasks is not None
    _, unsaid = free_text_grounded(tasks, {"title": title}, [line])
    assert (unsaid == []) is grounded


def test_a_text_message_holds_what_the_call_said_never_the_models_invention() -> None:
    llm = ScriptedLLM(default="Our hours are 8 to 4.")
    llm.on_call("text me", "send_sms", message="Sorry, I can't provide that information.")
    engine = engine_for(FRONT_DESK, llm)
    events = turn(engine, "Can you text me something?")
    assert calls(events) == [] and said(events) == ["What's the text to send?"]
    llm = ScriptedLLM(default="Sure.")
    llm.add(
        lambda p: "Our hours are 8 am to 4 pm." if p.rstrip().endswith('"reply"}') else None, ""
    )
    llm.on_call("text", "send_sms", message="Our hours are 8 am to 4 pm.")
    engine = engine_for(FRONT_DESK, llm)
    turn(engine, "When are you open?")
    events = turn(engine, "Please text that to me.")
    assert calls(events) == [("send_sms", {"message": "Our hours are 8 am to 4 pm."})]


def test_never_mind_with_a_new_request_leaves_the_request_to_the_model() -> None:
    orders = load_agent(AGENTS / "order_support.yaml")
    llm = ScriptedLLM(default="Sure.")
    llm.on_call("missing item", "create_support_ticket")
    llm.on_call("8812", "get_order_status", order_id="8812")
    engine = Engine(orders, llm, ToolRunner(orders, mock_all=True), today=TODAY)
    assert calls(turn(engine, "I want to open a ticket about a missing item.")) == []
    events = turn(engine, "Actually forget the ticket, just check order 8812.")
    assert calls(events) == [("get_order_status", {"order_id": "8812"})]
    llm.on_call("refund", "create_support_ticket")
    turn(engine, "I want to open a ticket about a refund.")
    assert said(turn(engine, "Forget it.")) == [NEVER_MIND]  # nothing more: said so


CONCAT = Function(
    name="concat_strings", description="Join strings.", kind="mock",
    parameters={"type": "object", "required": ["strings"], "properties": {
        "strings": {"type": "array", "items": {"type": "string"}},
        "options": {"type": "object", "properties": {"limit": {"type": "integer"}}},
        "separator": {"type": "string", "default": " "},
        "username": {"type": "string", "default": "postgres"},
    }},
)  # fmt: skip


def test_values_inside_lists_and_objects_must_have_been_said() -> None:
    line = "Please write code that joins two strings, foo and bar, at most 3 of them."
    kept, unsaid = free_text_grounded(CONCAT, {"strings": ["Hello", "world"]}, [line])
    assert unsaid == ["strings"]  # nobody said hello or world
    args = {"strings": ["foo", "bar"], "options": {"limit": 3}}
    assert free_text_grounded(CONCAT, args, [line]) == (args, [])
    kept, unsaid = free_text_grounded(
        CONCAT, {"strings": ["foo"], "options": {"limit": 50}}, [line]
    )
    assert unsaid == [] and "options" not in kept  # an optional invented number is dropped


def test_a_parameters_default_is_the_functions_own_value_not_an_invention() -> None:
    line = "Add a server using the default username."
    args = {"strings": ["server"], "username": "postgres"}
    assert free_text_grounded(CONCAT, args, [line]) == (args, [])
    assert is_grounded("username", {"type": "string", "default": "postgres"}, "postgres", [line])
    assert not is_grounded("username", {"type": "string"}, "postgres", [line])


def test_an_optional_enum_value_the_line_names_is_filled_even_if_the_model_left_it_out() -> None:
    player = Function(
        name="play_media", description="Play a track.", kind="mock",
        parameters={"type": "object", "required": ["track"], "properties": {
            "track": {"type": "string"},
            "device": {"type": "string", "enum": ["Living room", "Kitchen", "Patio"]},
        }},
    )  # fmt: skip
    agent = replace(WEATHER, functions=(player,))
    llm = ScriptedLLM(default="Sure.").on_call("play", "play_media", track="Bohemian Rhapsody")
    events = turn(engine_for(agent, llm), "Can you play Bohemian Rhapsody in the kitchen?")
    assert calls(events) == [("play_media", {"track": "Bohemian Rhapsody", "device": "Kitchen"})]
