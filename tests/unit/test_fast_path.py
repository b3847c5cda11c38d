"""The typer-free fast path of `validate` behaves exactly like the typer command."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from cli_support import BAD_FIELD_AGENT, CLEAN_AGENT, WARNING_AGENT, put, run_cli

from voicetools.cli.fast_path import parse, try_validate

VECTORS = [
    ["validate", "clean.yaml"],
    ["validate", "bad.yaml", "warn.yaml"],
    ["validate", "-f", "json", "bad.yaml"],
    ["validate", "--format=sarif", "bad.yaml"],
    ["validate", "--format", "github", "warn.yaml", "--strict"],
    ["validate", "--select", "S1,Y", "--ignore", "S103", "bad.yaml"],
    ["validate", "--target", "openai", "-t", "gemini", "clean.yaml"],
    ["validate", "--format", "xml", "clean.yaml"],
    ["validate", "missing.yaml"],
    ["validate", "--select", "NOPE", "clean.yaml"],
    ["validate", "--config", "lint.toml", "bad.yaml"],
    ["validate", "--exclude", "bad*", "."],
    ["validate", "--color", "bad.yaml"],
    ["validate", "--no-color", "--", "bad.yaml"],
]


@pytest.mark.parametrize("argv", VECTORS, ids=" ".join)
def test_fast_path_matches_typer(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    put(tmp_path, "clean.yaml", CLEAN_AGENT)
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT)
    put(tmp_path, "warn.yaml", WARNING_AGENT)
    put(tmp_path, "lint.toml", 'ignore = ["S101"]\n')
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = try_validate(argv)
    assert code is not None
    typer_run = run_cli(*argv, color=True)
    assert (code, out.getvalue(), err.getvalue()) == (
        typer_run.exit_code,
        typer_run.stdout,
        typer_run.stderr,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["schema"],
        ["validate"],
        ["validate", "--help"],
        ["validate", "a.yaml", "--format"],
        ["validate", "a.yaml", "--unknown-flag"],
        ["validate", "-fjson", "a.yaml"],
        ["validate", "--select", "--strict", "a.yaml"],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert try_validate(argv) is None


def test_parse_collects_repeated_options() -> None:
    found = parse(["--select", "S", "--select=H", "-t", "openai", "a.yaml", "b"])
    assert found is not None
    assert (found["select"], found["targets"], found["paths"]) == (
        ["S", "H"],
        ["openai"],
        ["a.yaml", "b"],
    )
