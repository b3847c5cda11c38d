"""Bad input never produces a traceback: `validate` exits 0, 1 or 2 with findings or one line.

Property-based (hypothesis) over random bytes, YAML-ish text and mutations of a valid agent,
plus the explicit extremes named in issue 2. Everything goes through the real CLI (CliRunner)
with `--format json`, so every reported location can be checked too.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import CLEAN_AGENT, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VALID: dict[str, Any] = yaml.safe_load(CLEAN_AGENT)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_TOKENS = [
    *"abcxyz019 -:_{}[],#&*!|>'\"%@`?~\n\t\\$\x85",
    "name",
    "functions",
    "http",
    "url",
    "  ",
    "- ",
    ": ",
    "\n  ",
    "<<",
    "!!python/object ",
    "&a ",
    "*a",
    "yes",
    "0755",
    "10:30",
]
yamlish = st.lists(st.sampled_from(_TOKENS), max_size=120).map("".join)


@contextmanager
def _file(content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agent.yaml"
        path.write_bytes(content)
        yield path


def check(content: bytes, fmt: str = "json") -> int:
    """Validate `content`; assert the promises of issue 2; return the exit code."""
    with _file(content) as path:
        result = run_cli("validate", "--format", fmt, str(path))
    assert result.exit_code in {0, 1, 2}, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    elif fmt == "json":
        report = json.loads(result.stdout)
        for finding in report["findings"]:
            assert finding["line"] >= 1 and finding["col"] >= 1, finding
        assert (result.exit_code == 1) == (report["summary"]["errors"] > 0)
    return result.exit_code


# -- mutations of a valid document ---------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(doc, path), path[-1]
        op = draw(st.sampled_from(["delete", "swap", "junk", "nest", "huge"]))
        if op == "delete":
            del parent[last]
        elif op == "swap":
            parent[last] = draw(json_values)
        elif op == "junk" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
        elif op == "nest":
            value = parent[last]
            for _ in range(draw(st.integers(1, 150))):
                value = [value] if draw(st.booleans()) else {"x": value}
            parent[last] = value
        elif op == "huge":
            parent[last] = "x" * draw(st.integers(1000, 200_000))
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    if draw(st.booleans()):  # duplicate a line: duplicate keys and broken indentation
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(at, lines[at])
        text = "\n".join(lines)
    return text.encode("utf-8")


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(content: bytes) -> None:
    check(content)


@SETTINGS
@given(yamlish)
def test_random_yamlish_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(mutated(), st.sampled_from(["json", "text", "sarif", "github"]))
def test_mutated_agents(content: bytes, fmt: str) -> None:
    check(content, fmt)


# -- the explicit extremes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty", b"", 1),
        ("only a comment", b"# nothing here\n", 1),
        ("binary", bytes(range(256)) * 4, 1),
        ("not utf-8", b"name: caf\xe9\n", 1),
        ("10 MB", b"name: x\n" + b"#" * (10 * 1024 * 1024), 1),
        ("5000-level flow nesting", b"[" * 5000 + b"]" * 5000, 1),
        ("5000-level mapping nesting", b"{a: " * 5000 + b"1" + b"}" * 5000, 1),
        ("5000-level block nesting", "".join(f"{' ' * i}a:\n" for i in range(5000)).encode(), 1),
        ("a list at top level", b"- name: a\n- name: b\n", 1),
        ("a scalar at top level", b"42\n", 1),
        (
            "billion laughs",
            b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            1,
        ),
        ("python tag", b"name: !!python/object/apply:os.system ['true']\n", 1),
        ("the clean agent", CLEAN_AGENT.encode(), 0),
    ],
)
def test_extremes(name: str, content: bytes, expected: int) -> None:
    assert check(content) == expected, name
    assert check(content, "text") == expected, name


def test_folder_without_yaml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("hi", encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "no agent files" in result.stderr and "Traceback" not in result.output


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    folder = tmp_path / "agent.yaml"
    folder.mkdir()  # a folder named like a file: expanded, holds nothing
    assert run_cli("validate", str(folder)).exit_code == 2
