"""Injected faults give exactly what the real executors give, inside the tool's deadline."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from voicetools.spec import load_agent
from voicetools.spec.model import Function, HttpSpec
from voicetools.tools import http as http_module
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult
from voicetools.tools.faults import INVALID_JSON_BODY, Fault, FaultyExecutor
from voicetools.tools.fetch import Exchange
from voicetools.tools.http import HttpExecutor
from voicetools.tools.mock import MockExecutor
from voicetools.tools.python import PythonExecutor
from voicetools.tools.response import Body
from voicetools.tools.runner import ToolRunner

CALL = ToolCall("t", {"q": "x"})


def http_tool(extract: str | None = None) -> Function:
    return Function(
        name="t",
        description="test tool",
        parameters={"type": "object", "properties": {"q": {"type": "string"}}},
        kind="http",
        http=HttpSpec(url="http://127.0.0.1:9/t", method="POST", extract=extract),
    )


def real_http(monkeypatch: pytest.MonkeyPatch, exchange: Any, timeout_s: float = 5.0) -> ToolResult:
    """The real HttpExecutor, with the wire replaced by `exchange` (an Exchange or a delay)."""

    async def send(*args: Any, **kwargs: Any) -> Exchange:
        if isinstance(exchange, float):
            await asyncio.sleep(exchange)
        return exchange  # type: ignore[no-any-return]

    monkeypatch.setattr(http_module, "send_pinned", send)
    executor = HttpExecutor(variables={}, env={}, allow_private=True)
    return asyncio.run(executor.execute(http_tool(), CALL, timeout_s))


def faulty(fault: Fault, function: Function, timeout_s: float = 5.0) -> ToolResult:
    executor = FaultyExecutor(MockExecutor({"t": {"ok": "mocked"}}), fault)
    return asyncio.run(executor.execute(function, CALL, timeout_s))


def test_a_503_is_what_the_http_executor_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    real = real_http(monkeypatch, Exchange(503, httpx.Headers(), Body(b"", True, 0)))
    injected = faulty(Fault(status=503), http_tool())
    assert injected.payload == real.payload
    assert injected.payload["detail"] == "Endpoint returned 503"
    assert injected.category is real.category is ErrorCategory.TEMPORARY
    assert injected.spoken == real.spoken
    assert faulty(Fault(status=404), http_tool()).category is ErrorCategory.NOT_FOUND


def test_invalid_json_is_what_the_http_executor_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    headers = httpx.Headers({"content-type": "application/json"})
    body = Body(INVALID_JSON_BODY, True, len(INVALID_JSON_BODY), "application/json")
    real = real_http(monkeypatch, Exchange(200, headers, body))
    injected = faulty(Fault(invalid_json=True), http_tool())
    assert injected.payload == real.payload == INVALID_JSON_BODY.decode()
    assert injected.ok and real.ok  # garbage is handed to the model as text, not an error
    with_extract = faulty(Fault(invalid_json=True), http_tool(extract="items"))
    assert with_extract.payload["error"] == "request_failed"
    assert with_extract.category is ErrorCategory.UNKNOWN


def test_a_timeout_is_what_the_http_executor_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    real = real_http(monkeypatch, 1.0, timeout_s=0.05)
    start = time.perf_counter()
    injected = faulty(Fault(timeout=True), http_tool(), timeout_s=0.05)
    assert time.perf_counter() - start >= 0.05  # it hangs until the deadline
    assert injected.payload == real.payload
    assert injected.payload["detail"] == "Endpoint did not answer within 0.05 s"


def test_a_python_handler_times_out_as_itself(tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text("import time\ndef slow(q):\n    time.sleep(0.3)\n")
    function = Function(
        name="t",
        description="slow",
        parameters={"type": "object", "properties": {"q": {"type": "string"}}},
        kind="python",
        python="slow.py:slow",
    )
    real = asyncio.run(PythonExecutor(tmp_path).execute(function, CALL, 0.05))
    injected = faulty(Fault(latency_ms=80), function, timeout_s=0.05)
    assert injected.payload == real.payload
    assert injected.payload["error"] == "handler_timeout"


def test_latency_inside_the_deadline_delays_the_real_answer() -> None:
    start = time.perf_counter()
    result = faulty(Fault(latency_ms=60), http_tool(), timeout_s=1.0)
    assert time.perf_counter() - start >= 0.06
    assert result.payload == {"ok": "mocked"}


def test_a_mock_only_tool_times_out_like_the_runner_says() -> None:
    function = Function("t", "mock", {"type": "object"}, kind="mock", mock={"a": 1})
    result = faulty(Fault(timeout=True), function, timeout_s=0.01)
    assert result.payload["error"] == "timeout" and result.attempts == 0


AGENT = """\
version: 1
name: faults
instructions: Test agent.
functions:
  - name: lookup
    description: Look something up.
    parameters: {type: object, properties: {q: {type: string}}, required: [q]}
    mock: {found: true}
    timeout_ms: 200
  - name: remove
    description: Remove something.
    parameters: {type: object, properties: {q: {type: string}}, required: [q]}
    mock: {removed: true}
    confirm: Remove {q}?
"""


def test_the_runner_applies_faults_per_function(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(AGENT)
    agent = load_agent(tmp_path / "a.yaml")

    async def go() -> list[ToolResult]:
        faults = {"lookup": Fault(latency_ms=500), "remove": Fault(status=503)}
        async with ToolRunner(agent, faults=faults) as runner:
            slow = await runner.run(ToolCall("lookup", {"q": "a"}))
            asked = await runner.run(ToolCall("remove", {"q": "a"}))  # confirmation comes first
            runner.answer_confirmation(True)
            failed = await runner.run(ToolCall("remove", {"q": "a"}))
            return [slow, asked, failed]

    slow, asked, failed = asyncio.run(go())
    assert slow.payload["error"] == "timeout" and slow.duration_ms >= 190  # the runner's own
    assert asked.payload["status"] == "confirmation_required"
    assert failed.payload["detail"] == "Endpoint returned 503" and not failed.ok
