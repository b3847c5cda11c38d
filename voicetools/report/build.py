"""Transcript records -> the page model (`model.CallPage`).

A voice call writes its records when they are final, not in the order they happened: a
sentence is written once its audio has played (or was cut), after the turn's stats, after a
barge-in. So every record is placed by its time: a turn starts at its caller record (`user`,
or `ignored` for a sound with no words, which the voice loop counts as a turn too), and a
record belongs to the last turn that started at or before its `t`, but never to a turn opened
after it in the file (records are written late, never early: the greeting at 0.0 stays before
a first line sent at 0.0). A record without `t` (the `stats` of a text call) belongs to the
turn open where it was written.

Latency per turn is measured from the caller's end (`speech_end` on a call, the line's `t` in
a text call) to the first agent sound heard, to the first filler, and to the first line that
is not filler: the real answer. Lines never heard (cut before they started) do not count.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from voicetools.report.model import CallPage, Latency, Line, Mark, Speech, ToolSpan, Turn
from voicetools.report.records import Record

_OPENERS = ("user", "ignored")
_SPOKEN = ("agent", "filler")


def build_page(records: Sequence[Record], title: str) -> CallPage:
    """The page model of the call these records describe, in the order they were written."""
    openers = [r for r in records if r["type"] in _OPENERS]
    starts = [float(r.get("t", 0.0)) for r in openers]
    turn_of: list[int] = []
    opened = 0
    for record in records:
        if record["type"] in _OPENERS:
            opened += 1
            turn_of.append(opened)
        elif "t" in record:  # never a turn opened later in the file: records are written late
            turn_of.append(min(opened, bisect_right(starts, record["t"])))
        else:
            turn_of.append(opened)
    tools = _tool_spans(records, turn_of)
    by_turn: dict[int, list[tuple[float, int, Line]]] = {n: [] for n in range(opened + 1)}
    speech: list[Speech] = []
    marks: list[Mark] = []
    for index, (record, turn) in enumerate(zip(records, turn_of, strict=True)):
        line = _line(record, turn, speech, marks, tools.get(index))
        if line is not None:
            order = line.at_s if line.at_s is not None else float(record.get("t", 0.0))
            by_turn[turn].append((order, index, line))
    turns = []
    for number, rows in by_turn.items():
        lines = tuple(line for _, _, line in sorted(rows, key=lambda row: row[:2]))
        opener = openers[number - 1] if number else None
        turns.append(_turn(number, opener, lines, records, turn_of))
    return CallPage(
        title=title,
        voice=any("audio_start" in r or "speech_start" in r for r in records),
        duration_s=_duration(records, list(tools.values())),
        turns=tuple(turns),
        speech=tuple(speech),
        tools=tuple(tools.values()),
        marks=tuple(marks),
        ended=next((r.get("reason") for r in records if r["type"] == "end"), None),
    )


def _line(
    record: Record,
    turn: int,
    speech: list[Speech],
    marks: list[Mark],
    span: ToolSpan | None,
) -> Line | None:
    """The transcript line of one record, adding its span or mark to the timeline."""
    kind, t = record["type"], record.get("t")
    if kind == "user":
        start, end = _time(record, "speech_start", t), _time(record, "speech_end", t)
        speech.append(Speech("caller", start, end, record["text"], turn))
        return Line("caller", start, record["text"])
    if kind in _SPOKEN:
        # a call says where the audio sat (None: never heard); a text call only when it was said
        heard_at = record["audio_start"] if "audio_start" in record else t
        if heard_at is not None:
            ends = _time(record, "audio_end", heard_at) if "audio_start" in record else heard_at
            cut = bool(record.get("interrupted"))
            speech.append(Speech(kind, heard_at, ends, record["text"], turn, cut))
        return Line(kind, heard_at, record["text"], _speech_note(record))
    if span is not None:
        return Line("tool", span.start_s, span.name, _tool_note(span), span)
    if kind in ("barge_in", "ignored", "error", "action", "end") and t is not None:
        text = _mark_text(record)
        marks.append(Mark(kind, t, text, turn))
        if kind == "ignored":  # the sound itself is on the caller's lane, where it was heard
            start = _time(record, "speech_start", t)
            speech.append(Speech("caller", start, _time(record, "speech_end", start), "", turn))
            return Line(kind, start, text)
        return Line(kind, t, text)
    return None


def _time(record: Record, key: str, default: float | None) -> float:
    """`record[key]` in seconds, else (missing or null) `default`, else 0 (the reader checked
    that they are numbers)."""
    value = record.get(key)
    value = default if value is None else value
    return float(value) if value is not None else 0.0


def _speech_note(record: Record) -> str:
    notes = [record["role"]] if record.get("role") else []
    if record.get("silent"):
        notes.append("not spoken")
    elif record.get("interrupted"):
        heard = record.get("heard") or ""
        notes.append(f"interrupted; heard: {heard!r}" if heard else "interrupted; not heard")
    return ", ".join(notes)


def _tool_note(span: ToolSpan) -> str:
    if span.ok is None:
        return "no result recorded"
    took = f" in {span.duration_ms:.0f} ms" if span.duration_ms is not None else ""
    return f"ok{took}" if span.ok else f"failed [{span.category or 'error'}]{took}"


def _mark_text(record: Record) -> str:
    kind = record["type"]
    if kind == "barge_in":
        heard = record.get("heard") or ""
        return f"caller barged in; heard: {heard!r}" if heard else "caller barged in"
    if kind == "ignored":
        return f"ignored: {record.get('reason', 'no words')}"
    if kind == "error":
        return f"turn failed: {record['message']}"
    if kind == "action":
        words = " ".join(str(record.get(k) or "") for k in ("number", "text")).strip()
        return f"{record.get('kind', 'action')} (simulated) {words}".rstrip()
    return f"call ended ({record.get('reason', 'unknown')})"


def _tool_spans(records: Sequence[Record], turn_of: list[int]) -> dict[int, ToolSpan]:
    """Each tool_call (by its index) with its tool_result, matched by call_id, else by name
    (the first call still without a result)."""
    calls: dict[int, Record | None] = {}
    for index, record in enumerate(records):
        if record["type"] == "tool_call":
            calls[index] = None
        elif record["type"] == "tool_result":
            open_ = [i for i, found in calls.items() if found is None]
            match = next((i for i in open_ if _matches(records[i], record)), None)
            if match is not None:
                calls[match] = record
    return {i: _tool_span(records[i], turn_of[i], result) for i, result in calls.items()}


def _matches(call: Record, result: Record) -> bool:
    if "call_id" in call and "call_id" in result:
        return bool(call["call_id"] == result["call_id"])
    return bool(call["name"] == result["name"])


def _tool_span(call: Record, turn: int, result: Record | None) -> ToolSpan:
    start = float(call.get("t", 0.0))
    done = result or {}
    return ToolSpan(
        call_id=str(call.get("call_id", "")),
        name=call["name"],
        arguments=call.get("arguments", {}),
        start_s=start,
        turn=turn,
        end_s=max(start, float(done.get("t", start))) if result is not None else None,
        result=done.get("result"),
        ok=bool(done.get("ok", True)) if result is not None else None,
        category=done.get("category"),
        duration_ms=done.get("duration_ms"),
    )


def _turn(
    number: int,
    opener: Record | None,
    lines: tuple[Line, ...],
    records: Sequence[Record],
    turn_of: list[int],
) -> Turn:
    if opener is None or opener["type"] == "ignored":
        return Turn(number, "", lines, Latency(), ignored=opener is not None)
    stopped = _time(opener, "speech_end", opener.get("t"))

    def after(kinds: tuple[str, ...]) -> float | None:
        times = [line.at_s for line in lines if line.kind in kinds and line.at_s is not None]
        return round(min(times) - stopped, 3) if times else None

    mine = (r for r, n in zip(records, turn_of, strict=True) if n == number)
    stats = [r for r in mine if r["type"] == "stats"]
    dead_air = stats[-1].get("latency", {}).get("dead_air_s") if stats else None
    if not isinstance(dead_air, int | float) or isinstance(dead_air, bool):
        dead_air = None  # inside `latency`, which the reader checks only as an object
    latency = Latency(after(_SPOKEN), after(("filler",)), after(("agent",)), dead_air)
    return Turn(number, opener["text"], lines, latency)


def _duration(records: Sequence[Record], tools: list[ToolSpan]) -> float:
    """The last moment anything happened (at least a second, so a page has a scale)."""
    times = [
        value
        for record in records
        for key in ("t", "audio_end", "speech_end")
        if isinstance(value := record.get(key), int | float)
    ]
    times += [span.end_s for span in tools if span.end_s is not None]
    return max([1.0, *times])
