"""`voicetools tool run` on functions that need the caller's yes: asked on a terminal, refused
elsewhere unless `--yes`, and never run by a destructive function without one."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from cli_support import run_cli

AGENT = str(Path(__file__).resolve().parents[1] / "data" / "agents" / "consent.yaml")
MILK = '{"note": "milk"}'


def test_a_destructive_function_without_confirm_is_refused_without_yes(probe_log: Path) -> None:
    env = {"PROBE_LOG": str(probe_log)}
    result = run_cli("tool", "run", AGENT, "remove_note", "--args", MILK, env=env)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "confirmation_required"
    assert result.stderr.strip().splitlines() == [
        "voicetools: confirmation required: Just to confirm: remove note with note milk. "
        "Shall I go ahead? (pass --yes to confirm)"
    ]
    assert probe_log.read_text() == ""  # nothing ran


def test_yes_runs_it_once(probe_log: Path) -> None:
    env = {"PROBE_LOG": str(probe_log)}
    result = run_cli("tool", "run", AGENT, "remove_note", "--args", MILK, "--yes", env=env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"recorded": "milk"}
    assert probe_log.read_text() == "milk|None|low\n"


def test_confirm_false_in_the_file_runs_without_a_question(probe_log: Path) -> None:
    env = {"PROBE_LOG": str(probe_log)}
    result = run_cli("tool", "run", AGENT, "clear_scratchpad", "--args", MILK, env=env)
    assert result.exit_code == 0, result.stderr
    assert probe_log.read_text() == "milk|None|low\n"


def test_tool_list_shows_which_functions_ask() -> None:
    result = run_cli("tool", "list", AGENT)
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line.strip()]
    confirm = {row[0]: row[4] for row in rows}  # NAME KIND TIMEOUT(2 words) CONFIRM TARGET
    assert confirm == {
        "delete_note": "yes",
        "save_note": "read-back",
        "remove_note": "read-back",
        "clear_scratchpad": "-",
        "read_note": "-",
    }


def test_the_rules_list_documents_the_warning_on_confirm_false() -> None:
    result = run_cli("rules")
    line = next(line for line in result.stdout.splitlines() if "V101" in line)
    assert "confirm: false" in line and "destructive-without-confirm" in line


def test_validate_warns_on_confirm_false_for_a_destructive_function() -> None:
    result = run_cli("validate", AGENT)
    warned = [line for line in result.stdout.splitlines() if "V101" in line]
    assert len(warned) == 1 and "clear_scratchpad" in warned[0], result.stdout
    assert "0 errors, 1 warning" in result.stdout + result.stderr


def _on_a_terminal(probe_log: Path, typed: bytes) -> subprocess.CompletedProcess[bytes]:
    """`voicetools tool run ... remove_note` in a real process whose stdin is a terminal."""
    controller, terminal = pty.openpty()
    try:
        argv = [sys.executable, "-m", "voicetools", "tool", "run", AGENT, "remove_note"]
        process = subprocess.Popen(
            [*argv, "--args", MILK],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PROBE_LOG": str(probe_log), "NO_COLOR": "1"},
        )
        os.write(controller, typed)  # the terminal keeps the line until the prompt reads it
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_on_a_terminal_the_question_is_asked_and_y_runs_it(probe_log: Path) -> None:
    done = _on_a_terminal(probe_log, b"y\n")
    assert done.returncode == 0, done.stderr
    assert b"Just to confirm: remove note with note milk. Shall I go ahead?" in done.stderr
    assert json.loads(done.stdout) == {"recorded": "milk"}
    assert probe_log.read_text() == "milk|None|low\n"


def test_on_a_terminal_anything_but_yes_runs_nothing(probe_log: Path) -> None:
    done = _on_a_terminal(probe_log, b"n\n")
    assert done.returncode == 1
    assert json.loads(done.stdout)["status"] == "confirmation_required"
    assert b"Traceback" not in done.stderr
    assert probe_log.read_text() == ""
