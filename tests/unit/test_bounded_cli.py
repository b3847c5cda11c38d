"""Hostile files given to `test`, `import`, `tool run --args @file` and `--config`.

Each is refused in one line, `path:1:1: cannot read file: ...`, exit 2, and nothing is read past
the command's cap. FIFOs go to a subprocess with a timeout, so a regression fails instead of
hanging the run. (`validate` is in test_unreadable_always_reported.py.)
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from cli_support import CLEAN_AGENT, put, run_cli
from hostile_files import (
    ALL_FILES,
    DEVICE_AND_SIZE,
    SPARSE_BYTES,
    Maker,
    fifo,
    needs_devices,
    one_line,
    run_voicetools,
    sparse_100_mb,
    unix_socket,
)
from scenario_support import ROOT, scenario_text

from voicetools.files import (
    ARGS_FILE_CAP,
    CONFIG_FILE_CAP,
    IMPORT_FILE_CAP,
    REPORT_AUDIO_CAP,
    SCENARIO_FILE_CAP,
    TRANSCRIPT_FILE_CAP,
)

pytestmark = needs_devices
ORDERS = str(ROOT / "agents" / "order_support.yaml")
TOOL_RUN = ("tool", "run", ORDERS, "get_order_status", "--args")
SCENARIO_FILES = {**DEVICE_AND_SIZE, "missing": ALL_FILES["missing"]}
"""A folder given to `test` is searched for scenarios, so it is not a hostile file there."""


def _refused(result_stderr: str, path: Path, words: str) -> None:
    line = one_line(result_stderr)
    assert line.startswith(f"{path}:1:1: cannot read file: "), line
    assert words in line


@pytest.mark.parametrize("make", SCENARIO_FILES.values(), ids=list(SCENARIO_FILES))
def test_test_refuses_a_hostile_scenario_file(tmp_path: Path, make: Maker) -> None:
    path, words = make(tmp_path, "scenarios.yaml", SCENARIO_FILE_CAP)
    result = run_cli("test", str(path))
    assert result.exit_code == 2
    _refused(result.stderr, path, words)
    assert result.stdout == ""


def test_test_refuses_a_scenario_whose_agent_is_a_device(tmp_path: Path) -> None:
    agent = tmp_path / "agent.yaml"
    agent.symlink_to("/dev/zero")
    body = "  - name: x\n    turns:\n      - user: hi\n"
    scenario = put(tmp_path, "s.yaml", scenario_text(body, agent=agent))
    result = run_cli("test", str(scenario))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert line.startswith(f"{agent}:1:1: in the agent file: cannot read file: it is a character")


@pytest.mark.parametrize("make", ALL_FILES.values(), ids=list(ALL_FILES))
def test_import_refuses_a_hostile_file(tmp_path: Path, make: Maker) -> None:
    path, words = make(tmp_path, "tools.json", IMPORT_FILE_CAP)
    result = run_cli("import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2
    _refused(result.stderr, path, words)
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("make", ALL_FILES.values(), ids=list(ALL_FILES))
def test_args_file_refuses_a_hostile_file(tmp_path: Path, make: Maker) -> None:
    path, words = make(tmp_path, "args.json", ARGS_FILE_CAP)
    result = run_cli(*TOOL_RUN, f"@{path}")
    assert result.exit_code == 2
    _refused(result.stderr, path, words)
    assert result.stdout == ""


def test_args_file_at_exactly_the_cap_is_read(tmp_path: Path) -> None:
    text = '{"order_id": "7788"}'
    path = put(tmp_path, "args.json", text + " " * (ARGS_FILE_CAP - len(text)))
    result = run_cli(*TOOL_RUN, f"@{path}")
    assert result.exit_code == 0, result.stderr


def test_args_file_needs_a_name_after_the_at() -> None:
    result = run_cli(*TOOL_RUN, "@")
    assert result.exit_code == 2
    assert (
        one_line(result.stderr) == "voicetools: error: --args @FILE needs a file name after the @"
    )


def test_a_socket_is_refused_by_import_and_args() -> None:
    with unix_socket("tools.json") as path:
        imported = run_cli("import", str(path))
        given = run_cli(*TOOL_RUN, f"@{path}")
    for result in (imported, given):
        assert result.exit_code == 2
        _refused(result.stderr, path, "a socket")


@pytest.mark.parametrize("make", DEVICE_AND_SIZE.values(), ids=list(DEVICE_AND_SIZE))
def test_validate_config_refuses_a_hostile_settings_file(tmp_path: Path, make: Maker) -> None:
    agent = put(tmp_path, "a.yaml", CLEAN_AGENT)
    path, words = make(tmp_path, "settings.toml", CONFIG_FILE_CAP)
    result = run_cli("validate", "--config", str(path), str(agent))
    assert result.exit_code == 2
    _refused(result.stderr, path, words)


def test_fifos_are_refused_by_every_command_without_blocking(tmp_path: Path) -> None:
    scenario = fifo(tmp_path, "scenarios.yaml")
    tools = fifo(tmp_path, "tools.json")
    args = fifo(tmp_path, "args.json")
    settings = fifo(tmp_path, "settings.toml")
    agent = put(tmp_path, "a.yaml", CLEAN_AGENT)
    linked = tmp_path / "linked.json"
    linked.symlink_to(args)
    runs = {
        scenario: run_voicetools("test", str(scenario), cwd=tmp_path),
        tools: run_voicetools("import", str(tools), cwd=tmp_path),
        args: run_voicetools(*TOOL_RUN, f"@{args}", cwd=tmp_path),
        linked: run_voicetools(*TOOL_RUN, f"@{linked}", cwd=tmp_path),
        settings: run_voicetools("validate", "--config", str(settings), str(agent), cwd=tmp_path),
    }
    for path, done in runs.items():
        assert done.returncode == 2, (path, done.stderr)
        _refused(done.stderr, path, "it is a FIFO (named pipe)")


def test_export_tool_list_and_chat_refuse_a_device_agent_file(tmp_path: Path) -> None:
    link = tmp_path / "agent.yaml"
    link.symlink_to("/dev/zero")
    for argv in (["export", str(link)], ["tool", "list", str(link)], ["chat", str(link)]):
        result = run_cli(*argv)
        assert result.exit_code == 2
        _refused(result.stderr, link, "character device; an agent file must be a regular file")


def test_no_command_reads_a_sparse_100_mb_file_whole(tmp_path: Path) -> None:
    path, _ = sparse_100_mb(tmp_path, "big", 0)
    commands = {
        "validate": ["validate", str(path)],
        "test": ["test", str(path)],
        "import": ["import", str(path)],
        "args": [*TOOL_RUN, f"@{path}"],
        "config": ["validate", "--config", str(path), str(put(tmp_path, "a.yaml", CLEAN_AGENT))],
    }
    for name, argv in commands.items():
        tracemalloc.start()
        try:
            result = run_cli(*argv)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert result.exit_code in (1, 2) and "larger than" in result.output, name
        assert peak < SPARSE_BYTES // 4, (name, peak)


def test_test_reports_hostile_yaml_files_inside_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "zero.yaml").symlink_to("/dev/zero")
    pipe = fifo(folder, "pipe.yaml")
    done = run_voicetools("test", str(folder), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = sorted(done.stderr.strip().splitlines())
    assert lines[0].startswith(f"{pipe}:1:1: cannot read file: it is a FIFO")
    assert lines[1].startswith(f"{folder / 'zero.yaml'}:1:1: cannot read file: it is a character")


@pytest.mark.parametrize("make", ALL_FILES.values(), ids=list(ALL_FILES))
def test_report_refuses_a_hostile_transcript_or_recording(tmp_path: Path, make: Maker) -> None:
    page = tmp_path / "call.html"
    path, words = make(tmp_path, "call.jsonl", TRANSCRIPT_FILE_CAP)
    result = run_cli("report", str(path), "-o", str(page))
    assert result.exit_code == 2
    _refused(result.stderr, path, words)
    transcript = put(tmp_path, "good.jsonl", '{"type": "user", "text": "hi", "t": 0}\n')
    audio, words = make(tmp_path, "call.wav", REPORT_AUDIO_CAP)
    result = run_cli("report", str(transcript), "-o", str(page), "--audio", str(audio))
    assert result.exit_code == 2
    _refused(result.stderr, audio, words)
    assert not page.exists()


def test_report_refuses_fifos_without_blocking(tmp_path: Path) -> None:
    transcript = fifo(tmp_path, "call.jsonl")
    audio = fifo(tmp_path, "call.wav")
    good = put(tmp_path, "good.jsonl", '{"type": "user", "text": "hi", "t": 0}\n')
    runs = {
        transcript: run_voicetools("report", str(transcript), "-o", "a.html", cwd=tmp_path),
        audio: run_voicetools(
            "report", str(good), "-o", "b.html", "--audio", str(audio), cwd=tmp_path
        ),
    }
    for path, done in runs.items():
        assert done.returncode == 2, (path, done.stderr)
        _refused(done.stderr, path, "it is a FIFO (named pipe)")
