"""Reading a transcript back for `voicetools report`: good files, and every bad line as one
`file:line:col: message` (through the CLI too: exit 2, no traceback, no page written)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run_cli

from voicetools.errors import SpecError
from voicetools.report import read_transcript

DATA = Path(__file__).resolve().parents[1] / "data" / "report"


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "call.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_recorded_transcripts_read_whole() -> None:
    voice = read_transcript(DATA / "voice_call.jsonl")
    assert len(voice) == 24 and voice[0]["role"] == "greeting"
    assert {r["type"] for r in voice} >= {"barge_in", "ignored", "tool_call", "stats", "end"}
    assert len(read_transcript(DATA / "text_call.jsonl")) == 22


def test_blank_lines_are_skipped_and_unknown_types_kept(tmp_path: Path) -> None:
    path = _file(tmp_path, '{"type": "user", "text": "hi", "t": 0}', "", '{"type": "v2_thing"}')
    assert [r["type"] for r in read_transcript(path)] == ["user", "v2_thing"]


@pytest.mark.parametrize(
    ("line", "col", "message"),
    [
        ('{"type": "user", "text": "hi", "t": 1,}', 39, "not valid JSON (Expecting property name"),
        ('["user", "hi"]', 1, "a transcript record is a JSON object, not list"),
        ("null", 1, "a transcript record is a JSON object, not null"),
        ('{"text": "hi", "t": 1}', 1, 'the record has no "type" string'),
        ('{"type": 7, "text": "hi"}', 2, 'the record has no "type" string'),
        ('{"type": "user", "t": 1}', 1, 'a "user" record needs "text" (a string)'),
        ('{"type": "tool_call", "arguments": {}}', 1, 'a "tool_call" record needs "name"'),
        ('{"type": "user", "text": "t", "t": "soon"}', 31, '"t" must be a number, not "soon"'),
        ('{"type": "agent", "text": "x", "audio_start": true}', 32, '"audio_start" must be a'),
        ('{"type": "agent", "text": "x", "interrupted": 1}', 32, '"interrupted" must be true'),
        ('{"type": "stats", "latency": [1, 2]}', 19, '"latency" must be a JSON object'),
        ('{"type": "end", "reason": "hangup", "t": Infinity}', 37, '"t" must be a number, not'),
        ('{"type": "user", "text": "x", "t": NaN}', 31, '"t" must be a number, not NaN'),
    ],
)
def test_a_bad_line_is_one_located_error(tmp_path: Path, line: str, col: int, message: str) -> None:
    path = _file(tmp_path, '{"type": "agent", "text": "Hello!", "t": 0.0}', line)
    with pytest.raises(SpecError) as caught:
        read_transcript(path)
    assert str(caught.value).startswith(f"{path}:2:{col}: {message}"), str(caught.value)


def test_a_long_bad_value_is_cut_in_the_message(tmp_path: Path) -> None:
    path = _file(tmp_path, '{"type": "user", "text": ["' + "x" * 200 + '"]}')
    with pytest.raises(SpecError) as caught:
        read_transcript(path)
    shown = '["' + "x" * 35 + "..."
    assert str(caught.value) == f'{path}:1:18: "text" must be a string, not {shown}'


def test_an_empty_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r":1:1: the file has no records"):
        read_transcript(_file(tmp_path, "", "  "))
    with pytest.raises(SpecError, match=r":1:1: cannot read file: it is a directory"):
        read_transcript(tmp_path)


def test_the_command_reports_a_bad_line_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, '{"type": "user", "text": "hi", "t": 0}', "{not json")
    page = tmp_path / "call.html"
    result = run_cli("report", str(path), "-o", str(page))
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:2:2: not valid JSON (Expecting property name")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not page.exists()


def test_the_command_needs_an_output(tmp_path: Path) -> None:
    result = run_cli("report", str(DATA / "text_call.jsonl"))
    assert result.exit_code == 2 and "--output" in result.output
