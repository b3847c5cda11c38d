"""The timeline of a report page: one lane per side of the call, drawn with positioned divs.

Positions are percentages of a track whose width in pixels grows with the call (`SCALE_PX`
per second), so a long call scrolls sideways instead of squeezing its words into slivers.
Every element carries `data-kind`, `data-turn`, `data-start` and `data-end`, which is what the
tests (and the browser test) count; the text is only in a tooltip (`title`) and as a label.
"""

from __future__ import annotations

from html import escape
from math import ceil

from voicetools.report.model import CallPage, Mark, Speech, ToolSpan

SCALE_PX = 40.0
"""Pixels per second of call while the track stays under `MAX_TRACK_PX`."""
MIN_TRACK_PX = 720.0
MAX_TRACK_PX = 24_000.0
"""Browsers draw wider elements, but nobody scrolls through more than this."""
_TICKS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800)
_MIN_TICK_PX = 60.0
_MAX_TICKS = 400

LANES = (("caller", "caller"), ("agent", "agent"), ("tools", "tools"), ("events", "events"))
"""(data-lane, label) in the order drawn."""


def render_timeline(page: CallPage) -> str:
    """The `<div id="timeline">` block: the axis, then the lanes, inside a scrolling frame."""
    width = min(MAX_TRACK_PX, max(MIN_TRACK_PX, page.duration_s * SCALE_PX))
    contents = {
        "caller": [_speech(s, page) for s in page.speech if s.kind == "caller"],
        "agent": [_speech(s, page) for s in page.speech if s.kind != "caller"],
        "tools": [_tool(t, page) for t in page.tools],
        "events": [_mark(m, page) for m in page.marks],
    }
    lanes = [_lane("axis", "", _ticks(page.duration_s, width), width, css="lane axis")]
    lanes += [_lane(lane, label, contents[lane], width) for lane, label in LANES]
    legend = "".join(
        f'<span><i class="{kind}"></i>{label}</span>'
        for kind, label in (
            ("caller", "caller"),
            ("agent", "agent"),
            ("filler", "filler / keep-alive"),
            ("tool", "tool call"),
            ("barge_in", "barge-in"),
        )
    )
    return (
        f'<div id="timeline" data-duration="{page.duration_s:.3f}">\n'
        f'<div class="scroll">\n{"".join(lanes)}</div>\n'
        f'<p class="legend">{legend}</p>\n</div>\n'
    )


def _lane(lane: str, label: str, items: list[str], width: float, css: str = "lane") -> str:
    inside = "".join(items)
    return (
        f'<div class="{css}" data-lane="{lane}"><span class="lane-name">{escape(label)}</span>'
        f'<div class="track" style="width:{width:.0f}px">{inside}</div></div>\n'
    )


def _at(seconds: float, page: CallPage) -> float:
    """A time as a percentage of the track."""
    return max(0.0, min(100.0, 100.0 * seconds / page.duration_s))


def _box(kind: str, start: float, end: float, page: CallPage, turn: int, extra: str = "") -> str:
    """The opening tag of a positioned span from `start` to `end` seconds."""
    left, right = _at(start, page), _at(end, page)
    point = " point" if end <= start else ""
    return (
        f'<div class="span{point}{extra}" data-kind="{kind}" data-turn="{turn}" '
        f'data-start="{start:.3f}" data-end="{end:.3f}" '
        f'style="left:{left:.3f}%;width:{right - left:.3f}%"'
    )


def _speech(speech: Speech, page: CallPage) -> str:
    extra = " cut" if speech.interrupted else ""
    extra += "" if speech.text else " ignored"  # a sound the voice loop found no words in
    text = speech.text or "(no words)"
    tag = _box(speech.kind, speech.start_s, speech.end_s, page, speech.turn, extra)
    label = escape(text) if speech.end_s > speech.start_s else ""  # a point has no room
    return f'{tag} title="{escape(text)}">{label}</div>'


def _tool(span: ToolSpan, page: CallPage) -> str:
    finished = span.end_s is not None
    end = span.end_s if span.end_s is not None else span.start_s
    state = "" if span.ok is None else f' data-ok="{str(span.ok).lower()}"'
    tag = _box("tool", span.start_s, end, page, span.turn, "" if finished else " open")
    took = f"{end - span.start_s:.2f} s" if finished else "no result"
    label = f"{span.name} ({took})"
    shown = escape(label) if end > span.start_s else ""
    return f'{tag} data-name="{escape(span.name)}"{state} title="{escape(label)}">{shown}</div>'


def _mark(mark: Mark, page: CallPage) -> str:
    left = _at(mark.at_s, page)
    return (
        f'<div class="mark" data-kind="{mark.kind}" data-turn="{mark.turn}" '
        f'data-start="{mark.at_s:.3f}" data-end="{mark.at_s:.3f}" style="left:{left:.3f}%" '
        f'title="{escape(mark.text)}"><span class="mark-label">{escape(_short(mark))}</span></div>'
    )


def _short(mark: Mark) -> str:
    return {"barge_in": "barge-in", "ignored": "ignored", "end": "end"}.get(mark.kind, mark.kind)


def _ticks(duration_s: float, width_px: float) -> list[str]:
    """Axis labels at a round step that leaves room for each label."""
    step = next((s for s in _TICKS if s * width_px / duration_s >= _MIN_TICK_PX), _TICKS[-1])
    step = max(step, ceil(duration_s / _MAX_TICKS))  # a transcript claiming a years-long call
    count = int(duration_s // step) + 1
    return [
        f'<span class="tick" data-kind="tick" style="left:{100.0 * i * step / duration_s:.3f}%">'
        f"{_clock(i * step)}</span>"
        for i in range(count)
    ]


def _clock(seconds: float) -> str:
    """`12 s`, `1:05`: an axis label."""
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60}:{whole % 60:02d}"
