"""Handler files that are devices, FIFOs, folders or huge: refused by the linter and at run time.

The linter reads handler source through the bounded reader (PY103, at the `python:` line); the
runtime checks the file before the import system opens it, so a handler that turned into a
FIFO after validation is a `handler_not_found` result, not a call that hangs until its deadline.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cli_support import put
from hostile_files import IN_PLACE, Maker, fifo, needs_devices, run_voicetools

from voicetools.files import HANDLER_SOURCE_CAP
from voicetools.spec.lint import lint_file
from voicetools.spec.model import Function
from voicetools.tools.base import ToolCall
from voicetools.tools.python import PythonExecutor

pytestmark = needs_devices
AGENT = """\
version: 1
name: handler-files
instructions: You look up orders for callers.
functions:
  - name: get_order
    description: Look up an order by its number.
    parameters:
      type: object
      properties:
        order_id: {type: string, description: The order number, digits only.}
      required: [order_id]
    python: handlers/orders.py:get_order
"""
HANDLER_LINE = 12
"""The line of `python:` in AGENT, where a handler finding is reported."""
HOSTILE_HANDLERS = IN_PLACE


def _handler(tmp_path: Path, make: Maker) -> tuple[Path, str]:
    (tmp_path / "handlers").mkdir()
    return make(tmp_path / "handlers", "orders.py", HANDLER_SOURCE_CAP)


@pytest.mark.parametrize("make", HOSTILE_HANDLERS.values(), ids=list(HOSTILE_HANDLERS))
def test_the_linter_refuses_a_hostile_handler_file(tmp_path: Path, make: Maker) -> None:
    _, words = _handler(tmp_path, make)
    agent = put(tmp_path, "agent.yaml", AGENT)
    findings = lint_file(agent).findings
    assert [(f.code, f.location.line) for f in findings] == [("PY103", HANDLER_LINE)]
    assert findings[0].message.startswith("cannot read `handlers/orders.py`: ")
    assert words in findings[0].message


def test_a_handler_at_the_cap_is_still_checked(tmp_path: Path) -> None:
    source = "def get_order(order_id):\n    return {}\n"
    put(tmp_path, "handlers/orders.py", source + "#" * (HANDLER_SOURCE_CAP - len(source)))
    assert lint_file(put(tmp_path, "agent.yaml", AGENT)).findings == ()


def _run_handler(base_dir: Path) -> dict[str, str]:
    """One call of `handlers/orders.py:get_order` under a 3 s deadline: its error and problem."""
    function = Function(
        name="get_order",
        description="d",
        parameters={"type": "object"},
        kind="python",
        python="handlers/orders.py:get_order",
        timeout_ms=3000,
    )
    call = ToolCall("get_order", {"order_id": "1"}, call_id="t")
    result = asyncio.run(PythonExecutor(base_dir).execute(function, call, 3.0))
    return {"error": str(result.payload.get("error")), "problem": result.detail.get("problem", "")}


@pytest.mark.parametrize("make", HOSTILE_HANDLERS.values(), ids=list(HOSTILE_HANDLERS))
def test_the_runtime_refuses_a_hostile_handler_file(tmp_path: Path, make: Maker) -> None:
    _, words = _handler(tmp_path, make)
    outcome = _run_handler(tmp_path)
    assert outcome["error"] == "handler_not_found"
    assert "cannot read file: " in outcome["problem"] and words in outcome["problem"]


def test_the_runtime_refuses_a_fifo_handler_before_its_deadline(tmp_path: Path) -> None:
    # Without the check the import blocks on the FIFO and the call ends as handler_timeout.
    (tmp_path / "handlers").mkdir()
    fifo(tmp_path / "handlers", "orders.py")
    outcome = _run_handler(tmp_path)
    assert outcome["error"] == "handler_not_found"
    assert "it is a FIFO (named pipe); a handler file must be a regular file" in outcome["problem"]


def test_a_fifo_handler_is_refused_by_validate_and_tool_run(tmp_path: Path) -> None:
    (tmp_path / "handlers").mkdir()
    fifo(tmp_path / "handlers", "orders.py")
    put(tmp_path, "agent.yaml", AGENT)
    checked = run_voicetools("validate", "agent.yaml", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    expected = f"agent.yaml:{HANDLER_LINE}:13: PY103 error cannot read `handlers/orders.py`: it is"
    assert expected + " a FIFO" in checked.stdout
    args = ("--args", '{"order_id": "1"}')
    ran = run_voicetools("tool", "run", "agent.yaml", "get_order", *args, cwd=tmp_path)
    assert ran.returncode == 2 and "PY103" in ran.stderr and "FIFO" in ran.stderr
