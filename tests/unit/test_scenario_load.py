"""Scenario files: what loads, and every mistake reported at file:line:col with a hint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from scenario_support import ORDER_AGENT, SCENARIOS, scenario_text

from voicetools.errors import SpecError
from voicetools.scenario.load import ScenarioError, build_scenario_file, load_scenario_file
from voicetools.scenario.model import ScenarioFile
from voicetools.scenario.schema import SCENARIO_SCHEMA
from voicetools.spec.load import parse_document
from voicetools.tools.faults import Fault

GOOD = """\
  - name: status
    mocks:
      create_support_ticket: {ticket_id: T-1}
    faults:
      get_order_status: {latency_ms: 800}
    turns:
      - user: Where is order 4521?
        expect:
          calls: [{name: get_order_status, arguments: {order_id: "4521"}}]
          filler: true
          reply_contains: shipped
          reply_not_contains: [cancelled]
      - user: bye
        expect: {calls: [{name: end_call}], ended: true}
"""


def load(body: str, **options: str) -> ScenarioFile:
    """`body` as the scenarios of a file named s.yaml (the agent path is absolute)."""
    return build_scenario_file(parse_document(scenario_text(body, **options), "s.yaml"))


def problems(body: str, **options: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(body, **options)
    return [str(p) for p in caught.value.problems]


def test_a_good_file_builds_everything() -> None:
    built = load(GOOD)
    assert built.today == date(2026, 5, 6)
    scenario = built.scenarios[0]
    assert scenario.mocks == {"create_support_ticket": {"ticket_id": "T-1"}}
    assert scenario.faults == {"get_order_status": Fault(latency_ms=800)}
    first, second = scenario.turns
    assert first.line == 10 and second.line == 16
    assert first.expect.calls[0].arguments == {"order_id": "4521"}
    assert first.expect.reply_contains == ("shipped",)  # one text is a list of one
    assert second.expect.ended is True and second.expect.no_call is None
    assert built.to_json()["scenarios"][0]["turns"][1]["expect"] == {
        "calls": [{"name": "end_call"}],
        "ended": True,
    }


def test_an_unknown_key_is_located_with_a_hint() -> None:
    found = problems(GOOD.replace("reply_contains:", "reply_contain:"))
    assert found == ["s.yaml:14:11: unknown field `reply_contain` (did you mean `reply_contains`?)"]


def test_every_problem_is_reported_in_file_order() -> None:
    body = GOOD.replace("filler: true", "filer: true").replace("user: bye", "usr: bye")
    found = problems(body)
    assert [f.split(": ", 1)[0] for f in found] == ["s.yaml:13:11", "s.yaml:16:9", "s.yaml:16:9"]
    assert "missing required field `user`" in found[1]
    assert "did you mean `user`?" in found[2]


def test_names_are_checked_against_the_agent() -> None:
    body = (
        GOOD.replace("name: get_order_status,", "name: get_order_stats,")
        .replace("create_support_ticket: {ticket", "create_ticket: {ticket")
        .replace("calls: [{name: end_call}]", "calls: [{name: end_call, arguments: {mesage: x}}]")
    )
    found = problems(body)
    assert "s.yaml:6:7: the agent has no function `create_ticket`" in found[0]
    assert "did you mean `create_support_ticket`?" in found[0]
    assert "s.yaml:12:26: the agent has no function `get_order_stats`" in found[1]
    assert "did you mean `get_order_status`?" in found[1]
    assert found[2] == "s.yaml:17:55: `end_call` has no parameter `mesage`"


def test_values_and_contradictions() -> None:
    body = GOOD.replace("latency_ms: 800", "status: 503, timeout: true").replace(
        "filler: true", "no_call: true"
    )
    found = problems(body, today="2026-02-30")
    assert any("s.yaml:2:8: `today` is not a date" in f for f in found)
    assert any("status and timeout" in f for f in found)
    assert any("`no_call: true` contradicts the `calls`" in f for f in found)


def test_wrong_types_say_what_was_expected() -> None:
    found = problems(GOOD.replace("user: bye", "user: yes").replace("800", "-5"))
    assert any("s.yaml:8:38: `latency_ms` must be within 0..60000" in f for f in found)
    yes = next(f for f in found if "`user` must be a string, not boolean" in f)
    assert yes.startswith("s.yaml:16:15") and "YAML 1.1" in yes  # the reader's note as a hint


def test_a_missing_agent_and_a_broken_agent(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("agent: nowhere.yaml\nscenarios: [{name: a, turns: [{user: hi}]}]\n")
    with pytest.raises(ScenarioError, match="agent file not found: nowhere.yaml"):
        load_scenario_file(path)
    (tmp_path / "broken.yaml").write_text("version: 1\nnmae: x\n")
    path.write_text("agent: broken.yaml\nscenarios: [{name: a, turns: [{user: hi}]}]\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    assert "broken.yaml:" in str(caught.value) and "in the agent file" in str(caught.value)


def test_unreadable_yaml_is_a_located_spec_error(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("agent: x\nscenarios: [\n")
    with pytest.raises(SpecError, match=r"s.yaml:\d+:\d+: YAML syntax error"):
        load_scenario_file(path)
    path.write_text("- just a list\n")
    with pytest.raises(ScenarioError, match="s.yaml:1:1: the scenario file is not a mapping"):
        load_scenario_file(path)


def test_repeated_keys_are_errors() -> None:
    found = problems(GOOD.replace("filler: true", "filler: true\n          filler: false"))
    assert any("duplicate key `filler`" in f for f in found)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_file_loads(path: Path) -> None:
    built = load_scenario_file(path)
    assert 3 <= len(built.scenarios) <= 6
    assert built.agent_path.is_file()


def test_every_example_agent_has_a_scenario_file() -> None:
    agents = {p.stem for p in ORDER_AGENT.parent.glob("*.yaml")}
    assert agents <= {p.stem for p in SCENARIOS.glob("*.yaml")}


def test_the_schema_is_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(SCENARIO_SCHEMA)
