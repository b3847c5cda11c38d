"""`voicetools chat` through CliRunner, with a scripted model in place of the real one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from voicetools.cli.app import app
from voicetools.testing.scripted_llm import ScriptedLLM

AGENTS = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedLLM:
    llm = ScriptedLLM([("hello", "Hi! How can I help?")])
    llm.add("tool_response", "Your order has shipped.")  # first: results mention 4521 too
    llm.on_call("4521", "get_order_status", order_id="4521")
    llm.on_call("bye", "end_call")

    def fake_build_llm(*args: Any, **kwargs: Any) -> ScriptedLLM:
        return llm

    monkeypatch.setattr("voicetools.runtime.session.build_llm", fake_build_llm)
    return llm


def chat(*args: str, stdin: str) -> Result:
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    return CliRunner().invoke(app, ["chat", *args], input=stdin, env=env)


def test_piped_lines_are_turns_until_end_call(scripted: ScriptedLLM, tmp_path: Path) -> None:
    transcript = tmp_path / "call.jsonl"
    lines = "hello\nwhere is order 4521\nok bye\nthis line is never read\n"
    result = chat(str(AGENTS / "order_support.yaml"), "--transcript", str(transcript), stdin=lines)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "agent   Hello! Thanks for calling." in out
    assert '-> get_order_status {"order_id": "4521"}' in out
    assert "<- get_order_status ok in" in out and "shipped" in out
    assert "agent   Your order has shipped." in out
    assert "-- call ended (end_call)" in out
    assert "never read" not in out
    events = [json.loads(line) for line in transcript.read_text().splitlines()]
    types = {e["type"] for e in events}
    assert {"user", "agent", "tool_call", "tool_result", "end"} <= types
    call = next(e for e in events if e["type"] == "tool_call")
    assert call["name"] == "get_order_status" and call["arguments"] == {"order_id": "4521"}
    result_event = next(e for e in events if e["type"] == "tool_result")
    assert result_event["name"] == "get_order_status" and result_event["result"]["status"]
    assert all("text" in e for e in events if e["type"] in ("user", "agent", "filler"))
    times = [e["t"] for e in events if "t" in e]
    assert times == sorted(times), " ".join(f"{e['type']}:{e.get('t')}" for e in events)


def test_mock_tools_touch_nothing_and_stats_are_printed(scripted: ScriptedLLM) -> None:
    result = chat(
        str(AGENTS / "order_support.yaml"), "--mock-tools", "--stats", stdin="order 4521\n"
    )
    assert result.exit_code == 0, result.output
    assert "<- get_order_status ok in" in result.stdout and '{"ok": true}' in result.stdout
    assert "TOOL" in result.stdout and "get_order_status  1" in result.stdout
    assert "turns; model first piece p50" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "next week"], "--today must be YYYY-MM-DD"),
        (["--model", "/nowhere/model.gguf"], "model file not found"),
    ],
)
def test_bad_options_are_one_line_errors(args: list[str], message: str) -> None:
    result = chat(str(AGENTS / "order_support.yaml"), *args, stdin="")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_a_broken_agent_file_points_at_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "agent.yaml"
    broken.write_text("name: x\ninstructions: [unclosed\n", encoding="utf-8")
    result = chat(str(broken), stdin="")
    assert result.exit_code == 2
    assert f"{broken}:3:1" in result.stderr or f"{broken}:2:" in result.stderr


def test_the_model_can_come_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from voicetools.runtime.session import configured_model

    (tmp_path / "pyproject.toml").write_text(
        '[tool.voicetools]\nmodel = "models/team.gguf"\nllm_url = ""\n', encoding="utf-8"
    )
    (tmp_path / "agents").mkdir()
    assert configured_model(tmp_path / "agents") == ("models/team.gguf", None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOICETOOLS_MODEL", raising=False)
    result = chat(str(AGENTS / "order_support.yaml"), stdin="")
    # The configured file does not exist: the error names it, so the setting was used.
    assert result.exit_code == 2 and "models/team.gguf" in result.stderr
