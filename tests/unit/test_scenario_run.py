"""Running scenarios on the real engine with a scripted model: results, isolation, processes."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from scenario_support import order_llm, write_scenario

from voicetools.scenario.load import load_scenario_file
from voicetools.scenario.parallel import ModelChoice, run_parallel
from voicetools.scenario.results import ScenarioResult
from voicetools.scenario.run import RunOptions, run_all, scratch_env, selected

SUITE = """\
  - name: lookup with filler
    faults:
      get_order_status: {latency_ms: 600}
    turns:
      - user: What's the status of order 4521?
        expect:
          calls: [{name: get_order_status, arguments: {order_id: "4521"}}]
          filler: true
          reply_contains: [shipped]
  - name: missing number
    turns:
      - user: Where is my order?
        expect: {no_call: true, reply_contains: order number}
  - name: ticket after a yes
    mocks:
      create_support_ticket: {ticket_id: T-1001}
    turns:
      - user: Please open a ticket, my parcel is damaged.
        expect: {calls: [{name: create_support_ticket}], confirmation: true}
      - user: Yes please.
        expect: {calls: [{name: create_support_ticket}], reply_contains: T-1001}
  - name: the ticket system is down
    faults:
      create_support_ticket: {status: 503}
    turns:
      - user: Please open a ticket, my parcel is damaged.
        expect: {confirmation: true}
      - user: Yes.
        expect: {reply_contains: [try again], ended: false}
  - name: goodbye
    turns:
      - user: Thanks, bye!
        expect: {calls: [{name: end_call}], ended: true}
"""


def run(path: Path, **options: Any) -> list[ScenarioResult]:
    file = load_scenario_file(path)
    work = selected([file], options.pop("select", ""))
    return asyncio.run(run_all(work, order_llm(), RunOptions(**options)))


def test_a_suite_that_a_good_model_passes(tmp_path: Path) -> None:
    results = run(write_scenario(tmp_path, SUITE))
    assert [r.failures for r in results] == [[]] * 5
    lookup = results[0].turns[0]
    kinds = [e["type"] for e in lookup.transcript]
    assert kinds[0] == "user" and "filler" in kinds and kinds[-1] == "stats"
    assert results[4].turns[0].transcript[-2]["type"] == "end"


def test_a_failing_turn_stops_its_scenario_with_a_readable_diff(tmp_path: Path) -> None:
    body = SUITE.replace('order_id: "4521"', 'order_id: "4512"')
    body = body.replace("Yes please.", "Yes please, and then some.")
    results = run(write_scenario(tmp_path, body), select="lookup")
    (result,) = results
    assert not result.passed
    assert result.failures == [
        'turn 1 (line 8) "What\'s the status of order 4521?": expected call get_order_status '
        '{order_id: "4512"}, got: get_order_status {order_id: "4521"} '
        '(order_id: expected "4512", got "4521"); '
        'agent said: "Order 4521 has shipped and arrives May 8th."'
    ]


def test_turns_after_the_end_of_the_call_fail(tmp_path: Path) -> None:
    body = """\
  - name: talks after goodbye
    turns:
      - user: bye
      - user: wait, one more thing
      - user: hello?
"""
    (result,) = run(write_scenario(tmp_path, body))
    assert result.turns[1].failures == ("the call had already ended before this turn",)
    assert result.skipped_turns == 1


def test_each_scenario_gets_a_fresh_engine_and_runner(tmp_path: Path) -> None:
    # The first scenario leaves a confirmation pending; the second must not see it.
    body = """\
  - name: asks
    mocks: {create_support_ticket: {ticket_id: T-1}}
    turns:
      - user: Please open a ticket, my parcel is damaged.
        expect: {confirmation: true}
  - name: a yes means nothing here
    mocks: {create_support_ticket: {ticket_id: T-1}}
    turns:
      - user: Yes please.
        expect: {no_call: true}
"""
    assert [r.passed for r in run(write_scenario(tmp_path, body))] == [True, True]


def test_mock_tools_from_the_command_line(tmp_path: Path) -> None:
    body = """\
  - name: mocked lookup
    turns:
      - user: What's the status of order 4521?
        expect: {calls: [{name: get_order_status}], reply_contains: [found]}
"""
    (result,) = run(write_scenario(tmp_path, body), mock_tools=True)
    assert result.passed, result.failures  # {"ok": true} has no "shipped": the generic reply
    assert result.turns[0].transcript[2]["result"] == {"ok": True}


def test_scratch_env_gives_each_scenario_its_own_store(monkeypatch: Any) -> None:
    monkeypatch.delenv("TASKS_DB", raising=False)
    with scratch_env():
        first = os.environ["TASKS_DB"]
    with scratch_env():
        second = os.environ["TASKS_DB"]
    assert first != second and "TASKS_DB" not in os.environ
    monkeypatch.setenv("TASKS_DB", "/somewhere/mine.sqlite")
    with scratch_env():
        assert os.environ["TASKS_DB"] == "/somewhere/mine.sqlite"


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    file = load_scenario_file(write_scenario(tmp_path, SUITE))
    work = selected([file], "")
    choice = ModelChoice(factory=order_llm)
    results = run_parallel(work, choice, RunOptions(), jobs=2)
    assert [r.name for r in results] == [s.name for s in file.scenarios]
    assert all(r.passed for r in results), [r.failures for r in results]
