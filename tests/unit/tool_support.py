"""Helpers for the tool runner tests: the probe agent, a fake clock, a runner with a secret.

Plain functions rather than conftest fixtures, like `cli_support`, so nothing is shared
implicitly with the other test modules of this folder.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from voicetools.spec import Agent, load_agent
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.record import Recorder
from voicetools.tools.runner import ToolRunner

DATA = Path(__file__).resolve().parents[1] / "data"
PROBE = DATA / "agents" / "probe.yaml"
SECRET = "pr0be-s3cret-value-7f3a"
"""The value of ${PROBE_SECRET}; must never appear in any output."""
CARD = "4111 1111 1111 1111"


class FakeClock:
    """Virtual time for the policies: starts at 1000 s and moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def probe_agent() -> Agent:
    return load_agent(PROBE)


def probe_runner(**options: Any) -> ToolRunner:
    """A runner for the probe agent that knows ${PROBE_SECRET} (unless `env` is given)."""
    options.setdefault("env", {"PROBE_SECRET": SECRET})
    options.setdefault("recorder", Recorder())
    return ToolRunner(probe_agent(), **options)


def call(name: str, **arguments: Any) -> ToolCall:
    return ToolCall(name, arguments, call_id=f"test-{name}")


def run_one(runner: ToolRunner, name: str, **arguments: Any) -> ToolResult:
    """One call on a fresh event loop (each test's runner holds no loop-bound state)."""
    return asyncio.run(runner.run(call(name, **arguments)))
