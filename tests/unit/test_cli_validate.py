"""`voicetools validate` through the CLI: formats, exit codes, config, suppression, colour."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from cli_support import BAD_FIELD_AGENT, CLEAN_AGENT, WARNING_AGENT, put, run_cli

from voicetools import __version__
from voicetools.spec.report import JSON_REPORT_SCHEMA

# The parts of SARIF 2.1.0 (sarif-schema-2.1.0.json) that a viewer relies on; the full schema
# is not shipped with any installed package and there is no network in the test run.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "version", "informationUri", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription"],
                                            "properties": {
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                }
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "level", "message", "locations"],
                            "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "locations": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation", "region"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri"],
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "required": ["startLine", "startColumn"],
                                                        "properties": {
                                                            "startLine": {"minimum": 1},
                                                            "startColumn": {"minimum": 1},
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No pyproject.toml of the repository (or anywhere above /tmp) may leak into these tests.
    monkeypatch.chdir(tmp_path)


def test_clean_file_exits_0_with_a_summary(tmp_path: Path) -> None:
    put(tmp_path, "agent.yaml", CLEAN_AGENT)
    result = run_cli("validate", "agent.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
    assert result.stderr == ""


def test_error_exits_1_with_path_line_col_code_and_hint(tmp_path: Path) -> None:
    put(tmp_path, "agent.yaml", BAD_FIELD_AGENT)
    result = run_cli("validate", "agent.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "agent.yaml:2:1: S101 error unknown field `nmae` (did you mean `name`?)" in lines
    assert any(
        re.match(r"agent\.yaml:\d+:\d+: S103 error missing required field `name`", x) for x in lines
    )
    assert lines[-1] == "2 errors, 0 warnings in 1 file"


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    put(tmp_path, "agent.yaml", WARNING_AGENT)
    relaxed = run_cli("validate", "agent.yaml")
    assert relaxed.exit_code == 0
    assert re.search(r"agent\.yaml:\d+:\d+: Y103 warning", relaxed.stdout)
    assert run_cli("validate", "--strict", "agent.yaml").exit_code == 1


def test_folder_is_searched_and_scenarios_are_skipped_with_a_note(tmp_path: Path) -> None:
    put(tmp_path, "agents/a.yaml", CLEAN_AGENT)
    put(tmp_path, "agents/sub/b.yml", CLEAN_AGENT)
    put(tmp_path, "agents/a.test.yaml", "agent: a.yaml\nscenarios: []\n")
    put(tmp_path, "agents/notes.txt", "not yaml")
    result = run_cli("validate", "agents")
    assert result.exit_code == 0
    assert result.stdout.endswith("0 errors, 0 warnings in 2 files\n")
    assert "a.test.yaml: scenario file, skipped" in result.stderr


def test_json_format_follows_its_documented_schema(tmp_path: Path) -> None:
    put(tmp_path, "good.yaml", CLEAN_AGENT)
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT)
    result = run_cli("validate", "--format", "json", "good.yaml", "bad.yaml")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, JSON_REPORT_SCHEMA)
    assert report["summary"] == {
        "files": 2,
        "errors": 2,
        "warnings": 0,
        "notes": 0,
        "suppressed": 0,
    }
    first = next(f for f in report["findings"] if f["code"] == "S101")
    assert (first["path"], first["line"], first["col"]) == ("bad.yaml", 2, 1)
    assert first["name"] == "unknown-field" and first["hint"] == "did you mean `name`?"


def test_github_format_writes_workflow_commands(tmp_path: Path) -> None:
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT)
    put(tmp_path, "warn.yaml", WARNING_AGENT)
    result = run_cli("validate", "-f", "github", "bad.yaml", "warn.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    pattern = re.compile(
        r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[A-Z]+\d+::.+$"
    )
    assert lines and all(pattern.match(line) for line in lines), lines
    assert (
        "::error file=bad.yaml,line=2,col=1,title=S101::unknown field `nmae` (did you mean `name`?)"
        in lines
    )
    assert any(line.startswith("::warning file=warn.yaml") for line in lines)


def test_sarif_format_is_structurally_valid_2_1_0(tmp_path: Path) -> None:
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT)
    result = run_cli("validate", "--format=sarif", "bad.yaml")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SARIF_SUBSET, format_checker=jsonschema.FormatChecker())
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "voicetools" and driver["version"] == __version__
    ids = [rule["id"] for rule in driver["rules"]]
    assert {"S101", "Y101"} <= set(ids)
    hit = next(r for r in run["results"] if r["ruleId"] == "S101")
    assert hit["ruleId"] == "S101" and hit["level"] == "error"
    assert ids[hit["ruleIndex"]] == "S101"
    location = hit["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "bad.yaml"},
        "region": {"startLine": 2, "startColumn": 1},
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--format", "xml", "a.yaml"], "unknown format `xml`"),
        (["validate", "missing.yaml"], "path not found: missing.yaml"),
        (["validate", "--select", "ZZ9", "a.yaml"], "unknown rule code `ZZ9` in --select"),
        (["validate", "--ignore", "S1,QQ", "a.yaml"], "unknown rule code `QQ` in --ignore"),
        (["validate", "--target", "cobol", "a.yaml"], "unknown target `cobol`"),
        (["validate", "--config", "nope.toml", "a.yaml"], "config file not found"),
        (["validate", "empty"], "no agent files to validate"),
    ],
)
def test_usage_errors_exit_2_with_one_line_on_stderr(
    tmp_path: Path, args: list[str], message: str
) -> None:
    put(tmp_path, "a.yaml", CLEAN_AGENT)
    (tmp_path / "empty").mkdir()
    result = run_cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len([line for line in result.stderr.splitlines() if "error" in line]) == 1
    assert "Traceback" not in result.stderr


def test_select_and_ignore_take_prefixes_commas_and_repeats(tmp_path: Path) -> None:
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT + "variables:\n  opt_in: no\n")
    only_y = run_cli("validate", "--select", "Y", "-f", "json", "bad.yaml")
    assert {f["code"] for f in json.loads(only_y.stdout)["findings"]} == {"Y103"}
    assert only_y.exit_code == 0
    no_s = run_cli("validate", "--ignore", "S101", "--ignore", "s103,Y", "bad.yaml")
    assert no_s.exit_code == 0
    assert no_s.stdout == "0 errors, 0 warnings in 1 file\n"


def test_target_flag_is_accepted(tmp_path: Path) -> None:
    put(tmp_path, "a.yaml", CLEAN_AGENT)
    result = run_cli("validate", "--target", "openai", "-t", "gemini,llama", "a.yaml")
    assert result.exit_code in {0, 1}
    assert "error:" not in result.stderr


def test_pyproject_table_applies_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.voicetools]\nignore = ["S101", "S103"]\n',
    )
    put(tmp_path, "agents/bad.yaml", BAD_FIELD_AGENT)
    monkeypatch.chdir(tmp_path / "agents")
    assert run_cli("validate", "bad.yaml").exit_code == 0
    # --select replaces the table's choice; --ignore adds to it.
    assert run_cli("validate", "--select", "S101", "bad.yaml").exit_code == 0
    put(tmp_path, "pyproject.toml", '[tool.voicetools]\nselect = ["S103"]\n')
    assert run_cli("validate", "--ignore", "S103", "bad.yaml").exit_code == 0
    assert run_cli("validate", "bad.yaml").exit_code == 1


def test_pyproject_strict_and_exclude(tmp_path: Path) -> None:
    put(
        tmp_path,
        "pyproject.toml",
        '[tool.voicetools]\nstrict = true\nexclude = ["old", "agents/*.draft.yaml"]\n',
    )
    put(tmp_path, "agents/x.draft.yaml", BAD_FIELD_AGENT)
    put(tmp_path, "agents/warn.yaml", WARNING_AGENT)
    put(tmp_path, "agents/old/bad.yaml", BAD_FIELD_AGENT)
    result = run_cli("validate", "agents")
    assert result.exit_code == 1  # strict: the warning fails
    assert "bad.yaml" not in result.stdout
    assert result.stdout.endswith("0 errors, 1 warning in 1 file\n")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[tool.voicetools]\nignor = ["S"]\n',
            "pyproject.toml:2:1: unknown [tool.voicetools] key `ignor`; did you mean `ignore`?",
        ),
        ('[tool.voicetools]\nselect = "S",\n', "pyproject.toml:2:"),
        ('[tool.voicetools]\nselect = ["NOPE"]\n', "unknown rule code `NOPE`"),
        ('[tool.voicetools]\nstrict = "yes"\n', "`strict` must be true or false"),
    ],
)
def test_broken_config_is_a_one_line_usage_error(tmp_path: Path, toml: str, message: str) -> None:
    put(tmp_path, "pyproject.toml", toml)
    put(tmp_path, "a.yaml", CLEAN_AGENT)
    result = run_cli("validate", "a.yaml")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_explicit_config_file(tmp_path: Path) -> None:
    put(tmp_path, "lint.toml", 'ignore = ["S"]\n')
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT)
    assert run_cli("validate", "--config", "lint.toml", "bad.yaml").exit_code == 0


def test_inline_suppression_comment(tmp_path: Path) -> None:
    text = CLEAN_AGENT.replace(
        "name: test-agent", "name: test-agent\nnmae: x  # voicetools: ignore[S101]"
    )
    put(tmp_path, "agent.yaml", text)
    result = run_cli("validate", "agent.yaml")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file (1 suppressed)\n"
    other_code = text.replace("ignore[S101]", "ignore[H]")
    put(tmp_path, "agent.yaml", other_code)
    assert run_cli("validate", "agent.yaml").exit_code == 1


def test_color_only_when_asked_and_never_with_no_color(tmp_path: Path) -> None:
    put(tmp_path, "bad.yaml", BAD_FIELD_AGENT)
    plain = run_cli("validate", "bad.yaml", color=True)
    assert "\x1b[" not in plain.stdout  # NO_COLOR=1 is set by run_cli
    coloured = run_cli("validate", "--color", "bad.yaml", color=True)
    assert "\x1b[" in coloured.stdout
    forced_off = run_cli(
        "validate", "--no-color", "bad.yaml", env={"NO_COLOR": "", "FORCE_COLOR": "1"}, color=True
    )
    assert "\x1b[" not in forced_off.stdout
    json_out = run_cli("validate", "--color", "-f", "json", "bad.yaml", color=True)
    json.loads(json_out.stdout)


def test_version_and_help() -> None:
    version = run_cli("--version")
    assert version.exit_code == 0 and version.stdout == f"voicetools {__version__}\n"
    helped = run_cli("validate", "--help")
    assert helped.exit_code == 0
    for flag in (
        "--format",
        "--select",
        "--ignore",
        "--target",
        "--config",
        "--strict",
        "--no-color",
    ):
        assert flag in helped.stdout
    top = run_cli("--help")
    for command in ("validate", "rules", "schema", "import", "export"):
        assert command in top.stdout


def test_rules_lists_the_catalogue() -> None:
    result = run_cli("rules")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["CODE", "SEVERITY", "NAME", "SUMMARY"]
    assert re.search(r"^S101\s+error\s+unknown-field\s+A field", result.stdout, re.MULTILINE)
    rows = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {"code": "Y103", "severity": "warning"}.items() <= next(
        r for r in rows if r["code"] == "Y103"
    ).items()
    assert run_cli("rules", "-f", "yaml").exit_code == 2
