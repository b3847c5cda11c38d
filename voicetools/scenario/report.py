"""Reporters for scenario results: text for people, JSON for scripts, JUnit XML for CI.

Each is a function from results to one string, kept apart from running.

* text: one line per scenario (✓/✗, file › name, seconds), each failure indented under it
  with the turn's transcript, then a summary line.
* json: `{"summary": {...}, "files": [{"path", "scenarios": [ScenarioResult.to_json()]}]}`.
* junit: a `<testsuite>` per file, a `<testcase>` per scenario; a failed expectation is a
  `<failure>` whose message is the first failure and whose text is every failure plus the
  transcript; a scenario that could not run (model error) is an `<error>`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

from voicetools.scenario.results import ScenarioResult, Summary, TurnResult, by_file

Style = Callable[[str, str], str]
"""`style(role, text)`: colour for a terminal (voicetools.cli.render.text_style)."""
FORMATS = ("text", "json", "junit")


def _plain(role: str, text: str) -> str:
    return text


def transcript_lines(turn: TurnResult) -> list[str]:
    """The turn as a reader wants it: who said what, which tool ran with what."""
    lines = []
    for event in turn.transcript:
        kind = event.get("type")
        if kind == "user":
            lines.append(f"caller: {event.get('text', '')}")
        elif kind in ("agent", "filler"):
            role = event.get("role") or kind
            who = "agent" if role == "agent" else f"agent ({role})"
            lines.append(f"{who}: {event.get('text', '')}")
        elif kind == "tool_call":
            arguments = json.dumps(event.get("arguments", {}), ensure_ascii=False)
            lines.append(f"call: {event.get('name')} {arguments}")
        elif kind == "tool_result":
            result = json.dumps(event.get("result"), ensure_ascii=False)
            lines.append(f"result: {event.get('name')} -> {result[:300]}")
        elif kind == "end":
            lines.append(f"call ended ({event.get('reason')})")
    return lines


def failure_text(result: ScenarioResult) -> str:
    """Every failure of a scenario under its turn, then the failing turn's transcript."""
    lines = []
    for turn in result.turns:
        if turn.failures:
            lines.append(f'turn {turn.index + 1} (line {turn.line}): caller said "{turn.user}"')
            lines += [f"  {failure}" for failure in turn.failures]
            lines.append(f"transcript of turn {turn.index + 1}:")
            lines += [f"  {line}" for line in transcript_lines(turn)]
    if result.error:
        lines.append(f"error: {result.error}")
    if result.skipped_turns:
        lines.append(f"{result.skipped_turns} later turn(s) not run")
    return "\n".join(lines)


def scenario_lines(result: ScenarioResult, style: Style | None = None) -> list[str]:
    """The text report's lines for one scenario (printed as soon as it has run)."""
    paint = style or _plain
    mark = paint("info", "✓") if result.passed else paint("error", "✗")
    lines = [f"{mark} {result.file} › {result.name} ({result.duration_s:.1f} s)"]
    if not result.passed:
        lines += [f"    {line}" for line in failure_text(result).splitlines()]
    return lines


def summary_line(
    results: Sequence[ScenarioResult], duration_s: float, style: Style | None = None
) -> str:
    summary = Summary.of(results, duration_s)
    words = f"{summary.passed} passed, {summary.failed} failed in {summary.duration_s:.1f} s"
    return (style or _plain)("summary", words)


def render_text(
    results: Sequence[ScenarioResult], duration_s: float, style: Style | None = None
) -> str:
    out = [line for result in results for line in scenario_lines(result, style)]
    out.append(summary_line(results, duration_s, style))
    return "\n".join(out) + "\n"


def render_json(results: Sequence[ScenarioResult], duration_s: float) -> str:
    summary = Summary.of(results, duration_s)
    data: dict[str, Any] = {
        "summary": {
            "passed": summary.passed,
            "failed": summary.failed,
            "duration_s": round(duration_s, 3),
        },
        "files": [
            {"path": path, "scenarios": [r.to_json() for r in group]}
            for path, group in by_file(results).items()
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_junit(results: Sequence[ScenarioResult], duration_s: float) -> str:
    root = ET.Element("testsuites", _counts(results))
    root.set("time", f"{duration_s:.3f}")
    for path, group in by_file(results).items():
        suite = ET.SubElement(root, "testsuite", {"name": path, **_counts(group)})
        suite.set("time", f"{sum(r.duration_s for r in group):.3f}")
        for result in group:
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "classname": path,
                    "name": result.name,
                    "file": path,
                    "line": str(result.line),
                    "time": f"{result.duration_s:.3f}",
                },
            )
            if result.passed:
                continue
            tag = "error" if result.error and all(t.passed for t in result.turns) else "failure"
            first = result.failures[0] if result.failures else "failed"
            node = ET.SubElement(case, tag, {"message": first})
            node.text = failure_text(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _counts(results: Sequence[ScenarioResult]) -> dict[str, str]:
    errors = sum(bool(r.error) and all(t.passed for t in r.turns) for r in results)
    failures = sum(not r.passed for r in results) - errors
    return {"tests": str(len(results)), "failures": str(failures), "errors": str(errors)}


def render(
    fmt: str, results: Sequence[ScenarioResult], duration_s: float, style: Style | None = None
) -> str:
    """The report in `fmt` ("text", "json" or "junit")."""
    if fmt == "json":
        return render_json(results, duration_s)
    if fmt == "junit":
        return render_junit(results, duration_s)
    return render_text(results, duration_s, style)
