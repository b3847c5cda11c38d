"""Required dates, times and free text must be supported by the conversation, or be dropped."""

from __future__ import annotations

from pathlib import Path

from voicetools.dialogue.decision.evidence import unsupported, without_unsupported
from voicetools.dialogue.decision.prompt import Message
from voicetools.spec import load_agent

AGENTS = Path(__file__).resolve().parents[2] / "agents"
APPOINTMENTS = load_agent(AGENTS / "appointments.yaml")
TASKS = load_agent(AGENTS / "task_manager.yaml")


def fn(agent, name):  # type: ignore[no-untyped-def]
    function = agent.function(name)
    assert function is not None
    return function


def test_an_invented_date_is_dropped_and_a_said_one_kept() -> None:
    check = fn(APPOINTMENTS, "check_availability")
    args = {"date": "2026-11-18", "service": "checkup"}
    assert unsupported(check, args, [Message("user", "I want a checkup.")]) == ["date"]
    assert unsupported(check, args, [Message("user", "A checkup tomorrow?")]) == []


def test_a_date_from_an_earlier_call_counts() -> None:
    book = fn(APPOINTMENTS, "book_appointment")
    history = [
        Message("assistant", '{"name": "check_availability", "arguments": {"date": "2026-12-01"}}'),
        Message("tool", '{"free": ["10:00", "15:00"]}'),
        Message("user", "The first one, I'm Ann Lee."),
    ]
    args = {"customer_name": "Ann Lee", "date": "2026-12-01", "time": "10:00", "service": "checkup"}
    assert unsupported(book, args, history) == []


def test_invented_free_text_is_dropped_but_enums_stay() -> None:
    create = fn(TASKS, "create_task")
    history = [Message("user", "Add a task.")]
    assert without_unsupported(create, {"title": "Buy groceries"}, history) == {}
    history = [Message("user", "Add a task to buy milk.")]
    assert without_unsupported(create, {"title": "Buy milk"}, history) == {"title": "Buy milk"}
