"""Every fixture under tests/data declares its own expected findings.

An invalid fixture marks each offending line with `# expect: CODE` (several: `# expect: P104
H103`; a column: `# expect: H105@12`). The set of (code, line) the linter reports must equal
the declared set, no more and no less. A `# lint-targets: openai, gemini` line turns on the
portability rules for that file. Valid fixtures must give no finding at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicetools.spec.lint import CATALOG, LintConfig, lint_file

DATA = Path(__file__).resolve().parent.parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml"))

_EXPECT = re.compile(r"#\s*expect:\s*(.+?)\s*$")
_ITEM = re.compile(r"^([A-Z]+[0-9]+)(?:@([0-9]+))?$")
_TARGETS = re.compile(r"^#\s*lint-targets:\s*(.+?)\s*$")


def _targets(lines: list[str]) -> tuple[str, ...]:
    for line in lines:
        match = _TARGETS.match(line)
        if match:
            return tuple(t.strip() for t in match.group(1).split(",") if t.strip())
    return ()


def _expected(lines: list[str]) -> list[tuple[str, int, int | None]]:
    wanted = []
    for number, line in enumerate(lines, start=1):
        match = _EXPECT.search(line)
        if match is None:
            continue
        for item in re.split(r"[,\s]+", match.group(1)):
            parsed = _ITEM.match(item)
            assert parsed, f"line {number}: cannot read expectation {item!r}"
            col = int(parsed.group(2)) if parsed.group(2) else None
            wanted.append((parsed.group(1), number, col))
    return wanted


def _lint(path: Path) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int | None]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    result = lint_file(path, LintConfig(targets=_targets(lines)))
    found = [(f.code, f.location.line, f.location.col) for f in result.findings]
    return found, _expected(lines)


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture_gives_exactly_the_declared_findings(path: Path) -> None:
    found, wanted = _lint(path)
    assert wanted, f"{path.name} declares no `# expect:` finding"
    assert {(c, line) for c, line, _ in found} == {(c, line) for c, line, _ in wanted}
    for code, line, col in wanted:
        if col is not None:
            assert (code, line, col) in found, f"{code} expected at {line}:{col}; got {found}"


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixture_is_clean(path: Path) -> None:
    found, wanted = _lint(path)
    assert not wanted
    assert found == []


def test_every_code_has_an_invalid_fixture() -> None:
    covered = {code for path in INVALID for code, _, _ in _lint(path)[1]}
    missing = sorted(set(CATALOG) - covered)
    assert not missing, f"codes without a fixture: {missing}"


def test_valid_fixtures_cover_every_target() -> None:
    targets = {t for path in VALID for t in _targets(path.read_text().splitlines())}
    assert targets >= {"openai", "anthropic", "gemini", "llama"}
