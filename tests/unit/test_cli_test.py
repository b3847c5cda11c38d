"""`voicetools test` through CliRunner (COLUMNS=100, NO_COLOR=1) with a scripted model."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_support import run_cli
from scenario_support import order_llm, write_scenario

from voicetools.cli import test_cmd
from voicetools.scenario.parallel import ModelChoice

PASSING = """\
  - name: lookup
    turns:
      - user: What's the status of order 4521?
        expect: {calls: [{name: get_order_status, arguments: {order_id: "4521"}}]}
  - name: goodbye
    turns:
      - user: Thanks, bye!
        expect: {ended: true}
"""
FAILING = PASSING.replace("{ended: true}", "{ended: false}")


@pytest.fixture(autouse=True)
def scripted_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        test_cmd, "model_choice", lambda model, llm_url: ModelChoice(factory=order_llm)
    )


def test_all_passing_exits_0(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, PASSING)
    result = run_cli("test", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"✓ {path} › lookup (")
    assert lines[-1].startswith("2 passed, 0 failed in ")


def test_a_failure_exits_1_with_its_diff(tmp_path: Path) -> None:
    result = run_cli("test", str(write_scenario(tmp_path, FAILING)))
    assert result.exit_code == 1
    assert "✗" in result.stdout
    assert "expected the call to go on, it ended" in result.stdout
    assert "call ended (end_call)" in result.stdout


def test_json_and_junit_formats(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, FAILING)
    data = json.loads(run_cli("test", str(path), "--format", "json").stdout)
    assert data["summary"]["passed"] == 1 and data["summary"]["failed"] == 1
    report = tmp_path / "junit.xml"
    result = run_cli("test", str(path), "-f", "junit", "-o", str(report))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("1 passed, 1 failed")  # text on stdout
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"


def test_k_selects_scenarios_and_folders_hold_only_scenario_files(tmp_path: Path) -> None:
    write_scenario(tmp_path, FAILING, name="a.yaml")
    (tmp_path / "agent.yaml").write_text("version: 1\nname: x\ninstructions: hi\n")
    result = run_cli("test", str(tmp_path), "-k", "LOOKUP")
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.stdout
    nothing = run_cli("test", str(tmp_path), "-k", "no such scenario")
    assert nothing.exit_code == 2
    assert "no scenario matches -k 'no such scenario'" in nothing.stderr


def test_file_problems_exit_2_before_any_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_model(model: object, llm_url: object) -> ModelChoice:
        raise AssertionError("the model must not load for a broken file")

    monkeypatch.setattr(test_cmd, "model_choice", no_model)
    bad = write_scenario(tmp_path, PASSING.replace("expect:", "expct:", 1), name="bad.yaml")
    result = run_cli("test", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:7:9: unknown field `expct` (did you mean `expect`?)" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format must be one of text, json, junit, not 'xml'"),
        (["--today", "tomorrow"], "--today must be a date written YYYY-MM-DD"),
        (["--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("test", str(write_scenario(tmp_path, PASSING)), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("test", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml:1:1: cannot read file" in result.stderr


def test_a_missing_model_exits_2_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real model_choice
    result = run_cli("test", str(write_scenario(tmp_path, PASSING)), "--model", "/no/model.gguf")
    assert result.exit_code == 2
    assert "model file not found: /no/model.gguf" in result.stderr
