"""Lint agent files: collect every finding, never stop at the first.

A rule is a function `(LintContext) -> Iterable[Finding]`, registered with `@rule` in a module
under `voicetools.spec.rules`. Its codes and default severities live in `CATALOG` (one place,
so `--select`, SARIF metadata and the docs agree), in `voicetools.spec.findings`, which the rules
import, so this module may import the rules without a cycle. Reporters live in
`voicetools.spec.report`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from voicetools.errors import Location, SpecError
from voicetools.spec.build import build_agent
from voicetools.spec.findings import (
    ALWAYS_REPORTED,
    CATALOG,
    RULES,
    Finding,
    LintConfig,
    LintContext,
    LintResult,
    RuleInfo,
    Severity,
    declare,
    rule,
)
from voicetools.spec.load import Document, read_document

__all__ = [
    "ALWAYS_REPORTED", "CATALOG", "Finding", "LintConfig", "LintContext", "LintResult",
    "RuleInfo", "Severity", "agent_results", "catalog", "declare", "expand_paths",
    "is_scenario", "iter_findings", "lint_document", "lint_file", "rule",
]  # fmt: skip


_SUPPRESS = re.compile(r"#\s*voicetools:\s*ignore(?:\[([A-Za-z0-9_,\s]+)\])?")


def _suppressed(doc: Document, finding: Finding) -> bool:
    """`# voicetools: ignore[H107]` (or a bare `ignore`) on the finding's line silences it."""
    if finding.code in ALWAYS_REPORTED:
        return False
    index = finding.location.line - 1
    if not 0 <= index < len(doc.lines):
        return False
    match = _SUPPRESS.search(doc.lines[index])
    if match is None:
        return False
    if match.group(1) is None:
        return True
    codes = {c.strip() for c in match.group(1).split(",")}
    return any(finding.code.startswith(c) for c in codes if c)


def is_scenario(doc: Document) -> bool:
    return isinstance(doc.data, dict) and "scenarios" in doc.data and "instructions" not in doc.data


_ALL_RULES = LintConfig()
"""The default: every rule, no target dialect."""


def lint_document(doc: Document, config: LintConfig = _ALL_RULES) -> LintResult:
    """Run every enabled rule over one parsed document."""
    _load_rules()
    if is_scenario(doc):
        return LintResult(doc.path, (), kind="scenario")
    ctx = LintContext(doc, build_agent(doc), config)
    found: list[Finding] = []
    for check in RULES:
        found.extend(check(ctx))
    kept = [f for f in found if config.enabled(f.code)]
    visible = [f for f in kept if not _suppressed(doc, f)]
    visible.sort(key=lambda f: (f.location.line, f.location.col, f.code))
    return LintResult(doc.path, tuple(_unique(visible)), suppressed=len(kept) - len(visible))


def lint_file(path: str | Path, config: LintConfig = _ALL_RULES) -> LintResult:
    """Lint one file; a file that cannot be parsed yields one Y101 finding."""
    try:
        doc = read_document(path)
    except SpecError as exc:
        location = exc.location or Location(str(path), 1, 1)
        finding = Finding("Y101", Severity.ERROR, exc.message, location)
        return LintResult(str(path), (finding,))  # Y101 is in ALWAYS_REPORTED
    return lint_document(doc, config)


def expand_paths(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for *.yaml and *.yml, in a stable order.

    A `*.yaml` that is not a regular file (a FIFO, a link to a device or to nothing) is kept,
    so that it is reported as Y101 rather than silently skipped.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and not p.is_dir()
            )
        else:
            yield path


def _unique(findings: Iterable[Finding]) -> Iterator[Finding]:
    seen: set[tuple[str, Location, str]] = set()
    for f in findings:
        key = (f.code, f.location, f.message)
        if key not in seen:
            seen.add(key)
            yield f


def _load_rules() -> None:
    # Importing the package registers every rule module exactly once.
    import voicetools.spec.rules  # noqa: F401


def catalog() -> dict[str, RuleInfo]:
    """Every rule code, with each rule module imported (reporters may run before any lint)."""
    _load_rules()
    return CATALOG


def agent_results(results: Sequence[LintResult]) -> list[LintResult]:
    return [r for r in results if r.kind != "scenario"]


def iter_findings(results: Sequence[LintResult]) -> Iterator[tuple[LintResult, Finding]]:
    for result in agent_results(results):
        for finding in result.findings:
            yield result, finding


declare(
    "Y101",
    "unreadable-file",
    Severity.ERROR,
    "The file cannot be read (missing, a device or FIFO, over its size cap) or is not YAML at "
    "all; always reported, whatever --select, --ignore or an ignore comment say.",
)
