"""Response bodies that are not safe JSON, from a real server on 127.0.0.1, through the runner.

NaN/Infinity (which Python's parser accepts but JSON has no words for) and JSON nested far
deeper than any real API must reach the model as a bounded result, never as an internal error
or a RecursionError in redaction, the transcript or the prompt.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scripted_http import ScriptedServer

from voicetools.spec import load_agent
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult
from voicetools.tools.record import Recorder
from voicetools.tools.response import MAX_DEPTH
from voicetools.tools.runner import ToolRunner

pytestmark = pytest.mark.integration

AGENT = """\
version: 1
name: hostile-bodies
instructions: A test agent whose one tool fetches whatever URL the test gives it.
allow_private: true
functions:
  - name: fetch
    description: Fetch the test URL.
    parameters: {{type: object, properties: {{}}}}
    http:
      url: {url}
      max_response_bytes: 2048
    timeout_ms: {timeout_ms}
"""


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    running = ScriptedServer()
    yield running
    running.stop()


def _run(tmp_path: Path, url: str, timeout_ms: int = 5000) -> ToolResult:
    tmp_path.mkdir(parents=True, exist_ok=True)
    agent_file = tmp_path / "agent.yaml"
    agent_file.write_text(AGENT.format(url=url, timeout_ms=timeout_ms), encoding="utf-8")

    async def go() -> ToolResult:
        async with ToolRunner(load_agent(agent_file), env={}, recorder=Recorder()) as runner:
            return await runner.run(ToolCall("fetch", {}, "c1"))

    return asyncio.run(go())


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_come_through_as_text(
    server: ScriptedServer, tmp_path: Path, constant: str
) -> None:
    result = _run(tmp_path, f"{server.url}/nonfinite?v={constant}")
    assert result.ok, result.payload
    assert isinstance(result.payload, str) and constant in result.payload
    json.dumps(result.payload, allow_nan=False)  # what the model gets is strict JSON


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 900, 5000, 100_000])
def test_json_nested_too_deep_comes_through_as_bounded_text(
    server: ScriptedServer, tmp_path: Path, depth: int
) -> None:
    result = _run(tmp_path, f"{server.url}/deep?n={depth}")
    assert result.ok, result.payload
    if isinstance(result.payload, dict):  # read only up to the cap: the truncation marker
        assert result.payload["truncated"] is True
        assert len(result.payload["partial"]) <= 2048
    else:
        assert result.payload.startswith("[[[[")
        assert len(result.payload.encode()) <= 2048 + 64  # the cap plus the truncation note


def test_json_nested_within_the_bound_is_a_value(server: ScriptedServer, tmp_path: Path) -> None:
    result = _run(tmp_path, f"{server.url}/deep?n={MAX_DEPTH}")
    assert result.ok and isinstance(result.payload, list)
    assert json.dumps(result.payload).count("[") == MAX_DEPTH


def test_deep_json_labelled_as_text_is_text(server: ScriptedServer, tmp_path: Path) -> None:
    result = _run(tmp_path, f"{server.url}/deep?n=2000&type=text/plain")
    assert result.ok and isinstance(result.payload, str)


@pytest.fixture
def hung_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`*.hang.test` never resolves (until teardown); `loopback.test` is 127.0.0.1.

    Faked at the OS seam, `socket.getaddrinfo`: a real hanging lookup needs a DNS server the
    system resolver is configured to ask, which a test cannot set up.
    """
    release = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host.endswith(".hang.test"):
            release.wait(20)
            raise socket.gaierror(socket.EAI_AGAIN, "temporary failure in name resolution")
        if host == "loopback.test":
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    release.set()


def test_a_hung_lookup_is_a_timeout_result_on_time_and_later_calls_work(
    server: ScriptedServer, tmp_path: Path, hung_dns: None
) -> None:
    for round_ in range(10):  # more hung lookups than the default thread pool has threads
        started = time.monotonic()
        url = f"http://x{round_}.hang.test:{server.port}/echo"
        result = _run(tmp_path / f"r{round_}", url, 400)
        assert time.monotonic() - started < 0.4 + 1.5
        assert result.category is ErrorCategory.TEMPORARY
        assert result.payload["error"] == "request_failed"
        assert result.payload["detail"] == "Endpoint did not answer within 0.4 s"
    started = time.monotonic()
    result = _run(tmp_path / "ok", f"http://loopback.test:{server.port}/echo/after", 2000)
    assert result.ok and result.payload["path"] == "/echo/after"
    assert time.monotonic() - started < 2.0
