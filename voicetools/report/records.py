"""Read a `--transcript` file back: one JSON object per line, each checked before it is used.

The file is the one `voicetools chat` or `call` wrote (`runtime.transcript`), but it is still
a file the user names, so it is read like every other (`files.read_bounded_text`: regular
files only, capped) and a line that is not a record stops the reading with one
`file:line:col: message`. Records of a type this version does not know are kept and left
alone, so a newer transcript still makes a page. Blank lines are skipped.
"""

from __future__ import annotations

import json
from math import isfinite
from pathlib import Path
from typing import Any

from voicetools.errors import Location, SpecError
from voicetools.files import TRANSCRIPT_FILE_CAP, read_bounded_text

Record = dict[str, Any]
"""One transcript line: `type`, usually `t` (seconds since the call started), and its fields."""

_TEXT, _NUMBER, _TIME, _FLAG, _OBJECT = "text", "number", "time", "flag", "object"
_SHOULD = {
    _TEXT: "a string",
    _NUMBER: "a number",
    _TIME: "a number of seconds or null",
    _FLAG: "true or false",
    _OBJECT: "a JSON object",
}

_REQUIRED: dict[str, dict[str, str]] = {
    "user": {"text": _TEXT},
    "agent": {"text": _TEXT},
    "filler": {"text": _TEXT},
    "tool_call": {"name": _TEXT},
    "tool_result": {"name": _TEXT},
    "error": {"message": _TEXT},
}
"""The fields a page cannot be drawn without, per record type."""

_OPTIONAL: dict[str, str] = {
    "t": _NUMBER,
    "speech_start": _NUMBER,
    "speech_end": _NUMBER,
    "audio_start": _TIME,
    "audio_end": _TIME,
    "interrupted": _FLAG,
    "silent": _FLAG,
    "heard": _TEXT,
    "role": _TEXT,
    "call_id": _TEXT,
    "ok": _FLAG,
    "duration_ms": _NUMBER,
    "reason": _TEXT,
    "kind": _TEXT,
    "latency": _OBJECT,
}
"""Fields that, when a record has them, must have this shape (whatever the record's type)."""


def read_transcript(path: str | Path) -> list[Record]:
    """Every record of the transcript at `path`; `SpecError` at the first line that is not one."""
    shown = str(path)
    text = read_bounded_text(path, TRANSCRIPT_FILE_CAP, "a transcript")
    records = [
        parse_line(line, Location(shown, number, 1))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    if not records:
        raise SpecError(
            "the file has no records; a transcript is what `--transcript FILE` writes",
            Location(shown, 1, 1),
        )
    return records


def parse_line(line: str, where: Location) -> Record:
    """One record from one line; `where` is the line's start (its column is replaced)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _error(where, exc.colno, f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        found = type(data).__name__ if data is not None else "null"
        raise _error(where, 1, f"a transcript record is a JSON object, not {found}")
    kind = data.get("type")
    if not isinstance(kind, str):
        raise _error(where, _column(line, "type"), 'the record has no "type" string')
    for name, shape in (*_REQUIRED.get(kind, {}).items(), *_OPTIONAL.items()):
        if name not in data:
            if name in _REQUIRED.get(kind, {}):
                raise _error(where, 1, f'a "{kind}" record needs "{name}" ({_SHOULD[shape]})')
            continue
        if not _fits(data[name], shape):
            shown = json.dumps(data[name], ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            message = f'"{name}" must be {_SHOULD[shape]}, not {shown}'
            raise _error(where, _column(line, name), message)
    return data


def _fits(value: Any, shape: str) -> bool:
    # Python's JSON reader takes NaN and Infinity, which no time on a page can be
    number = isinstance(value, int | float) and not isinstance(value, bool) and isfinite(value)
    if shape == _NUMBER:
        return number
    if shape == _TIME:
        return number or value is None
    if shape == _FLAG:
        return isinstance(value, bool)
    if shape == _OBJECT:
        return isinstance(value, dict)
    return isinstance(value, str)


def _column(line: str, name: str) -> int:
    """The 1-based column of key `name` in `line` (1 if it is not written plainly)."""
    # the key followed by its colon, so a value that happens to read "t" is not taken for it
    return line.find(json.dumps(name) + ":") + 1 or 1


def _error(where: Location, col: int, message: str) -> SpecError:
    return SpecError(message, Location(where.path, where.line, max(1, col)))
