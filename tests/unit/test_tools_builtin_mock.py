"""Built-ins are simulated (payload + CallAction), mocks touch nothing."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from tool_support import CARD, call, probe_agent, probe_runner, run_one

from voicetools.tools.base import CallAction, ErrorCategory
from voicetools.tools.builtin import BuiltinExecutor
from voicetools.tools.mock import MockExecutor
from voicetools.tools.runner import ToolRunner


def test_end_call_says_its_last_words(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    result = run_one(probe_runner(), "end_call")
    assert result.ok and result.payload == {"ended": True}
    assert result.actions == (CallAction("end_call", text="Goodbye from the probe."),)
    assert "end_call (simulated)" in caplog.text


def test_transfer_call_goes_to_the_configured_number() -> None:
    result = run_one(probe_runner(), "transfer_call")
    assert result.payload == {"transferred": True, "to": "+15550009999"}
    assert result.actions == (CallAction("transfer_call", number="+15550009999"),)


def test_send_sms_goes_to_the_caller() -> None:
    result = run_one(probe_runner(), "send_sms", message="Your code is 1234")
    assert result.payload == {"sent": True, "to": "+15551230000"}
    assert result.actions == (
        CallAction("send_sms", text="Your code is 1234", number="+15551230000"),
    )


def test_send_sms_card_numbers_are_masked_in_the_action() -> None:
    result = run_one(probe_runner(), "send_sms", message=f"card {CARD}")
    assert CARD not in result.actions[0].text and "[CARD]" in result.actions[0].text


def test_send_sms_without_caller_number_is_an_error() -> None:
    agent = replace(probe_agent(), variables={})
    result = asyncio.run(ToolRunner(agent, env={}).run(call("send_sms", message="hi")))
    assert result.category is ErrorCategory.UNKNOWN
    assert result.payload["error"] == "no_caller_number"
    assert result.actions == ()


@pytest.mark.parametrize("digits", ["1", "0*#9", "123456789"])
def test_press_digit_accepts_keypad_digits(digits: str) -> None:
    result = run_one(probe_runner(), "press_digit", digits=digits)
    assert result.payload == {"pressed": digits}
    assert result.actions == (CallAction("press_digit", text=digits),)


@pytest.mark.parametrize("digits", ["", "12a", "1 2", "+1", "1\n2", "12\n"])
def test_press_digit_refuses_anything_else(digits: str) -> None:
    result = run_one(probe_runner(), "press_digit", digits=digits)
    assert result.category is ErrorCategory.INVALID_ARGUMENTS
    assert result.actions == ()


def test_press_digit_executor_checks_digits_itself() -> None:
    """Even past the schema (a custom `parameters:`), the executor validates the digits."""
    function = probe_agent().function("press_digit")
    assert function is not None
    executor = BuiltinExecutor({})
    result = asyncio.run(executor.execute(function, call("press_digit", digits="9;rm"), 1.0))
    assert result.category is ErrorCategory.INVALID_ARGUMENTS


def test_mock_answers_from_mapping_then_function_then_ok() -> None:
    agent = probe_agent()
    executor = MockExecutor({"echo": {"echo": "mocked"}})

    def answer(name: str) -> object:
        function = agent.function(name)
        assert function is not None
        return asyncio.run(executor.execute(function, call(name, text="x"), 1.0)).payload

    assert answer("echo") == {"echo": "mocked"}
    assert answer("quote_price") == {"price": 12.5, "currency": "EUR"}
    assert answer("count") == {"ok": True}


def test_mock_all_touches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "probe.log"
    monkeypatch.setenv("PROBE_LOG", str(log))
    runner = probe_runner(mock_all=True, mocks={"fail_with": {"error": "not_found"}})
    assert run_one(runner, "record_note", note="x").payload == {"ok": True}
    assert run_one(runner, "lookup_item", item_id="1").payload == {"ok": True}  # no network
    assert not log.exists()
    failed = run_one(runner, "fail_with", error="x")
    assert failed.category is ErrorCategory.NOT_FOUND  # a mocked error fails like a real one
    ended = run_one(runner, "end_call")
    assert ended.actions  # built-ins stay simulated under mock_all


def test_mock_only_function_runs_without_mock_all() -> None:
    assert run_one(probe_runner(), "quote_price", text="x").payload == {
        "price": 12.5,
        "currency": "EUR",
    }
