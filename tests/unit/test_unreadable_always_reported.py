"""`validate` on files it cannot read: Y101 at 1:1, exit 1, and no filter can hide it.

`--select`, `--ignore`, `[tool.voicetools]` and `# voicetools: ignore[...]` choose among the
findings of a file that was read; a file that could not be read would otherwise pass as clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import CLEAN_AGENT, put, run_cli
from hostile_files import DEVICE_AND_SIZE, Maker, fifo, needs_devices, run_voicetools, unix_socket

from voicetools.files import AGENT_FILE_CAP
from voicetools.spec.lint import ALWAYS_REPORTED, CATALOG, LintConfig

pytestmark = needs_devices
FILTERS = {
    "no-filter": [],
    "select-other": ["--select", "H"],
    "ignore-Y": ["--ignore", "Y"],
    "ignore-Y101": ["--ignore", "Y101"],
    "select-and-ignore": ["--select", "S101", "--ignore", "Y1"],
}


def _reported(stdout: str, path: Path, words: str) -> None:
    line = next(x for x in stdout.splitlines() if x.startswith(f"{path}:1:1: Y101 error "))
    assert "cannot read file: " in line and words in line, line


@pytest.mark.parametrize("flags", FILTERS.values(), ids=list(FILTERS))
@pytest.mark.parametrize("make", DEVICE_AND_SIZE.values(), ids=list(DEVICE_AND_SIZE))
def test_a_hostile_file_is_y101_whatever_the_flags(
    tmp_path: Path, make: Maker, flags: list[str]
) -> None:
    path, words = make(tmp_path, "agent.yaml", AGENT_FILE_CAP)
    result = run_cli("validate", *flags, str(path))
    assert result.exit_code == 1, result.output
    _reported(result.stdout, path, words)
    assert "Traceback" not in result.output


def test_a_socket_is_y101() -> None:
    with unix_socket("agent.yaml") as path:
        result = run_cli("validate", "--ignore", "Y", str(path))
    assert result.exit_code == 1
    _reported(result.stdout, path, "a socket")


def test_project_settings_cannot_hide_y101(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(tmp_path, "pyproject.toml", '[tool.voicetools]\nselect = ["H"]\nignore = ["Y101", "Y"]\n')
    link = tmp_path / "agent.yaml"
    link.symlink_to("/dev/zero")
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "agent.yaml")
    assert result.exit_code == 1
    _reported(result.stdout, Path("agent.yaml"), "character device")


def test_an_ignore_comment_cannot_hide_a_syntax_error(tmp_path: Path) -> None:
    for n, comment in enumerate(["# voicetools: ignore[Y101]", "# voicetools: ignore"]):
        path = put(
            tmp_path, f"a{n}.yaml", f"version: 1\ninstructions: You are: a helper  {comment}\n"
        )
        result = run_cli("validate", "--ignore", "Y", str(path))
        assert result.exit_code == 1
        assert f"{path}:2:" in result.stdout and "Y101" in result.stdout


def test_json_output_keeps_y101_and_other_files_are_still_checked(tmp_path: Path) -> None:
    clean = put(tmp_path, "clean.yaml", CLEAN_AGENT)
    result = run_cli("validate", "-f", "json", "--select", "H", str(clean), "/dev/zero")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    text = json.dumps(report)
    assert "Y101" in text and "/dev/zero" in text and "clean.yaml" in text


def test_only_the_unreadable_file_code_is_always_reported() -> None:
    import voicetools.spec.rules  # noqa: F401 - registers every rule

    assert ALWAYS_REPORTED == {"Y101"} and "always reported" in CATALOG["Y101"].summary
    config = LintConfig(select=("H",), ignore=("Y",))
    assert config.enabled("Y101")
    assert not config.enabled("Y102") and not config.enabled("S101")


def test_fifos_are_y101_through_the_fast_path_without_blocking(tmp_path: Path) -> None:
    pipe = fifo(tmp_path, "agent.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(pipe)
    done = run_voicetools("validate", "--ignore", "Y101", str(pipe), str(link), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    for path in (pipe, link):
        _reported(done.stdout, path, "it is a FIFO (named pipe)")


def test_hostile_yaml_files_inside_a_folder_are_reported_not_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    put(folder, "good.yaml", CLEAN_AGENT)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "gone.yml").symlink_to(tmp_path / "nowhere.yaml")
    pipe = fifo(folder, "pipe.yaml")
    done = run_voicetools("validate", "--select", "H", str(folder), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    _reported(done.stdout, folder / "zero.yaml", "character device")
    _reported(done.stdout, folder / "gone.yml", "No such file or directory")
    _reported(done.stdout, pipe, "FIFO")
    assert "good.yaml" not in done.stdout  # clean, and checked: 3 errors in 4 files
    assert "3 errors, 0 warnings in 4 files" in done.stdout


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("github", "::error file=/dev/zero,line=1,col=1,title=Y101::cannot read file: it is a"),
        ("sarif", '"ruleId": "Y101"'),
        ("json", '"code": "Y101"'),
    ],
)
def test_every_format_reports_y101_when_it_is_ignored(fmt: str, expected: str) -> None:
    result = run_cli("validate", "-f", fmt, "--ignore", "Y", "/dev/zero")
    assert result.exit_code == 1
    assert expected in result.stdout
