"""Injected faults: a tool that is slow, fails with a 503, hangs, or answers garbage, on purpose.

Scenario files (`voicetools test`) use this to check that the agent copes: says what happened,
offers a next step, and keeps the call going. A `Fault` wraps the function's own executor
(`FaultyExecutor`), so everything around it (argument validation, confirmation, redaction,
recording, the runner's own deadline) is the real thing.

The results are the ones the real executors give, so the model cannot tell the difference:

* `latency_ms` waits before the real (or mocked) executor runs, inside the tool's deadline:
  the executor gets what is left of `timeout_ms`, and a latency at or past it gives the
  tool's normal timeout result (an HTTP tool's, a Python handler's, or the runner's).
* `status: 503` is what `HttpExecutor` gives for that status with an empty body
  (`request_failed`, category from `fetch.status_category`, "Endpoint returned 503").
* `timeout: true` hangs until the deadline, then gives the tool's normal timeout result.
* `invalid_json: true` answers a body labelled JSON that does not parse, shaped by the same
  `response.shape` as a real response: the model gets the text (or, with `extract`, a
  `request_failed`), exactly as it would from a broken server.

Sleeping goes through `sleep` (asyncio.sleep by default), so tests can make it instant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory, Executor, ToolCall, ToolResult, error_payload
from voicetools.tools.extract import ExtractError
from voicetools.tools.outcome import result_from_value
from voicetools.tools.response import Body, shape

INVALID_JSON_BODY = b'{"status": "ok", "items": [{"id": 1, '
"""A body cut off mid-object: what a crashed or truncating backend sends."""

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one tool. `latency_ms` combines with any one of the others."""

    latency_ms: int = 0
    """Added before the tool answers; counts against its `timeout_ms`."""
    status: int | None = None
    """Answer as an HTTP endpoint returning this non-2xx status (e.g. 503)."""
    timeout: bool = False
    """Never answer: the tool times out at its deadline."""
    invalid_json: bool = False
    """Answer a JSON-labelled body that does not parse."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.latency_ms:
            data["latency_ms"] = self.latency_ms
        if self.status is not None:
            data["status"] = self.status
        if self.timeout:
            data["timeout"] = True
        if self.invalid_json:
            data["invalid_json"] = True
        return data


def timeout_result(function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
    """The result the tool's own kind gives when its deadline passes."""
    if function.kind == "http":
        detail = f"Endpoint did not answer within {timeout_s:g} s"
        payload = error_payload("request_failed", ErrorCategory.TEMPORARY, detail=detail)
        return ToolResult(call, payload, ErrorCategory.TEMPORARY, spoken=payload["message"])
    if function.kind == "python":
        detail = f"the handler did not answer within {timeout_s:g} s"
        payload = error_payload("handler_timeout", ErrorCategory.TEMPORARY, detail=detail)
        return ToolResult(call, payload, ErrorCategory.TEMPORARY, spoken=payload["message"])
    payload = error_payload("timeout", ErrorCategory.TEMPORARY, f"no answer within {timeout_s:g} s")
    return ToolResult(call, payload, ErrorCategory.TEMPORARY, spoken=payload["message"], attempts=0)


def status_result(call: ToolCall, status: int) -> ToolResult:
    """What `HttpExecutor` returns for `status` with an empty body."""
    from voicetools.tools.fetch import status_category  # imports httpx: only when needed

    category = status_category(status) or ErrorCategory.UNKNOWN
    payload = error_payload("request_failed", category, detail=f"Endpoint returned {status}")
    return ToolResult(call, payload, category, spoken=payload["message"], detail={"status": status})


def invalid_json_result(function: Function, call: ToolCall) -> ToolResult:
    """What `HttpExecutor` returns for a 200 whose JSON body does not parse."""
    http = function.http
    body = Body(INVALID_JSON_BODY, True, len(INVALID_JSON_BODY), "application/json")
    try:
        payload, _ = shape(
            body, http.max_response_bytes if http else 16_384, http.extract if http else None
        )
    except ExtractError as exc:
        failed = error_payload("request_failed", ErrorCategory.UNKNOWN, detail=str(exc))
        return ToolResult(call, failed, ErrorCategory.UNKNOWN, spoken=failed["message"])
    return result_from_value(call, payload)


class FaultyExecutor:
    """Runs `inner` for one function, with `fault` applied first."""

    def __init__(self, inner: Executor, fault: Fault, *, sleep: Sleep = asyncio.sleep) -> None:
        self.inner = inner
        self.fault = fault
        self.sleep = sleep

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        fault = self.fault
        latency_s = fault.latency_ms / 1000
        if latency_s >= timeout_s or fault.timeout:
            await self.sleep(timeout_s)
            return timeout_result(function, call, timeout_s)
        if latency_s:
            await self.sleep(latency_s)
        if fault.status is not None:
            return status_result(call, fault.status)
        if fault.invalid_json:
            return invalid_json_result(function, call)
        return await self.inner.execute(function, call, timeout_s - latency_s)
