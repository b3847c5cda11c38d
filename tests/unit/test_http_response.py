"""The extraction path syntax and what the model is given from a response body."""

from __future__ import annotations

import pytest

from voicetools.tools.extract import ExtractError, extract, parse_path
from voicetools.tools.response import Body, shape

DATA = {"data": {"items": [{"status": "shipped"}, {"status": "late"}]}, "n": 0}


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("a", ("a",)),
        ("a.b[0].c", ("a", "b", 0, "c")),
        ("[0].x", (0, "x")),
        ("a[0][-1]", ("a", 0, -1)),
    ],
)
def test_paths_parse(path: str, steps: tuple[str | int, ...]) -> None:
    assert parse_path(path) == steps


@pytest.mark.parametrize("path", ["", ".a", "a.", "a..b", "a.[0]", "a[0]b", "a[x]", "a[0"])
def test_malformed_paths_are_refused(path: str) -> None:
    with pytest.raises(ExtractError):
        parse_path(path)


def test_extract_walks_dicts_and_lists() -> None:
    assert extract(DATA, "data.items[1].status") == "late"
    assert extract(DATA, "data.items[-1]") == {"status": "late"}
    assert extract(DATA, "n") == 0


@pytest.mark.parametrize("path", ["data.items[2]", "data.nope", "n.x", "data[0]"])
def test_missing_paths_say_where_they_stopped(path: str) -> None:
    with pytest.raises(ExtractError, match="No "):
        extract(DATA, path)


def body(data: bytes, content_type: str = "application/json", complete: bool = True) -> Body:
    return Body(data, complete, len(data) if complete else 10_000, content_type)


def test_json_is_parsed_and_extracted() -> None:
    assert shape(body(b'{"a": [1, 2]}'), 100) == ({"a": [1, 2]}, [])
    assert shape(body(b'{"a": [1, 2]}'), 100, "a[1]")[0] == 2
    assert shape(body(b"[1]", "text/plain"), 100)[0] == [1]  # looks like JSON


def test_pretty_json_over_the_cap_is_kept_when_compact_fits() -> None:
    pretty = b"{\n" + b" " * 500 + b'"a": 1\n}'
    assert shape(body(pretty), 64)[0] == {"a": 1}


def test_oversized_json_gets_a_marker() -> None:
    payload, notes = shape(body(b'{"a": "' + b"x" * 500 + b'"}'), 64)
    assert payload["truncated"] is True and payload["total_bytes"] == 508  # compact
    assert len(payload["partial"].encode()) <= 64 and notes


def test_text_is_cut_on_a_character_boundary() -> None:
    text = ("é" * 100).encode()
    payload, _ = shape(body(text, "text/plain"), 11)
    assert payload == "é" * 5 + "…[truncated 190 bytes]"


def test_incomplete_bodies_are_marked() -> None:
    payload, _ = shape(body(b"abc", "text/plain", complete=False), 64)
    assert payload == "abc…[truncated 9997 bytes]"
    partial_json, _ = shape(body(b'{"a": ', complete=False), 64)
    assert partial_json["truncated"] is True


def test_invalid_json_and_empty_bodies() -> None:
    payload, notes = shape(body(b"{oops"), 64)
    assert payload == "{oops" and "did not parse" in notes[0]
    with pytest.raises(ExtractError):
        shape(body(b"{oops"), 64, "a")
    assert shape(body(b""), 64)[0] == {"ok": True}
