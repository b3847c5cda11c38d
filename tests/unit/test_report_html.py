"""The report page, parsed back with `html.parser`: its structure, escaping, and that it is one
file that loads nothing from anywhere."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from voicetools.report import build_page, read_transcript, render_page

DATA = Path(__file__).resolve().parents[1] / "data" / "report"
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> & co'


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        return "".join(self.text)


class Tree(HTMLParser):
    """Every element with its attributes and all the text inside it."""

    VOID = {"meta", "img", "br", "hr", "input", "link", "source"}

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text.append(data)

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag) and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]


def page_of(path: Path, audio: bytes | None = None) -> Tree:
    return Tree(render_page(build_page(read_transcript(path), path.name), audio))


def test_the_voice_call_page_has_a_row_per_turn_and_a_span_per_thing_heard() -> None:
    tree = page_of(DATA / "voice_call.jsonl")
    assert len(tree.find("tbody", data_kind="turn")) == 6
    latency_rows = tree.find("tr", data_kind="latency")
    assert [e.attrs["data-turn"] for e in latency_rows] == ["1", "2", "3", "5"]
    assert len(tree.find("div", data_kind="caller")) == 5  # four turns and the ignored sound
    assert len(tree.find("div", data_kind="agent")) == 6  # the line never heard has no span
    assert len(tree.find("div", data_kind="filler")) == 1
    tools = tree.find("div", data_kind="tool")
    assert [(t.attrs["data-name"], t.attrs["data-ok"]) for t in tools] == [
        ("get_order_status", "true"),
        ("end_call", "true"),
    ]
    assert (tools[0].attrs["data-start"], tools[0].attrs["data-end"]) == ("6.020", "8.030")
    (barge,) = tree.find("div", data_kind="barge_in")
    assert barge.attrs["data-turn"] == "2" and barge.attrs["data-start"] == "20.576"
    assert len(tree.find("div", class_="span cut")) == 1
    (summary,) = tree.find("p", id="summary")
    assert summary.attrs["data-turns"] == "4" and summary.attrs["data-barge-ins"] == "1"
    answer = tree.find("td", data_metric="answer")
    assert [a.attrs.get("data-value") for a in answer] == ["2.526", "0.512", "0.518", "2.516"]
    assert tree.find("audio") == []


def test_tool_arguments_and_results_are_shown_with_the_call() -> None:
    tree = page_of(DATA / "text_call.jsonl")
    details = tree.find("details", data_kind="tool-detail")
    assert [d.attrs["data-name"] for d in details] == [
        "get_order_status",
        "create_support_ticket",
        "create_support_ticket",
        "end_call",
    ]
    arguments = tree.find("pre", data_part="arguments")
    assert '"order_id": "4521"' in arguments[0].content
    results = tree.find("pre", data_part="result")
    assert '"category": "permission"' in results[2].content
    (refused,) = tree.find("div", data_kind="tool", data_ok="false")
    assert refused.attrs["data-name"] == "create_support_ticket"


def _hostile_records() -> list[dict[str, Any]]:
    return [
        {"type": "user", "text": HOSTILE, "t": 0.0},
        {"type": "tool_call", "call_id": "c", "name": "note", "arguments": {"x": HOSTILE}, "t": 1},
        {
            "type": "tool_result",
            "call_id": "c",
            "name": "note",
            "result": HOSTILE,
            "ok": True,
            "t": 2,
        },  # fmt: skip
        {"type": "agent", "text": f"You said {HOSTILE}", "t": 3.0},
    ]


def test_caller_text_stays_text_wherever_it_is_shown() -> None:
    page = render_page(build_page(_hostile_records(), f"call {HOSTILE}"))
    tree = Tree(page)
    assert tree.find("script") == [] and tree.find("img") == []
    assert "<script>alert" not in page and "<img" not in page
    (caller_row,) = tree.find("tr", data_kind="caller")
    assert HOSTILE in caller_row.content
    (caller_span,) = tree.find("div", data_kind="caller")
    assert caller_span.attrs["title"] == HOSTILE  # an attribute value, whole, not broken out of
    (title,) = tree.find("title")
    assert title.content == f"Call report: call {HOSTILE}"
    as_json = json.dumps(HOSTILE)  # shown as the JSON it is, quotes escaped the JSON way
    assert as_json in tree.find("pre", data_part="arguments")[0].content
    assert as_json in tree.find("pre", data_part="result")[0].content


def test_the_page_is_self_contained_and_allows_no_script() -> None:
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24)
    tree = page_of(DATA / "voice_call.jsonl", audio=wav)
    addresses = [
        value for e in tree.elements for k, value in e.attrs.items() if k in ("src", "href")
    ]
    assert addresses and all(a.startswith("data:") for a in addresses)
    assert tree.find("link") == [] and tree.find("script") == [] and tree.find("iframe") == []
    (policy,) = tree.find("meta", http_equiv="Content-Security-Policy")
    assert "default-src 'none'" in policy.attrs["content"]
    assert "script-src" not in policy.attrs["content"]  # so scripts fall under 'none'
    (audio,) = tree.find("audio", data_kind="recording")
    prefix = "data:audio/wav;base64,"
    assert audio.attrs["src"].startswith(prefix) and "controls" in audio.attrs
    assert base64.b64decode(audio.attrs["src"][len(prefix) :]) == wav
    assert len(tree.find("style")) == 1


def test_a_transcript_claiming_a_years_long_call_still_draws_a_bounded_axis() -> None:
    records = [
        {"type": "user", "text": "hello", "t": 0.0},
        {"type": "agent", "text": "Hi.", "t": 1e9},
        {"type": "stats", "latency": {"dead_air_s": "long"}},  # not a number: left out
    ]
    tree = Tree(render_page(build_page(records, "day")))
    assert len(tree.find("span", class_="tick")) == 401
    (track,) = {e.attrs["style"] for e in tree.find("div", class_="track")}
    assert track == "width:24000px"
    (dead_air,) = tree.find("td", data_metric="dead_air")
    assert "data-value" not in dead_air.attrs and dead_air.content == "–"
