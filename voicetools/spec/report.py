"""Reporters: turn `LintResult`s into text for people, CI annotations or machines.

Each reporter is a small object with one method, `render(results) -> str`, so the linter never
knows how it is shown (check-jsonschema's `CheckResult` + `Reporter` split). No colour here:
the text reporter takes an optional `style(role, text)` callable, which `voicetools.cli.render`
supplies when the terminal wants colour. Formats:

text    `path:line:col: CODE severity message (hint)` per finding, then one summary line
        `N errors, M warnings in K files`.
json    one object, documented by `JSON_REPORT_SCHEMA` below; fields are only ever added.
github  GitHub Actions workflow commands, `::error file=...,line=...,col=...,title=CODE::message`.
sarif   SARIF 2.1.0, for GitHub code scanning and other SARIF viewers (see `voicetools.spec.sarif`).

Scenario files (`LintResult.kind == "scenario"`) are not agent files; reporters leave them out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from voicetools import __version__
from voicetools.spec.lint import (
    Finding,
    LintResult,
    Severity,
    agent_results,
    catalog,
    iter_findings,
)

Style = Callable[[str, str], str]
"""`style(role, text)`: roles are error, warning, info, code, path, hint, summary."""

FORMATS = ("text", "json", "github", "sarif")


class Reporter(Protocol):
    def render(self, results: Sequence[LintResult]) -> str:
        """The whole report, ending with a newline (or empty when there is nothing to say)."""
        ...


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(results: Sequence[LintResult]) -> str:
    """`N errors, M warnings in K files`, plus notes and suppressions when there are any."""
    agents = agent_results(results)
    errors = sum(r.errors for r in agents)
    warnings = sum(r.warnings for r in agents)
    infos = sum(f.severity is Severity.INFO for r in agents for f in r.findings)
    suppressed = sum(r.suppressed for r in agents)
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if infos:
        parts.append(_plural(infos, "note"))
    line = f"{', '.join(parts)} in {_plural(len(agents), 'file')}"
    if suppressed:
        line += f" ({suppressed} suppressed)"
    return line


def _plain(role: str, text: str) -> str:
    return text


class TextReporter:
    """One line per finding, editors and terminals turn `path:line:col` into links."""

    def __init__(self, style: Style | None = None, *, summary: bool = True) -> None:
        self.style = style or _plain
        self.summary = summary

    def line(self, finding: Finding) -> str:
        s = self.style
        where = s("path", str(finding.location))
        level = finding.severity.value
        text = f"{where}: {s('code', finding.code)} {s(level, level)}"
        text += f" {finding.message}"
        if finding.hint:
            text += " " + s("hint", f"({finding.hint})")
        return text

    def render(self, results: Sequence[LintResult]) -> str:
        lines = [self.line(f) for _, f in iter_findings(results)]
        if self.summary:
            lines.append(self.style("summary", summary_line(results)))
        return "".join(f"{line}\n" for line in lines)


JSON_REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "voicetools validate --format json",
    "type": "object",
    "required": ["schema_version", "tool", "summary", "files", "findings"],
    "properties": {
        "schema_version": {"const": 1},
        "tool": {
            "type": "object",
            "required": ["name", "version"],
            "properties": {"name": {"const": "voicetools"}, "version": {"type": "string"}},
        },
        "summary": {
            "type": "object",
            "required": ["files", "errors", "warnings", "notes", "suppressed"],
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "errors", "warnings", "suppressed"],
                "properties": {"path": {"type": "string"}},
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "line", "col", "code", "name", "severity", "message", "hint"],
                "properties": {
                    "path": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "col": {"type": "integer", "minimum": 1},
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "severity": {"enum": [s.value for s in Severity]},
                    "message": {"type": "string"},
                    "hint": {"type": ["string", "null"]},
                },
            },
        },
    },
}
"""The shape of `--format json`: a flat `findings` list (easy for jq) plus per-file counts."""


class JsonReporter:
    """Machine-readable; the structure is `JSON_REPORT_SCHEMA` and only ever grows."""

    def render(self, results: Sequence[LintResult]) -> str:
        agents = agent_results(results)
        codes = catalog()
        findings = [
            {
                "path": f.location.path,
                "line": f.location.line,
                "col": f.location.col,
                "code": f.code,
                "name": codes[f.code].name if f.code in codes else "",
                "severity": f.severity.value,
                "message": f.message,
                "hint": f.hint,
            }
            for _, f in iter_findings(results)
        ]
        report = {
            "schema_version": 1,
            "tool": {"name": "voicetools", "version": __version__},
            "summary": {
                "files": len(agents),
                "errors": sum(r.errors for r in agents),
                "warnings": sum(r.warnings for r in agents),
                "notes": sum(f["severity"] == "info" for f in findings),
                "suppressed": sum(r.suppressed for r in agents),
            },
            "files": [
                {
                    "path": r.path,
                    "errors": r.errors,
                    "warnings": r.warnings,
                    "suppressed": r.suppressed,
                }
                for r in agents
            ],
            "findings": findings,
        }
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions annotations: each finding shows up on the pull request's diff."""

    def render(self, results: Sequence[LintResult]) -> str:
        lines = []
        for _, f in iter_findings(results):
            props = ",".join(
                [
                    f"file={_gh_property(f.location.path)}",
                    f"line={f.location.line}",
                    f"col={f.location.col}",
                    f"title={_gh_property(f.code)}",
                ]
            )
            message = f"{f.message} ({f.hint})" if f.hint else f.message
            lines.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_gh_data(message)}\n")
        return "".join(lines)


def make_reporter(fmt: str, style: Style | None = None) -> Reporter:
    """The reporter for `--format`; ValueError for an unknown format."""
    if fmt == "text":
        return TextReporter(style)
    if fmt == "json":
        return JsonReporter()
    if fmt == "github":
        return GithubReporter()
    if fmt == "sarif":
        from voicetools.spec.sarif import SarifReporter

        return SarifReporter()
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
