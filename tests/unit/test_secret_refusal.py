"""Secrets too short or too common to mask are refused by name, at start and at call time."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cli_support import put, run_cli
from scenario_support import ORDER_AGENT, order_llm, write_scenario
from tool_support import PROBE, call, probe_agent

from voicetools.cli import test_cmd
from voicetools.scenario.parallel import ModelChoice
from voicetools.spec import load_agent
from voicetools.tools.base import ErrorCategory
from voicetools.tools.request import RequestRefused, build_request
from voicetools.tools.runner import ToolRunner
from voicetools.tools.secret_values import MIN_SECRET_CHARS, SecretRefused, secret_problem
from voicetools.tools.secrets import session_redactor

SHORT_AGENT = """\
version: 1
name: short-secret
instructions: You look things up for the caller.
allow_private: true
functions:
  - name: lookup
    description: Look something up by its reference.
    parameters:
      type: object
      properties:
        ref: {type: string, description: The reference.}
      required: [ref]
    http:
      url: http://127.0.0.1:9/lookup/{ref}?key=${LOOKUP_KEY}
      method: GET
"""


@pytest.mark.parametrize(
    "value",
    [
        "a",
        "demo",
        "abc1234",
        "x" * (MIN_SECRET_CHARS - 1),
        "zzzzzzzzzzzz",
        "password",
        "CHANGEME",
        "12345678",
        "your-api-key",
        "placeholder",
    ],
)
def test_unsafe_values_are_refused_by_name(value: str) -> None:
    problem = secret_problem("LOOKUP_KEY", value)
    assert "LOOKUP_KEY" in problem
    if len(value) >= 4:  # shorter ones are inside ordinary words
        assert value.lower() not in problem.replace("LOOKUP_KEY", "").lower()
    assert "\n" not in problem


@pytest.mark.parametrize("value", ["demo-key-1234", "abcd1234", "sk_live_9f8e7d6c5b", "p@ss w0rd!"])
def test_safe_values_pass(value: str) -> None:
    assert secret_problem("LOOKUP_KEY", value) == ""


def test_the_runner_refuses_at_session_start() -> None:
    with pytest.raises(SecretRefused, match="PROBE_SECRET is too short"):
        ToolRunner(probe_agent(), env={"PROBE_SECRET": "demo"})
    with pytest.raises(SecretRefused, match="PROBE_SECRET is a well-known stand-in"):
        session_redactor(probe_agent(), {"PROBE_SECRET": "changeme"})
    assert session_redactor(probe_agent(), {}).secrets == ()  # unset: refused per call instead


def test_build_request_refuses_at_call_time() -> None:
    agent = load_agent(PROBE)
    function = next(f for f in agent.functions if f.http is not None)
    with pytest.raises(RequestRefused) as refused:
        build_request(function, {"item_id": "x"}, variables={}, env={"PROBE_SECRET": "abc"})
    assert refused.value.category is ErrorCategory.PERMISSION
    assert "PROBE_SECRET" in refused.value.detail and "abc" not in refused.value.detail


def test_a_runner_with_a_stale_env_still_refuses_the_call() -> None:
    env = {"PROBE_SECRET": "long-enough-secret"}
    runner = ToolRunner(probe_agent(), env=env)
    env["PROBE_SECRET"] = "s3Kr!"  # changed after the session started
    function = next(f for f in probe_agent().functions if f.http is not None)
    result = asyncio.run(runner.run(call(function.name, item_id="x")))
    assert not result.ok and result.payload["error"] == "request_refused"
    assert "s3Kr!" not in str(result.payload)


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
@pytest.mark.parametrize("value", ["demo", "1234567", "aaaaaaaaaaaa"])
def test_tool_run_refuses_in_one_line_exit_2(
    tmp_path: Path, dry_run: list[str], value: str
) -> None:
    agent = put(tmp_path, "agent.yaml", SHORT_AGENT)
    args = ("tool", "run", str(agent), "lookup", "--args", '{"ref": "r1"}', *dry_run)
    result = run_cli(*args, env={"LOOKUP_KEY": value})
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "LOOKUP_KEY" in lines[0] and "Traceback" not in result.stderr
    assert value not in lines[0].replace("LOOKUP_KEY", "").replace("voicetools", "")


def _one_line_naming_the_variable(stderr: str, value: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "DEMO_API_KEY" in lines[0] and "too short" in lines[0]
    assert f"={value}" not in lines[0] and f" {value} " not in lines[0]
    assert "Traceback" not in stderr


def test_chat_refuses_a_short_secret_before_the_first_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    llm = order_llm()
    monkeypatch.setattr("voicetools.runtime.session.build_llm", lambda *a, **k: llm)
    result = run_cli("chat", str(ORDER_AGENT), env={"DEMO_API_KEY": "demo"})
    assert result.exit_code == 2
    _one_line_naming_the_variable(result.stderr, "demo")
    assert llm.requests == []  # refused before the model was asked anything


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_scenario_tests_refuse_a_short_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.setattr(test_cmd, "model_choice", lambda m, u: ModelChoice(factory=order_llm))
    body = "  - name: a\n    turns:\n      - user: order 4521\n        expect: {no_call: false}\n"
    scenario = write_scenario(tmp_path, body + body.replace("name: a", "name: b"))
    result = run_cli("test", str(scenario), "--jobs", jobs, env={"DEMO_API_KEY": "demo"})
    assert result.exit_code == 2, result.output
    _one_line_naming_the_variable(result.stderr, "demo")
