"""The examples in docs/agent-format.md stay valid: each one is checked as the product checks it.

An agent example is a ```yaml block whose first line that is not a comment is `version: 1`; it
is linted with the project's own loader and linter and must give no error. A scenario example
is a ```yaml block that starts with `agent:`; it must load against its agent. Both are read as
if saved in agents/, so handler paths and `agent: ../x.yaml` resolve as the page says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicetools.scenario.load import build_scenario_file
from voicetools.spec.lint import Severity, lint_document
from voicetools.spec.load import parse_document

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "agent-format.md"
AGENTS = ROOT / "agents"
_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
ALLOWED_WARNINGS = {"F107"}
"""Warnings an example may show on purpose: F107 (a function with only a mock result)."""


def _first_line(text: str) -> str:
    lines = (line.strip() for line in text.splitlines())
    return next((line for line in lines if line and not line.startswith("#")), "")


def _blocks(kind: str) -> list[tuple[int, str]]:
    """(line in the page, text) of each example of `kind`: "agent" or "scenario"."""
    text = PAGE.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        block, line = match.group(1), text.count("\n", 0, match.start()) + 2
        first = _first_line(block)
        if (kind == "agent" and first == "version: 1") or (
            kind == "scenario" and first.startswith("agent:")
        ):
            found.append((line, block))
    return found


AGENT_EXAMPLES = _blocks("agent")
SCENARIO_EXAMPLES = _blocks("scenario")


def test_the_page_has_the_examples_it_promises() -> None:
    # top level, Python, HTTP, filler, built-ins, task manager, chain, mocks, two imports
    assert len(AGENT_EXAMPLES) >= 10
    assert len(SCENARIO_EXAMPLES) >= 1


@pytest.mark.parametrize(
    ("line", "block"), AGENT_EXAMPLES, ids=[f"line{n}" for n, _ in AGENT_EXAMPLES]
)
def test_agent_example_validates(line: int, block: str) -> None:
    shown = str(AGENTS / f"docs-agent-format-line-{line}.yaml")
    result = lint_document(parse_document(block, shown))
    errors = [
        f"{f.location}: {f.code} {f.message}"
        for f in result.findings
        if f.severity is Severity.ERROR
    ]
    assert errors == [], f"docs/agent-format.md:{line}: the example has errors"
    warnings = {f.code for f in result.findings if f.severity is Severity.WARNING}
    assert warnings <= ALLOWED_WARNINGS, f"docs/agent-format.md:{line}: warnings {warnings}"


@pytest.mark.parametrize(
    ("line", "block"), SCENARIO_EXAMPLES, ids=[f"line{n}" for n, _ in SCENARIO_EXAMPLES]
)
def test_scenario_example_loads(line: int, block: str) -> None:
    shown = str(AGENTS / "scenarios" / f"docs-agent-format-line-{line}.yaml")
    loaded = build_scenario_file(parse_document(block, shown))
    assert loaded.scenarios, f"docs/agent-format.md:{line}: no scenario read"


def test_a_broken_example_would_be_caught() -> None:
    """The check is not vacuous: an example with a misspelt handler fails it."""
    _, block = next((line, b) for line, b in AGENT_EXAMPLES if "python: handlers/" in b)
    broken = block.replace("python: handlers/", "python: handler/", 1)
    result = lint_document(parse_document(broken, str(AGENTS / "broken.yaml")))
    assert any(f.code == "PY102" for f in result.findings)
