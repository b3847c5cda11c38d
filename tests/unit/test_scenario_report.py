"""Reporters: text for people, JSON that loads, JUnit XML that parses."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from voicetools.scenario.report import render, render_junit, render_text
from voicetools.scenario.results import ScenarioResult, TurnResult

TRANSCRIPT = (
    {"type": "user", "text": "Where is order 4521?"},
    {"type": "agent", "text": "It is pending."},
    {"type": "stats"},
)
PASSED = ScenarioResult("a.yaml", "greets", 3, (TurnResult(0, "hi", 5),), 1.25)
FAILED = ScenarioResult(
    "a.yaml",
    "looks up",
    9,
    (
        TurnResult(
            0,
            "Where is order 4521?",
            12,
            ('expected call get_order_status {order_id: "4521"}, got: no call',),
            TRANSCRIPT,
        ),
    ),
    2.5,
    skipped_turns=1,
)
BROKEN = ScenarioResult("b.yaml", "model gone", 4, (), 0.1, error="llama.cpp: out of memory")
RESULTS = [PASSED, FAILED, BROKEN]


def test_text_shows_one_line_per_scenario_and_the_diffs() -> None:
    text = render_text(RESULTS, 3.9)
    assert text.splitlines() == [
        "✓ a.yaml › greets (1.2 s)",
        "✗ a.yaml › looks up (2.5 s)",
        '    turn 1 (line 12): caller said "Where is order 4521?"',
        '      expected call get_order_status {order_id: "4521"}, got: no call',
        "    transcript of turn 1:",
        "      caller: Where is order 4521?",
        "      agent: It is pending.",
        "    1 later turn(s) not run",
        "✗ b.yaml › model gone (0.1 s)",
        "    error: llama.cpp: out of memory",
        "1 passed, 2 failed in 3.9 s",
    ]


def test_json_loads_and_groups_by_file() -> None:
    data = json.loads(render("json", RESULTS, 3.9))
    assert data["summary"] == {"passed": 1, "failed": 2, "duration_s": 3.9}
    assert [f["path"] for f in data["files"]] == ["a.yaml", "b.yaml"]
    looks_up = data["files"][0]["scenarios"][1]
    assert looks_up["passed"] is False and looks_up["turns"][0]["transcript"][1]["type"] == "agent"
    assert data["files"][1]["scenarios"][0]["error"] == "llama.cpp: out of memory"


def test_junit_has_a_suite_per_file_and_a_case_per_scenario() -> None:
    root = ET.fromstring(render_junit(RESULTS, 3.9))
    assert root.tag == "testsuites" and root.get("tests") == "3"
    suites = root.findall("testsuite")
    counts = [(s.get("name"), s.get("tests"), s.get("failures"), s.get("errors")) for s in suites]
    assert counts == [
        ("a.yaml", "2", "1", "0"),
        ("b.yaml", "1", "0", "1"),
    ]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["greets", "looks up"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message", "").endswith("got: no call")
    assert "caller: Where is order 4521?" in (failure.text or "")
    error = suites[1].find("testcase/error")
    assert error is not None and "out of memory" in error.get("message", "")
