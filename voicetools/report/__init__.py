"""`voicetools report`: one call as a self-contained HTML page.

    transcript records (records.py: read and checked, or handed over by `call`/`chat`)
      -> build.py build_page -> model.CallPage (turns, speech, tool spans, marks, latency)
      -> html_page.py render_page (timeline.py, page_style.py) -> one HTML file

`write_report` is what the commands use; the pieces are exported for tests and other tools.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voicetools.errors import Location, SpecError
from voicetools.files import REPORT_AUDIO_CAP, read_bounded
from voicetools.report.build import build_page
from voicetools.report.html_page import render_page
from voicetools.report.model import CallPage
from voicetools.report.records import Record, parse_line, read_transcript

__all__ = [
    "CallPage",
    "Record",
    "build_page",
    "parse_line",
    "read_audio",
    "read_transcript",
    "render_page",
    "write_report",
]


def read_audio(path: str | Path) -> bytes:
    """A WAV file's bytes, to embed; `SpecError` at `path:1:1` if it is not one."""
    data = read_bounded(path, REPORT_AUDIO_CAP, "a recording embedded in a report")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        # checked here, not left to the browser: a page with a silent, broken player says
        # nothing about why
        message = "cannot embed: not a WAV file (no RIFF/WAVE header)"
        raise SpecError(message, Location(str(path), 1, 1))
    return data


def write_report(
    records: Sequence[Record], output: str | Path, *, title: str, audio: bytes | None = None
) -> CallPage:
    """Build the page for `records` and write it to `output`; returns the page model."""
    page = build_page(records, title)
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_page(page, audio), encoding="utf-8")
    return page
