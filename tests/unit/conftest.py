"""Fixtures that several unit test files use; a test asks for each by name.

Plain helpers stay modules a test imports by name, so a reader sees where a value comes from:
- `cli_support`: `run_cli` (the CLI through CliRunner, fixed width, colour off), `put`, and
  sample agent texts (clean, a bad field, a warning only);
- `engine_support`: `turn` (one caller turn through an engine), `said`, `calls`;
- `scenario_support`: scenario files for the order agent and `order_llm`, its scripted model;
- `tool_support`: the probe agent, a runner that knows its secret, a fake policy clock;
- `worker_support`: hostile Python handlers called through a real executor;
- `doctor_support`: `report_line`, one line of `voicetools doctor`'s report;
- `hostile_files`: devices, sockets, FIFOs and huge files for the bounded-input tests.
The fakes behind the model and speech seams (scripted LLM, fake STT/TTS) are in
`voicetools.testing`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from voicetools.spec import Agent, load_agent

AGENTS = Path(__file__).resolve().parents[2] / "agents"
LLAMA_SWITCH = "VOICETOOLS_LLAMA_EXTRA_BUFTS"
"""Turns llama.cpp's extra buffer types back on; the doctor reports it."""


@pytest.fixture
def probe_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the probe agent's handlers append to (PROBE_LOG); it exists, empty, so
    "nothing ran" is checkable."""
    log = tmp_path / "probe.log"
    log.write_text("")
    monkeypatch.setenv("PROBE_LOG", str(log))
    return log


@pytest.fixture(scope="module")
def orders() -> Agent:
    """agents/order_support.yaml, loaded once per test module."""
    return load_agent(AGENTS / "order_support.yaml")


@pytest.fixture
def llama_switch_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The doctor's report as on a machine where nobody set `LLAMA_SWITCH`."""
    monkeypatch.delenv(LLAMA_SWITCH, raising=False)
