"""`voicetools tool run` / `tool list` through CliRunner (COLUMNS=100, NO_COLOR=1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import put, run_cli
from tool_support import CARD, PROBE, SECRET

ROOT = Path(__file__).resolve().parents[2]
ORDERS = str(ROOT / "agents" / "order_support.yaml")
TASKS = str(ROOT / "agents" / "task_manager.yaml")
PROBE_ENV = {"PROBE_SECRET": SECRET}


def _one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_get_order_status_prints_the_payload() -> None:
    result = run_cli("tool", "run", ORDERS, "get_order_status", "--args", '{"order_id":"4521"}')
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "shipped" and payload["order_id"] == "4521"


def test_failure_exits_1_with_the_payload() -> None:
    result = run_cli("tool", "run", ORDERS, "get_order_status", "--args", '{"order_id":"1111"}')
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "not_found"
    assert "the caller would hear" in result.stderr


def test_invalid_arguments_exit_1() -> None:
    result = run_cli("tool", "run", ORDERS, "get_order_status", "--args", '{"order_id":"12ab"}')
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["error"] == "invalid_arguments" and "order_id" in payload["detail"]


def test_task_manager_round_trip(tmp_path: Path) -> None:
    env = {"TASKS_DB": str(tmp_path / "tasks.sqlite")}

    def tool(name: str, args: str, *extra: str) -> tuple[int, dict[str, object]]:
        result = run_cli("tool", "run", TASKS, name, "--args", args, *extra, env=env)
        return result.exit_code, json.loads(result.stdout)

    code, created = tool("create_task", '{"title": "Call mom", "due_date": "2026-05-01"}')
    assert code == 0 and created["task_id"] == 1 and created["priority"] == "medium"
    assert created["message"] == "Added task 1, Call mom, due Friday, May 1."
    assert tool("complete_task", '{"task_id": 1}') == (0, {"task_id": 1, "completed": True})
    code, listed = tool("list_tasks", '{"status": "done"}')
    assert listed["count"] == 1
    code, missing = tool("complete_task", '{"task_id": 99}')
    assert code == 1 and missing["category"] == "not_found"

    code, asked = tool("delete_task", '{"task_id": 1}')  # confirm-tool without --yes
    assert code == 1 and asked["status"] == "confirmation_required"
    assert asked["question"] == "Delete task 1? This cannot be undone."
    assert tool("list_tasks", '{"status": "all"}')[1]["count"] == 1  # nothing deleted
    assert tool("delete_task", '{"task_id": 1}', "--yes") == (0, {"task_id": 1, "deleted": True})
    assert tool("list_tasks", '{"status": "all"}')[1]["count"] == 0


def test_args_from_a_file(tmp_path: Path) -> None:
    args = put(tmp_path, "args.json", '{"order_id": "7788"}')
    result = run_cli("tool", "run", ORDERS, "get_order_status", "--args", f"@{args}")
    assert result.exit_code == 0 and json.loads(result.stdout)["status"] == "delivered"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["tool", "run", ORDERS, "no_such_tool"], "has no function 'no_such_tool'"),
        (["tool", "run", ORDERS, "get_order_status", "--args", "{nope"], "--args is not valid"),
        (["tool", "run", ORDERS, "get_order_status", "--args", "[1]"], "must hold a JSON object"),
        (["tool", "run", "missing.yaml", "x"], "missing.yaml:1:1: cannot read file"),
        (["tool", "list", "missing.yaml"], "missing.yaml:1:1: cannot read file"),
    ],
)
def test_usage_and_spec_errors_exit_2_in_one_line(argv: list[str], expected: str) -> None:
    result = run_cli(*argv)
    assert result.exit_code == 2
    assert expected in _one_line_error(result.stderr)
    assert result.stdout == ""


def test_bad_json_file_points_at_line_and_column(tmp_path: Path) -> None:
    args = put(tmp_path, "args.json", '{\n  "order_id": }\n')
    result = run_cli("tool", "run", ORDERS, "get_order_status", "--args", f"@{args}")
    assert result.exit_code == 2
    assert _one_line_error(result.stderr).startswith(f"{args}:2:15: not valid JSON")


def test_broken_agent_file_points_at_line_and_column(tmp_path: Path) -> None:
    agent = put(tmp_path, "bad.yaml", "version: 1\nname: x\nfunctions: [\n")
    result = run_cli("tool", "run", str(agent), "x")
    assert result.exit_code == 2
    assert _one_line_error(result.stderr).startswith(f"{agent}:")


def test_dry_run_of_an_http_tool_shows_the_request_with_the_secret_redacted() -> None:
    args = json.dumps({"item_id": "a/b?x=1#", "lang": "fr"})
    result = run_cli(
        "tool", "run", str(PROBE), "lookup_item", "--dry-run", "--args", args, env=PROBE_ENV
    )
    assert result.exit_code == 0, result.stderr
    request = json.loads(result.stdout)
    assert request["method"] == "GET"
    assert request["url"] == "https://api.example.com/v1/items/a%2Fb%3Fx%3D1%23?lang=fr"
    assert request["headers"]["Authorization"] == "Bearer [REDACTED]"
    assert request["body"] is None
    assert SECRET not in result.stdout + result.stderr


def test_dry_run_of_a_post_tool_shows_the_json_body() -> None:
    args = '{"issue": "lid broken", "order_id": "4521"}'
    result = run_cli(
        "tool",
        "run",
        ORDERS,
        "create_support_ticket",
        "--dry-run",
        "--args",
        args,
        env={"DEMO_API_KEY": SECRET},
    )
    assert result.exit_code == 0, result.stderr
    request = json.loads(result.stdout)
    assert request["method"] == "POST" and request["url"] == "http://127.0.0.1:8765/tickets"
    assert request["body"] == {"issue": "lid broken", "order_id": "4521"}
    assert request["headers"]["X-Caller-Number"] == "+15551234567"
    assert SECRET not in result.stdout + result.stderr


def test_dry_run_refuses_an_unset_secret() -> None:
    result = run_cli(
        "tool",
        "run",
        str(PROBE),
        "lookup_item",
        "--dry-run",
        "--args",
        '{"item_id": "1"}',
        env={"PROBE_SECRET": ""},
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["category"] == "permission"


def test_dry_run_of_python_and_builtin_tools(tmp_path: Path) -> None:
    log = tmp_path / "probe.log"
    env = {"PROBE_LOG": str(log)}
    result = run_cli(
        "tool", "run", str(PROBE), "record_note", "--dry-run", "--args", '{"note": "x"}', env=env
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "kind": "python",
        "handler": "../handlers/probe.py:record_note",
        "arguments": {"note": "x"},
    }
    assert not log.exists()
    result = run_cli(
        "tool",
        "run",
        str(PROBE),
        "send_sms",
        "--dry-run",
        "--args",
        json.dumps({"message": f"card {CARD}"}),
    )
    planned = json.loads(result.stdout)
    assert planned["actions"][0]["number"] == "+15551230000"
    assert CARD not in result.stdout


def test_no_secret_in_cli_output_even_verbose() -> None:
    for name in ("leak_secret", "explode"):
        result = run_cli(
            "tool",
            "run",
            str(PROBE),
            name,
            "-v",
            "--args",
            json.dumps({"text": f"{SECRET} {CARD}"}),
            env=PROBE_ENV,
        )
        assert result.exit_code in (0, 1)
        assert SECRET not in result.stdout + result.stderr
        assert CARD not in result.stdout + result.stderr
    assert "Traceback" in result.stderr  # --verbose shows the handler's (redacted) traceback


def test_log_records_each_call_as_one_redacted_json_line(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    for name in ("leak_secret", "echo"):
        args = json.dumps({"text": f"{SECRET} {CARD}"})
        run_cli("tool", "run", str(PROBE), name, "--log", str(log), "--args", args, env=PROBE_ENV)
    lines = log.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["name"] for e in events] == ["leak_secret", "echo"]
    assert all("duration_ms" in e and "result" in e for e in events)
    assert SECRET not in log.read_text() and CARD not in log.read_text()


def test_builtin_action_is_shown_on_stderr() -> None:
    result = run_cli("tool", "run", ORDERS, "end_call")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ended": True}
    assert "end_call (simulated): Thanks for calling. Have a great day!" in result.stderr


def test_tool_list() -> None:
    result = run_cli("tool", "list", TASKS)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "KIND", "TIMEOUT", "CONFIRM", "TARGET"]
    assert lines[4].split() == [
        "delete_task",
        "python",
        "3000",
        "ms",
        "yes",
        "handlers/tasks.py:delete_task",
    ]
    assert lines[5].split() == ["end_call", "builtin", "3000", "ms", "-", "end_call"]
