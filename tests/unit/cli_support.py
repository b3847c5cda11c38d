"""Helpers for the CLI tests: a runner at a fixed width with colour off, and a clean agent.

Plain functions rather than conftest fixtures, so these tests share nothing implicit with the
other test modules of this folder.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from voicetools.cli.app import app

CLEAN_AGENT = """\
version: 1
name: test-agent
instructions: You are a concise voice assistant for an online shop.
functions:
  - name: get_order_status
    description: Look up the shipping status of an order by its order number.
    parameters:
      type: object
      properties:
        order_id: {type: string, description: The order number, digits only.}
      required: [order_id]
    http:
      url: https://orders.example.com/orders/{order_id}
      method: GET
      headers:
        Authorization: Bearer ${ORDERS_API_KEY}
    speak_during_execution: Let me check that for you.
    timeout_ms: 4000
  - builtin: end_call
"""

BAD_FIELD_AGENT = CLEAN_AGENT.replace("name: test-agent", "nmae: test-agent")
"""An unknown field `nmae` (and so a missing `name`) on line 2."""

WARNING_AGENT = CLEAN_AGENT + "variables:\n  opt_in: no\n"
"""Only a YAML 1.1 boolean warning (Y103) on the last line."""


def run_cli(*args: str, env: dict[str, str] | None = None, color: bool = False) -> Result:
    """`voicetools ARGS...` through CliRunner, COLUMNS=100 and NO_COLOR=1 unless overridden."""
    full_env = {"COLUMNS": "100", "NO_COLOR": "1", **(env or {})}
    return CliRunner().invoke(app, list(args), env=full_env, color=color)


def put(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
