"""The page model of `voicetools report`: turns, latency, tool spans, barge-ins, marks.

The two recorded transcripts in tests/data/report/ are real: `voice_call.jsonl` is the voice
loop with fake speech on a virtual clock (tests/unit/test_voice_loop.py's set-up: a 2 s tool,
a barge-in, a sound with no words, end_call), `text_call.jsonl` is `voicetools chat` on the
0.5B model (order status, a ticket confirmed then refused, goodbye).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicetools.errors import Location, SpecError
from voicetools.report import build_page, parse_line, read_transcript, render_page

DATA = Path(__file__).resolve().parents[1] / "data" / "report"


def voice() -> Any:
    return build_page(read_transcript(DATA / "voice_call.jsonl"), "voice")


def test_a_voice_call_is_cut_into_turns_by_time_not_by_line_order() -> None:
    page = voice()
    assert page.voice and page.ended == "end_call" and page.duration_s == 34.74
    assert [t.number for t in page.turns] == [0, 1, 2, 3, 4, 5]
    assert [t.caller for t in page.turns] == [
        "",
        "What's the status of order 4521?",
        "What are your hours?",
        "Wait, stop.",
        "",
        "Thanks, goodbye.",
    ]
    assert [line.note for line in page.turns[0].lines] == ["greeting"]
    assert page.turns[4].ignored and [line.kind for line in page.turns[4].lines] == ["ignored"]
    # turn 1's lines are in the order they were heard, the filler before the answer
    assert [line.kind for line in page.turns[1].lines] == [
        "caller",
        "tool",
        "filler",
        "agent",
        "agent",
    ]


def test_voice_latency_runs_from_the_callers_end_to_the_first_sound_and_the_answer() -> None:
    turns = voice().turns
    first = turns[1].latency  # the caller stopped at 5.504; filler at 6.02; the answer at 8.03
    assert (first.first_sound_s, first.filler_s, first.answer_s) == (0.516, 0.516, 2.526)
    assert first.dead_air_s == 0.516  # the voice loop's own figure, passed through
    assert turns[2].latency.filler_s is None and turns[2].latency.answer_s == 0.512
    assert turns[5].latency.answer_s == 2.516  # end_call's goodbye, after its 2 s
    assert turns[4].latency.first_sound_s is None  # no words, nothing to answer


def test_voice_latency_agrees_with_the_voice_loops_own_measure() -> None:
    records = read_transcript(DATA / "voice_call.jsonl")
    measured = {
        r["latency"]["turn"]: r["latency"]["voice_to_voice_s"] for r in records if "latency" in r
    }
    page = build_page(records, "voice")
    for turn in page.turns[1:]:
        assert turn.latency.first_sound_s == pytest.approx(measured[turn.number], abs=0.001)


def test_tool_spans_run_from_call_to_result() -> None:
    page = voice()
    lookup, end = page.tools
    assert (lookup.name, lookup.turn, lookup.start_s, lookup.end_s) == (
        "get_order_status",
        1,
        6.02,
        8.03,
    )
    assert lookup.ok is True and lookup.duration_ms == 1.2
    assert lookup.arguments == {"order_id": "4521"} and lookup.result["status"] == "shipped"
    assert (end.name, end.turn, end.end_s) == ("end_call", 5, 32.34)


def test_a_barge_in_is_marked_and_the_cut_lines_say_what_was_heard() -> None:
    page = voice()
    (barge,) = [m for m in page.marks if m.kind == "barge_in"]
    assert barge.turn == 2 and barge.at_s == 20.576
    assert barge.text == "caller barged in; heard: 'We open at eight in'"
    cut, unheard = [line for line in page.turns[2].lines if line.kind == "agent"]
    assert cut.at_s == 19.04 and cut.note == "interrupted; heard: 'We open at eight in'"
    assert unheard.at_s is None and unheard.note == "interrupted; not heard"
    spans = [s for s in page.speech if s.turn == 2 and s.kind == "agent"]
    assert len(spans) == 1 and spans[0].interrupted and spans[0].end_s == 20.576
    assert [s.text for s in page.speech if s.kind == "caller" and s.turn == 4] == [""]


def test_a_text_call_keeps_the_greeting_before_a_first_line_sent_at_the_same_instant() -> None:
    page = build_page(read_transcript(DATA / "text_call.jsonl"), "text")
    assert not page.voice and page.turns[0].lines[0].text.startswith("Hello!")
    assert [len(t.lines) for t in page.turns] == [1, 3, 3, 3, 4]
    assert [t.latency.answer_s for t in page.turns[1:]] == [2.713, 1.13, 0.091, 2.659]
    assert all(t.latency.filler_s is None for t in page.turns)
    refused = page.tools[2]
    assert refused.ok is False and refused.category == "permission"
    assert all(s.start_s == s.end_s for s in page.speech)  # text lines are points in time


def _rec(kind: str, t: float | None = None, **fields: Any) -> dict[str, Any]:
    return {"type": kind, **({} if t is None else {"t": t}), **fields}


def test_results_match_their_call_by_id_else_by_name_and_a_lost_one_stays_open() -> None:
    records = [
        _rec("user", 0.0, text="two things"),
        _rec("tool_call", 1.0, call_id="a", name="lookup", arguments={"n": 1}),
        _rec("tool_call", 1.0, call_id="b", name="lookup", arguments={"n": 2}),
        _rec("tool_result", 1.5, call_id="b", name="lookup", ok=True, result=2),
        _rec("tool_result", 2.0, call_id="a", name="lookup", ok=False, category="timeout"),
        _rec("tool_call", 3.0, name="book", arguments={}),
        _rec("tool_result", 3.25, name="book", ok=True, result="done"),
        _rec("tool_call", 4.0, name="cancel", arguments={}),
    ]
    a, b, book, cancel = build_page(records, "x").tools
    assert (a.end_s, a.ok, a.category) == (2.0, False, "timeout")
    assert (b.end_s, b.result) == (1.5, 2)
    assert (book.end_s, book.result) == (3.25, "done")
    assert (cancel.end_s, cancel.ok) == (None, None)


def test_filler_before_the_answer_is_counted_apart() -> None:
    records = [
        _rec("user", 10.0, text="order 4521", speech_start=8.0, speech_end=9.5),
        _rec("filler", 10.0, text="One moment.", audio_start=10.0, audio_end=11.0),
        _rec("filler", 13.0, text="Still on it.", audio_start=13.0, audio_end=14.0),
        _rec("agent", 15.0, text="It shipped.", audio_start=15.25, audio_end=16.0),
        _rec("stats", 16.0, latency={"dead_air_s": 2.0}),
        _rec("error", 16.5, message="boom <b>"),
    ]
    turn = build_page(records, "x").turns[1]
    assert (turn.latency.first_sound_s, turn.latency.filler_s) == (0.5, 0.5)
    assert turn.latency.answer_s == 5.75 and turn.latency.dead_air_s == 2.0
    assert turn.lines[-1].kind == "error" and turn.lines[-1].text == "turn failed: boom <b>"


_TIMES = st.one_of(st.none(), st.floats(-5, 1e6, allow_nan=False))
_FIELDS = {
    "t": st.floats(-5, 1e6, allow_nan=False),
    "text": st.text(max_size=12),
    "name": st.sampled_from(["lookup", "book"]),
    "call_id": st.sampled_from(["a", "b"]),
    "message": st.text(max_size=5),
    "speech_start": st.floats(0, 100),
    "speech_end": st.floats(0, 100),
    "audio_start": _TIMES,
    "audio_end": _TIMES,
    "interrupted": st.booleans(),
    "ok": st.booleans(),
    "duration_ms": st.floats(0, 1e4),
    "latency": st.dictionaries(st.sampled_from(["dead_air_s", "turn"]), _TIMES),
}
_KINDS = ["user", "agent", "filler", "tool_call", "tool_result", "barge_in", "ignored", "error",
          "action", "end", "stats", "something_new"]  # fmt: skip


@st.composite
def transcripts(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Records in any order with any subset of fields, kept only if the reader accepts them."""
    records = []
    for _ in range(draw(st.integers(0, 12))):
        record: dict[str, Any] = {"type": draw(st.sampled_from(_KINDS))}
        for name in draw(st.sets(st.sampled_from(sorted(_FIELDS)))):
            record[name] = draw(_FIELDS[name])
        try:
            records.append(parse_line(json.dumps(record), Location("x", 1, 1)))
        except SpecError:
            continue
    return records


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(transcripts())
def test_any_records_the_reader_accepts_make_a_page(records: list[dict[str, Any]]) -> None:
    page = build_page(records, "fuzz")
    assert sum(len(t.lines) for t in page.turns) <= len(records)
    html = render_page(page)
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n")
