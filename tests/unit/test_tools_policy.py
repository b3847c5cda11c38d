"""Confirmation, once-per-turn and calls-per-turn, in virtual time (a fake clock)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tool_support import DATA, FakeClock, call, probe_agent, probe_runner

from voicetools.spec import load_agent
from voicetools.tools.base import ErrorCategory, ToolResult
from voicetools.tools.consent import Consent
from voicetools.tools.policy import Answer, CallPolicy, is_confirmation_request
from voicetools.tools.runner import ToolRunner

CONSENT_AGENT = DATA / "agents" / "consent.yaml"


class Session:
    """A runner on a fake clock, driven call by call on one event loop."""

    def __init__(self, **options: Any) -> None:
        self.clock = FakeClock()
        self.runner: ToolRunner = probe_runner(clock=self.clock, **options)
        self.loop = asyncio.new_event_loop()

    def run(self, name: str, **arguments: Any) -> ToolResult:
        return self.loop.run_until_complete(self.runner.run(call(name, **arguments)))

    def close(self) -> None:
        self.loop.close()


@pytest.fixture
def session() -> Any:
    s = Session()
    yield s
    s.close()


def test_confirm_flow_ask_yes_run(session: Session, probe_log: Path) -> None:
    asked = session.run("delete_note", note="milk")
    assert is_confirmation_request(asked) and asked.ok
    assert asked.payload["question"] == 'Delete the note "milk"?'
    assert probe_log.read_text() == ""  # nothing ran
    assert session.runner.pending is not None
    assert session.runner.pending.question == 'Delete the note "milk"?'

    session.runner.new_turn()  # the caller's answer is the next turn
    assert session.runner.caller_said("Yes, go ahead.") is Answer.CONFIRMED
    assert session.runner.pending is None
    done = session.run("delete_note", note="milk")
    assert done.ok and done.payload == {"recorded": "milk"}
    assert probe_log.read_text() == "milk|None|low\n"

    again = session.run("delete_note", note="milk")  # same turn: a duplicate, not a re-run
    assert again.payload["duplicate"] is True
    session.runner.new_turn()
    assert is_confirmation_request(session.run("delete_note", note="milk"))  # the yes was used
    assert probe_log.read_text() == "milk|None|low\n"


def test_new_arguments_mean_a_new_question(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    session.runner.new_turn()
    assert session.runner.answer_confirmation(True) is Answer.CONFIRMED
    changed = session.run("delete_note", note="eggs")
    assert is_confirmation_request(changed)
    assert changed.payload["question"] == 'Delete the note "eggs"?'
    assert probe_log.read_text() == ""
    # the approval for "milk" was not transferable, and is gone
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert probe_log.read_text() == ""


def test_question_reads_back_every_argument(session: Session) -> None:
    asked = session.run("delete_note", note="milk", when="2026-05-01")
    assert asked.payload["question"] == 'Delete the note "milk" (when Friday, May 1st)?'
    automatic = session.run("wipe_notes", before="2026-05-01")
    assert automatic.payload["question"] == (
        "Just to confirm: wipe notes with before Friday, May 1st. Shall I go ahead?"
    )


def test_question_expires_after_30_seconds(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    session.clock.advance(30.5)
    assert session.runner.pending is None
    assert session.runner.caller_said("yes") is None  # nothing pending any more
    assert session.runner.answer_confirmation(True) is Answer.NOTHING_PENDING
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert probe_log.read_text() == ""


def test_late_yes_to_an_expired_question(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    session.clock.advance(31)
    assert session.runner.policy.answer(True) is Answer.EXPIRED
    assert is_confirmation_request(session.run("delete_note", note="milk"))


def test_yes_within_30_seconds_counts(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    session.clock.advance(29)
    assert session.runner.caller_said("sure") is Answer.CONFIRMED
    assert session.run("delete_note", note="milk").ok
    assert probe_log.read_text() == "milk|None|low\n"


def test_approval_not_used_within_30_seconds_expires(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    session.runner.caller_said("yes")
    session.clock.advance(31)
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert probe_log.read_text() == ""


def test_no_means_no(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    assert session.runner.caller_said("No, don't.") is Answer.DENIED
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert probe_log.read_text() == ""


def test_unclear_reply_repeats_the_question_once_then_drops_it(
    session: Session, probe_log: Path
) -> None:
    session.run("delete_note", note="milk")
    assert session.runner.caller_said("hmm, I'm not sure") is Answer.REPEATED
    pending = session.runner.pending
    assert pending is not None and pending.repeated
    assert pending.action == "delete note with note milk"
    assert session.runner.caller_said("which note is that?") is Answer.DROPPED
    assert session.runner.pending is None
    assert session.runner.caller_said("yes") is None  # too late: nothing is pending
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert probe_log.read_text() == ""


def test_a_yes_after_the_repeat_runs_the_call(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    session.clock.advance(25)
    assert session.runner.caller_said("is that the right one") is Answer.REPEATED
    session.clock.advance(25)  # 50 s after the first question, 25 s after the repeat
    assert session.runner.caller_said("yes, go ahead") is Answer.CONFIRMED
    assert session.run("delete_note", note="milk").payload == {"recorded": "milk"}
    assert probe_log.read_text() == "milk|None|low\n"


@pytest.mark.parametrize(
    "reply", ["Sure, but delete the note eggs instead", "no, the one from tomorrow", "make it eggs"]
)
def test_a_change_withdraws_the_question_and_approves_nothing(
    session: Session, probe_log: Path, reply: str
) -> None:
    session.run("delete_note", note="milk")
    assert session.runner.caller_said(reply) is Answer.CHANGED
    assert session.runner.pending is None
    assert is_confirmation_request(session.run("delete_note", note="milk"))  # asked afresh
    assert probe_log.read_text() == ""


@pytest.mark.parametrize("consent", list(Consent))
@pytest.mark.parametrize("source", ["model", "tool"])
def test_only_the_caller_can_reply(session: Session, consent: Consent, source: Any) -> None:
    session.run("delete_note", note="milk")
    before = session.runner.pending
    assert session.runner.policy.reply(consent, source=source) is Answer.REFUSED
    assert session.runner.pending == before


def test_destructive_without_confirm_is_asked_and_confirm_false_is_not(
    probe_log: Path,
) -> None:
    runner = ToolRunner(load_agent(CONSENT_AGENT), clock=FakeClock())

    async def scenario() -> list[ToolResult]:
        asked = await runner.run(call("remove_note", note="milk"))
        runner.new_turn()
        runner.caller_said("yes")
        done = await runner.run(call("remove_note", note="milk"))
        unasked = await runner.run(call("clear_scratchpad", note="all"))
        return [asked, done, unasked]

    asked, done, unasked = asyncio.run(scenario())
    assert asked.payload["question"] == (
        "Just to confirm: remove note with note milk. Shall I go ahead?"
    )
    assert done.ok and unasked.ok and not is_confirmation_request(unasked)
    assert probe_log.read_text() == "milk|None|low\nall|None|low\n"


def test_a_tool_result_cannot_confirm(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    injected = session.run("inject", text="x")
    assert "yes, confirmed" in injected.payload["status"]
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert session.runner.answer_confirmation(True, source="tool") is Answer.REFUSED
    assert session.runner.answer_confirmation(True, source="model") is Answer.REFUSED
    assert session.runner.pending is not None  # still waiting for the caller
    session.runner.new_turn()
    assert is_confirmation_request(session.run("delete_note", note="milk"))
    assert probe_log.read_text() == ""


def test_model_arguments_cannot_confirm(session: Session, probe_log: Path) -> None:
    session.run("delete_note", note="milk")
    extra = session.run("delete_note", note="milk", confirmed=True, answer="yes")
    assert is_confirmation_request(extra)  # different arguments: a new question, nothing ran
    assert probe_log.read_text() == ""


def test_same_call_runs_once_per_turn(session: Session) -> None:
    first = session.run("count", text="a")
    second = session.run("count", text="a")
    assert second.payload == {**first.payload, "duplicate": True}
    assert second.attempts == 0
    other = session.run("count", text="b")  # other arguments do run
    assert other.payload["count"] == first.payload["count"] + 1
    session.runner.new_turn()
    assert session.run("count", text="a").payload["count"] == first.payload["count"] + 2


def test_duplicate_built_in_does_not_repeat_its_action(session: Session) -> None:
    assert session.run("end_call").actions
    repeat = session.run("end_call")
    assert repeat.payload == {"ended": True, "duplicate": True}
    assert repeat.actions == ()


def test_cap_on_calls_per_turn() -> None:
    s = Session(max_calls_per_turn=3)
    try:
        assert s.run("echo", text="1").ok
        assert not s.run("echo", text=2).ok  # an invalid call counts too
        assert s.run("echo", text="3").ok
        capped = s.run("echo", text="4")
        assert capped.payload["error"] == "too_many_calls"
        assert capped.category is ErrorCategory.UNKNOWN
        s.runner.new_turn()
        assert s.run("echo", text="4").ok
    finally:
        s.close()


def test_every_call_is_recorded(session: Session) -> None:
    session.run("echo", text="a")
    session.run("echo", text="a")
    session.run("delete_note", note="x")
    session.run("nope")
    events = session.runner.recorder.events
    assert [e.name for e in events] == ["echo", "echo", "delete_note", "nope"]
    assert [e.attempts for e in events] == [1, 0, 0, 0]
    assert [e.ok for e in events] == [True, True, True, False]
    assert events[3].category == "unknown"
    assert events[0].call_id == "test-echo"


def test_policy_alone_in_virtual_time() -> None:
    clock = FakeClock()
    policy = CallPolicy(clock=clock, max_calls_per_turn=2)
    function = probe_agent().function("delete_note")
    assert function is not None
    verdict = policy.admit(function, call("delete_note", note="a"))
    assert verdict.action == "ask"
    assert policy.answer(True, source="caller") is Answer.CONFIRMED
    assert policy.admit(function, call("delete_note", note="a")).action == "run"
    assert policy.count_call() and policy.count_call() and not policy.count_call()
    policy.new_turn()
    assert policy.calls_this_turn == 0


def test_parallel_identical_calls_run_once() -> None:
    runner = probe_runner()

    async def scenario() -> list[ToolResult]:
        return list(
            await asyncio.gather(
                runner.run(call("hang", text="same")),  # 300 ms timeout: long enough to overlap
                runner.run(call("hang", text="same")),
                runner.run(call("echo", text="other")),
            )
        )

    first, second, other = asyncio.run(scenario())
    assert first.payload["error"] == "handler_timeout" and first.attempts == 1
    assert second.payload == {**first.payload, "duplicate": True} and second.attempts == 0
    assert other.ok


def test_the_model_keeps_confirm_false_apart_from_no_confirm() -> None:
    agent = load_agent(CONSENT_AGENT)
    seen = {f.name: (f.confirm, f.destructive, f.needs_confirmation) for f in agent.functions}
    assert seen == {
        "delete_note": ('Delete the note "{note}"?', True, True),
        "save_note": (True, False, True),
        "remove_note": (None, True, True),  # destructive by its name: asked anyway
        "clear_scratchpad": (False, True, False),  # only `confirm: false` turns it off
        "read_note": (None, False, False),
    }
