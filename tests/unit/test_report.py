"""Reporters on hand-built results: escaping, plurals, URIs, scenario files left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicetools.errors import Location
from voicetools.spec.lint import Finding, LintResult, Severity
from voicetools.spec.report import (
    GithubReporter,
    JsonReporter,
    TextReporter,
    make_reporter,
    summary_line,
)
from voicetools.spec.sarif import SarifReporter, artifact_uri


def _finding(code: str = "S101", severity: Severity = Severity.ERROR, **kw: object) -> Finding:
    where = kw.pop("location", Location("a.yaml", 3, 5))
    return Finding(code, severity, str(kw.pop("message", "unknown field `x`")), where, **kw)  # type: ignore[arg-type]


def test_text_lines_and_summary_plurals() -> None:
    results = [
        LintResult("a.yaml", (_finding(hint="did you mean `y`?"),)),
        LintResult(
            "b.yaml",
            (_finding("Y103", Severity.WARNING, location=Location("b.yaml", 1, 1)),),
            suppressed=2,
        ),
        LintResult("c.test.yaml", (), kind="scenario"),
    ]
    text = TextReporter().render(results)
    assert text.splitlines() == [
        "a.yaml:3:5: S101 error unknown field `x` (did you mean `y`?)",
        "b.yaml:1:1: Y103 warning unknown field `x`",
        "1 error, 1 warning in 2 files (2 suppressed)",
    ]


def test_summary_counts_notes_only_when_present() -> None:
    assert summary_line([]) == "0 errors, 0 warnings in 0 files"
    note = LintResult("a.yaml", (_finding(severity=Severity.INFO),))
    assert summary_line([note]) == "0 errors, 0 warnings, 1 note in 1 file"


def test_text_style_hook_wraps_each_part() -> None:
    reporter = TextReporter(lambda role, text: f"<{role}>{text}</{role}>")
    line = reporter.line(_finding(hint="h"))
    assert (
        line == "<path>a.yaml:3:5</path>: <code>S101</code> <error>error</error> "
        "unknown field `x` <hint>(h)</hint>"
    )


def test_github_escapes_properties_and_data() -> None:
    odd = _finding(message="50% done\nnext line", location=Location("dir,1/a:b.yaml", 2, 3))
    line = GithubReporter().render([LintResult("x", (odd,))])
    assert (
        line == "::error file=dir%2C1/a%3Ab.yaml,line=2,col=3,title=S101::50%25 done%0Anext line\n"
    )
    info = GithubReporter().render([LintResult("x", (_finding(severity=Severity.INFO),))])
    assert info.startswith("::notice ")


def test_json_report_is_stable() -> None:
    report = json.loads(JsonReporter().render([LintResult("a.yaml", (_finding(),))]))
    assert report["findings"] == [
        {
            "path": "a.yaml",
            "line": 3,
            "col": 5,
            "code": "S101",
            "name": "unknown-field",
            "severity": "error",
            "message": "unknown field `x`",
            "hint": None,
        }
    ]
    assert report["files"] == [{"path": "a.yaml", "errors": 1, "warnings": 0, "suppressed": 0}]


def test_sarif_levels_and_uris(tmp_path: Path) -> None:
    absolute = tmp_path / "my agents" / "a.yaml"
    results = [
        LintResult(
            "x", (_finding("Y103", Severity.WARNING, location=Location(str(absolute), 1, 1)),)
        ),
        LintResult(
            "y", (_finding("NEW1", Severity.INFO, location=Location("sub dir/b.yaml", 4, 2)),)
        ),
    ]
    run = SarifReporter().document(results)["runs"][0]
    first, second = run["results"]
    assert first["level"] == "warning"
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == absolute.as_uri()
    assert second["level"] == "note" and "ruleIndex" not in second  # not in the catalogue
    assert (
        second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sub%20dir/b.yaml"
    )
    assert artifact_uri("./a.yaml") == "a.yaml"


def test_make_reporter_knows_every_format() -> None:
    for fmt in ("text", "json", "github", "sarif"):
        assert make_reporter(fmt).render([]) is not None
    with pytest.raises(ValueError, match="unknown format"):
        make_reporter("xml")
