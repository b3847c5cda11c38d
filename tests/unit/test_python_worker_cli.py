"""`voicetools tool run` as a real process: a handler's prints never reach the CLI's stdout.

In-process runners (CliRunner) swap `sys.stdout` and so cannot see writes to file descriptor
1 made by another process; only a real CLI process shows what a user's terminal would get.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[1] / "data" / "hostile_handlers" / "hostile.py"

AGENT = """\
version: 1
name: printing
instructions: A test agent whose handlers print and hang.
functions:
  - name: prints
    description: Prints to stdout and stderr, through Python and the raw descriptors.
    parameters:
      type: object
      properties:
        text: {{type: string, description: Anything.}}
      required: [text]
    python: {handlers}:prints
  - name: prints_then_hangs
    description: Prints a line, then sleeps far past its timeout.
    parameters: {{type: object, properties: {{}}}}
    python: {handlers}:prints_then_hangs
    timeout_ms: 5000
"""


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    agent = tmp_path / "agent.yaml"
    handlers = os.path.relpath(HANDLERS, tmp_path).replace(os.sep, "/")
    agent.write_text(AGENT.format(handlers=handlers), encoding="utf-8")
    command = [sys.executable, "-m", "voicetools", "tool", "run", str(agent), *args]
    return subprocess.run(  # noqa: S603 - our own CLI
        command, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_result_is_all_that_reaches_stdout(tmp_path: Path) -> None:
    done = _cli(tmp_path, "prints", "--args", '{"text": "hello"}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"printed": True}  # nothing else on stdout
    assert "HANDLER-" not in done.stdout + done.stderr


def test_a_hung_printing_handler_times_out_on_time_and_its_output_goes_to_the_log(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    done = _cli(tmp_path, "prints_then_hangs", "-v")
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"] == "handler_timeout"
    assert "HANDLER-BEFORE-HANG" not in done.stdout
    assert "HANDLER-BEFORE-HANG" in done.stderr  # --verbose shows the failure's details
    assert elapsed < 30  # the handler sleeps 60 s; start-up of the CLI is the rest
