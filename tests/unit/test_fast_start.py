"""`voicetools validate` starts fast: no model, audio, numpy or rich import on its path.

Run in a fresh interpreter, since this test session itself may already have imported them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_support import CLEAN_AGENT

HEAVY = (
    "faster_whisper",
    "llama_cpp",
    "piper",
    "sounddevice",
    "soundfile",
    "numpy",
    "rich",
    "httpx",
)

_PROBE = """
import json, sys
from typer.testing import CliRunner
from voicetools.cli.app import app
runs = [CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
        for args in (["validate", sys.argv[1]], ["validate", "-f", "sarif", sys.argv[1]],
                     ["validate", "--color", sys.argv[1]], ["rules"])]
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
print(json.dumps({"exits": [r.exit_code for r in runs], "heavy": heavy}))
"""


def test_validate_imports_nothing_heavy(tmp_path: Path) -> None:
    agent = tmp_path / "agent.yaml"
    agent.write_text(CLEAN_AGENT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(agent), ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"exits": [0, 0, 0, 0], "heavy": []}
