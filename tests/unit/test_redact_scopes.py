"""Sinks outside the runner: log records, error lines, transcripts, events, scenario quotes."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from tool_support import call, probe_agent

from voicetools.dialogue.events import ActionTaken, Say, ToolCalled, ToolReturned, UserTurn
from voicetools.runtime.transcript import TranscriptWriter, redacted_event
from voicetools.scenario.check import check_turn, quote
from voicetools.scenario.model import Expect, ExpectedCall
from voicetools.tools.record import Recorder
from voicetools.tools.redact import Redactor
from voicetools.tools.redact_logs import mask_error, redacting
from voicetools.tools.runner import ToolRunner

SECRET = "Lg5-scope-secret-77Hq"
CARD = "5555 5555 5555 4444"
REDACTOR = Redactor([SECRET])


def clean(text: str) -> None:
    assert SECRET not in text and SECRET[:8] not in text
    digits = "".join(ch for ch in text if ch.isdigit())
    assert "55555555" not in digits, text


def test_log_records_are_masked_inside_the_scope(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("voicetools.test.scope")
    with redacting(REDACTOR):
        log.info("caller said %s with key %r", CARD, SECRET)
        log.warning(f"an f-string with {SECRET} and {CARD}")
        log.debug("%s", {"nested": [SECRET, CARD.replace(" ", "")]})
        try:
            raise ValueError(f"handler failed with {SECRET} for {CARD}")
        except ValueError:
            log.exception("turn failed")
        log.info("a bad format %s %s", SECRET)  # a broken call: still masked, never raises
    clean(caplog.text)
    assert caplog.text.count("[REDACTED]") >= 4 and "ValueError" in caplog.text
    log.info("outside: %s", SECRET)  # the scope ended: records are no longer touched
    assert SECRET in caplog.records[-1].getMessage()


def test_an_escaping_exception_carries_the_redactor() -> None:
    with pytest.raises(RuntimeError) as raised, redacting(REDACTOR):
        raise RuntimeError(f"boom {SECRET}")
    line = mask_error(raised.value, f"voicetools: internal error ({raised.value})")
    assert "[REDACTED]" in line
    clean(line)
    assert "[CARD]" in mask_error(KeyError("x"), f"card {CARD}")  # cards even with no session


def test_transcript_writer_masks_every_record(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with TranscriptWriter(path, REDACTOR) as writer:
        writer.write(UserTurn(f"my card is {CARD}, key {SECRET}"))
        writer.write(Say(f"I heard {CARD}", kind="confirm"))
        writer.write(Say(f"Checking {SECRET}", kind="filler"))
        writer.write(ToolCalled("c1", "pay", {"card": CARD, SECRET: 4111111111111111}))
        writer.write(ToolReturned("c1", "pay", {"echo": [SECRET, 5555555555554444.0]}, True))
        writer.write(ActionTaken("send_sms", text=f"key {SECRET}", number="+15551230000"))
        writer.write_data({"type": "barge_in", "heard": f"{CARD} {SECRET}", "t": 1.0})
    text = path.read_text()
    clean(text)
    assert len(text.splitlines()) == 7 and "+15551230000" in text


def test_redacted_event_keeps_times_and_flags() -> None:
    event = ToolReturned("c1", "pay", {"card": CARD}, ok=False, category="x", duration_ms=12.5)
    masked = redacted_event(event, REDACTOR)
    assert isinstance(masked, ToolReturned)
    assert masked.result == {"card": "[CARD]"} and masked.duration_ms == 12.5 and not masked.ok
    said = redacted_event(Say(f"key {SECRET}", kind="goodbye", at_s=1.5), REDACTOR)
    assert isinstance(said, Say) and said.kind == "goodbye" and said.at_s == 1.5
    clean(json.dumps(said.to_json()))


@pytest.mark.parametrize("pad", range(185, 205))
def test_scenario_quotes_are_masked_before_they_are_cut(pad: int) -> None:
    reply = "x" * pad + f" {CARD} {SECRET}"
    events = [
        UserTurn("pay"),
        ToolCalled("c1", "pay", {"card": CARD, "key": SECRET}),
        Say(reply),
    ]
    expect = Expect(calls=(ExpectedCall("pay", {"card": "0"}),), reply_contains=("nope",))
    failures = check_turn(expect, events, redactor=REDACTOR)
    assert len(failures) == 2
    for failure in failures:
        clean(failure)
    clean(quote(reply, REDACTOR))


def test_the_runner_masks_numbers_keys_and_nested_values_in_every_copy(tmp_path: Path) -> None:
    """A mocked answer (the mock executor is the product's own) full of card numbers as JSON
    numbers and secrets as keys: the payload, the spoken line, the event and the log file."""
    answer = {
        "as_int": 4111111111111111,
        "as_float": 4111111111111111.0,
        "grouped": "4111  1111  1111  1111",
        "dotted": "4111.1111.1111.1111",
        SECRET: {"nested": [[{"deep": f"x {SECRET} y"}]], "card": 5555555555554444},
    }
    log = tmp_path / "events.jsonl"
    runner = ToolRunner(
        probe_agent(),
        env={"PROBE_SECRET": SECRET},
        mocks={"quote_price": answer},
        recorder=Recorder(log),
    )
    result = asyncio.run(runner.run(call("quote_price", text=f"card {CARD} key {SECRET}")))
    runner.recorder.close()
    assert result.ok
    for text in (json.dumps(result.payload), result.spoken, log.read_text()):
        clean(text)
        assert "41111111" not in "".join(ch for ch in text if ch.isdigit())
    assert result.payload["as_int"] == "[CARD]" and result.payload["as_float"] == "[CARD]"


def test_read_only_mappings_stay_mappings() -> None:
    from types import MappingProxyType

    event = ToolCalled("c1", "pay", MappingProxyType({"card": CARD, "n": 1}))
    masked = redacted_event(event, REDACTOR)
    assert isinstance(masked, ToolCalled) and dict(masked.arguments) == {"card": "[CARD]", "n": 1}
