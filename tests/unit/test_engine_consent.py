"""Consent in a conversation: the engine with a scripted model and real Python handlers.

Every function of the test agent appends its call to $PROBE_LOG, so "nothing ran" and "ran
exactly once, with these arguments" are read from what the handler really did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine_support import calls, said, turn

from voicetools.dialogue.decision.prompt import call_text
from voicetools.dialogue.engine import DECLINED, DROPPED, REASK, Engine
from voicetools.dialogue.events import Event, ToolReturned
from voicetools.spec import load_agent
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENT = Path(__file__).resolve().parents[1] / "data" / "agents" / "consent.yaml"
TODAY = date(2026, 11, 18)  # a Wednesday
MILK = 'Delete the note "milk"?'


def engine_for(llm: ScriptedLLM) -> Engine:
    agent = load_agent(AGENT)
    return Engine(agent, llm, ToolRunner(agent), today=TODAY)


def ran(events: Sequence[Event]) -> list[tuple[str, dict[str, Any]]]:
    """Calls that really ran (not the ones answered with a confirmation question)."""
    return [
        (e.name, dict(e.result))
        for e in events
        if isinstance(e, ToolReturned) and e.result.get("status") != "confirmation_required"
    ]


def scripted() -> ScriptedLLM:
    llm = ScriptedLLM(default="Anything else?")
    llm.on_call("delete the note milk", "delete_note", note="milk")
    llm.add("tool_response", "Done.")
    return llm


def test_a_question_does_not_run_the_tool_and_the_question_is_asked_again(
    probe_log: Path,
) -> None:
    llm = scripted()
    engine = engine_for(llm)
    assert said(turn(engine, "please delete the note milk"), "confirm") == [MILK]
    before = len(llm.asked)
    events = turn(engine, "Okay, which note is that?")
    assert said(events) == [REASK.format(question=MILK)]
    assert calls(events) == [] and probe_log.read_text() == ""
    assert len(llm.asked) == before  # decided in code, not by the model
    assert engine.conversation.pending is not None


def test_a_yes_after_the_repeat_runs_the_call_exactly_once(probe_log: Path) -> None:
    engine = engine_for(scripted())
    turn(engine, "please delete the note milk")
    turn(engine, "is that the right one")
    events = turn(engine, "yes, go ahead")
    assert calls(events) == [("delete_note", {"note": "milk"})]
    assert ran(events) == [("delete_note", {"recorded": "milk"})]
    assert said(events, "agent") == ["Done."]
    again = turn(engine, "yes")  # nothing is pending any more: the model answers
    assert calls(again) == [] and said(again) == ["Anything else?"]
    assert probe_log.read_text() == "milk|None|low\n"


def test_unclear_twice_drops_the_call_and_says_so(probe_log: Path) -> None:
    engine = engine_for(scripted())
    turn(engine, "please delete the note milk")
    assert said(turn(engine, "hmm")) == [REASK.format(question=MILK)]
    events = turn(engine, "Ok so what's on my list?")
    assert said(events) == [DROPPED.format(action="delete note with note milk")]
    assert said(events) == ["OK, I won't delete note with note milk for now."]
    assert engine.conversation.pending is None
    late = turn(engine, "yes")
    assert calls(late) == [] and probe_log.read_text() == ""


def test_a_change_is_a_new_question_with_the_new_arguments_and_runs_only_on_a_yes(
    probe_log: Path,
) -> None:
    llm = scripted().on_call("eggs", "delete_note", note="eggs")
    engine = engine_for(llm)
    turn(engine, "please delete the note milk")
    events = turn(engine, "Sure, but delete the note eggs instead")
    assert calls(events) == [("delete_note", {"note": "eggs"})]
    assert ran(events) == [] and said(events, "confirm") == ['Delete the note "eggs"?']
    assert probe_log.read_text() == ""
    confirmed = turn(engine, "yes")
    assert calls(confirmed) == [("delete_note", {"note": "eggs"})]
    assert ran(confirmed) == [("delete_note", {"recorded": "eggs"})]
    assert probe_log.read_text() == "eggs|None|low\n"  # milk never ran


def test_a_change_of_day_reads_the_new_day_back(probe_log: Path) -> None:
    llm = ScriptedLLM(default="Anything else?")
    # `add`, not `on_call`: the argument `when` would clash with on_call's own
    llm.add("friday", call_text("save_note", {"note": "milk", "when": "2026-11-20"}))
    llm.add("tomorrow", call_text("save_note", {"note": "milk", "when": "2026-11-19"}))
    llm.add("tool_response", "Saved.")
    engine = engine_for(llm)
    first = said(turn(engine, "save the note milk for friday"), "confirm")
    assert first == [
        "Just to confirm: save note with note milk, and when Friday, November 20th. "
        "Shall I go ahead?"
    ]
    changed = turn(engine, "Do it tomorrow instead")
    assert said(changed, "confirm") == [
        "Just to confirm: save note with note milk, and when Thursday, November 19th. "
        "Shall I go ahead?"
    ]
    assert ran(changed) == [] and probe_log.read_text() == ""
    done = turn(engine, "yes please")
    assert ran(done) == [("save_note", {"recorded": "milk"})]
    assert probe_log.read_text() == "milk|2026-11-19|low\n"


def test_after_a_change_the_old_call_is_asked_again_not_run(probe_log: Path) -> None:
    llm = scripted()
    llm.on_call("instead", "delete_note", note="milk")  # the model ignores the change
    engine = engine_for(llm)
    turn(engine, "please delete the note milk")
    events = turn(engine, "yes but the other one instead")
    assert said(events, "confirm") == [MILK] and ran(events) == []
    assert probe_log.read_text() == ""


def test_a_refusal_declines_and_nothing_runs(probe_log: Path) -> None:
    engine = engine_for(scripted())
    turn(engine, "please delete the note milk")
    events = turn(engine, "No problem, I'll think about it")
    assert said(events) == [DECLINED] and calls(events) == []
    assert probe_log.read_text() == ""


def test_a_destructive_function_without_confirm_asks_in_a_conversation(probe_log: Path) -> None:
    llm = ScriptedLLM(default="Anything else?")
    llm.on_call("remove the note milk", "remove_note", note="milk")
    llm.on_call("clear the", "clear_scratchpad", note="all")
    llm.add("tool_response", "Done.")
    engine = engine_for(llm)
    events = turn(engine, "remove the note milk")
    assert said(events, "confirm") == [
        "Just to confirm: remove note with note milk. Shall I go ahead?"
    ]
    assert ran(events) == [] and probe_log.read_text() == ""
    assert ran(turn(engine, "yeah go ahead")) == [("remove_note", {"recorded": "milk"})]
    # `confirm: false` in the file: runs without a question (and the linter warns, V101);
    # the caller says "all", as the router drops free text nobody said
    cleared = turn(engine, "clear the scratchpad, all of it")
    assert ran(cleared) == [("clear_scratchpad", {"recorded": "all"})]
    assert probe_log.read_text() == "milk|None|low\nall|None|low\n"
