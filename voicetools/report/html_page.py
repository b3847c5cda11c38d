"""The report page: one self-contained HTML file (inline CSS, no script, no outside address).

Every text on the page comes from the transcript, and the caller's words are whatever the
caller said (or whatever STT made of it), so every text and attribute goes through `escape`.
A Content-Security-Policy forbids scripts and outside loads as well, so a page that escaping
missed still runs nothing and calls nowhere. The recording, when given, is embedded as a
`data:` URI, so the page can be mailed or attached to a CI run as one file.
"""

from __future__ import annotations

import base64
import json
from html import escape
from typing import Any

from voicetools.report.model import CallPage, Latency, Line, ToolSpan, Turn
from voicetools.report.page_style import CSS, kind_css
from voicetools.report.timeline import render_timeline

POLICY = "default-src 'none'; style-src 'unsafe-inline'; media-src data:; img-src data:"
"""Nothing but the page's own style and the embedded recording may load; no script runs."""

_WHO = {
    "caller": "caller",
    "agent": "agent",
    "filler": "filler",
    "tool": "tool",
    "barge_in": "barge-in",
    "ignored": "ignored",
    "error": "error",
    "action": "action",
    "end": "end",
}


def render_page(page: CallPage, audio: bytes | None = None) -> str:
    """The whole page; `audio` is a WAV file's bytes to embed, or None."""
    title = f"Call report: {page.title}"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(POLICY)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape(title)}</title>\n<style>{CSS}{kind_css()}</style>\n</head>\n<body>\n",
        f"<header>\n<h1>{escape(title)}</h1>\n{_summary(page)}</header>\n",
    ]
    if audio is not None:
        parts.append(_recording(audio))
    parts += [
        '<section id="timeline-section">\n<h2>Timeline</h2>\n',
        render_timeline(page),
        "</section>\n",
        _latency_table(page),
        _transcript(page),
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def _summary(page: CallPage) -> str:
    spoken = [t for t in page.turns if t.number and not t.ignored]
    barge_ins = sum(1 for m in page.marks if m.kind == "barge_in")
    facts = [
        "voice call" if page.voice else "text call",
        f"{page.duration_s:.1f} s",
        _plural(len(spoken), "caller turn"),
        _plural(len(page.tools), "tool call"),
        _plural(barge_ins, "barge-in"),
    ]
    if page.ended:
        facts.append(f"ended: {page.ended}")
    return (
        f'<p id="summary" data-turns="{len(spoken)}" data-tools="{len(page.tools)}" '
        f'data-barge-ins="{barge_ins}">{escape(" · ".join(facts))}</p>\n'
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _recording(audio: bytes) -> str:
    data = base64.b64encode(audio).decode("ascii")
    return (
        '<section id="recording">\n<h2>Recording</h2>\n'
        f'<audio id="call-audio" data-kind="recording" controls preload="metadata" '
        f'src="data:audio/wav;base64,{data}"></audio>\n</section>\n'
    )


_METRICS = (
    ("first_sound", "first sound", "first_sound_s"),
    ("filler", "filler", "filler_s"),
    ("answer", "answer", "answer_s"),
    ("dead_air", "longest silence", "dead_air_s"),
)
"""(data-metric, column heading, `Latency` field)."""


def _latency_table(page: CallPage) -> str:
    since = "stopped speaking" if page.voice else "sent the line"
    # a text call has no sound: its first "sound" is the first line the agent sent
    labels = [label if page.voice else label.replace("sound", "line") for _, label, _ in _METRICS]
    head = "".join(f"<th>{label}</th>" for label in labels)
    rows = [
        f'<tr data-kind="latency" data-turn="{t.number}"><td class="num">{t.number}</td>'
        f"<td>{escape(t.caller)}</td>{_latency_cells(t.latency)}</tr>\n"
        for t in page.turns
        if t.number and not t.ignored
    ]
    return (
        '<section id="latency">\n<h2>Latency per turn</h2>\n'
        f"<p>Seconds from the moment the caller {since} to the agent's first sound, its first "
        "filler, and the answer (the first line that is not filler).</p>\n"
        f"<table>\n<thead><tr><th>turn</th><th>caller</th>{head}</tr></thead>\n"
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n</section>\n"
    )


def _latency_cells(latency: Latency) -> str:
    cells = []
    for metric, _, field in _METRICS:
        value = getattr(latency, field)
        shown = "–" if value is None else f"{value:.2f}"
        data = "" if value is None else f' data-value="{value:.3f}"'
        cells.append(f'<td class="num" data-metric="{metric}"{data}>{shown}</td>')
    return "".join(cells)


def _transcript(page: CallPage) -> str:
    bodies = "".join(_turn_rows(turn) for turn in page.turns if turn.lines)
    return (
        '<section id="transcript">\n<h2>Transcript</h2>\n<table>\n'
        "<thead><tr><th>time</th><th>who</th><th>what</th><th>note</th></tr></thead>\n"
        f"{bodies}</table>\n</section>\n"
    )


def _turn_rows(turn: Turn) -> str:
    rows = "".join(_row(line, turn.number) for line in turn.lines)
    return f'<tbody class="turn" data-kind="turn" data-turn="{turn.number}">\n{rows}</tbody>\n'


def _row(line: Line, turn: int) -> str:
    at = "–" if line.at_s is None else f"{line.at_s:.2f}"
    what = escape(line.text) if line.tool is None else _tool_cell(line.tool)
    return (
        f'<tr data-kind="{line.kind}" data-turn="{turn}"><td class="num">{at}</td>'
        f'<td class="who">{_WHO[line.kind]}</td><td>{what}</td>'
        f'<td class="note">{escape(line.note)}</td></tr>\n'
    )


def _tool_cell(span: ToolSpan) -> str:
    result = "" if span.ok is None else f"<div>result</div>{_json(span.result, 'result')}"
    return (
        f'<details open data-kind="tool-detail" data-name="{escape(span.name)}">'
        f"<summary>{escape(span.name)}</summary>"
        f"<div>arguments</div>{_json(span.arguments, 'arguments')}{result}</details>"
    )


def _json(value: Any, part: str) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return f'<pre data-part="{part}">{escape(text)}</pre>'
