"""The HTTP executor against a real server on 127.0.0.1 (never a mock transport).

The server is on loopback, so these run with allow_private=True, except where the point is the
guard itself. Timing bounds (elapsed < timeout + margin) are correctness, not benchmarks.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
import tracemalloc
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from scripted_http import ScriptedServer

from voicetools.spec.model import Function, HttpSpec
from voicetools.tools import guard
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult
from voicetools.tools.http import HttpExecutor
from voicetools.tools.request import describe

pytestmark = pytest.mark.integration


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    running = ScriptedServer()
    yield running
    running.stop()


def tool(url: str, method: str = "GET", params: tuple[str, ...] = (), **spec: Any) -> Function:
    props = {name: {"type": "string"} for name in params}
    return Function(
        name="t",
        description="test tool",
        parameters={"type": "object", "properties": props},
        kind="http",
        http=HttpSpec(url=url, method=method, **spec),
    )


def run(
    function: Function,
    arguments: Mapping[str, Any] | None = None,
    *,
    timeout: float = 5.0,
    allow_private: bool = True,
    env: Mapping[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
) -> ToolResult:
    async def go() -> ToolResult:
        executor = HttpExecutor(
            variables=variables or {}, env=env or {}, allow_private=allow_private
        )
        try:
            return await executor.execute(function, ToolCall("t", arguments or {}, "c1"), timeout)
        finally:
            await executor.aclose()

    return asyncio.run(go())


def test_get_sends_arguments_as_query(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/echo/items?fixed=1", params=("q", "n")), {"q": "a b&c=d"})
    assert result.ok, result.payload
    assert result.payload["method"] == "GET"
    assert result.payload["query"] == "fixed=1&q=a%20b%26c%3Dd"
    assert result.payload["headers"]["User-Agent"].startswith("voicetools/")
    assert result.detail["status"] == 200 and result.attempts == 1


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_send_a_json_body(server: ScriptedServer, method: str) -> None:
    arguments = {"title": "Buy milk", "note": "ünïcode ✓"}
    result = run(
        tool(f"{server.url}/echo/tasks/{{id}}", method, ("id", "title", "note")),
        {"id": "7", **arguments},
    )
    assert result.ok, result.payload
    assert result.payload["method"] == method
    assert result.payload["path"] == "/echo/tasks/7"
    assert json.loads(result.payload["body"]) == arguments
    assert result.payload["headers"]["Content-Type"] == "application/json"


def test_form_and_query_bodies_as_configured(server: ScriptedServer) -> None:
    form = run(tool(f"{server.url}/echo/f", "POST", ("a",), body="form"), {"a": "x y"})
    assert form.payload["body"] == "a=x%20y"
    assert form.payload["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    query = run(tool(f"{server.url}/echo/q", "POST", ("a",), body="query"), {"a": "1"})
    assert query.payload["query"] == "a=1" and query.payload["body"] == ""


@pytest.mark.parametrize(
    "value",
    [
        "../admin",
        "a/b?x=1#frag",
        "%2F",
        "%2e%2e",
        "..%2f..%2fetc",
        "café ☕",
        "with space",
        "@evil.example",
        "\\..\\admin",
        "?",
        "#",
        "&x=1",
        "...",
    ],
)
def test_path_placeholders_stay_in_one_segment(server: ScriptedServer, value: str) -> None:
    result = run(tool(f"{server.url}/echo/orders/{{id}}/status", params=("id",)), {"id": value})
    assert result.ok, result.payload
    (seen,) = server.log
    raw = urlsplit(seen.path)
    assert raw.query == "" and raw.path == f"/echo/orders/{quote(value, safe='')}/status"
    segments = raw.path.split("/")
    assert len(segments) == 5 and unquote(segments[3]) == value


@pytest.mark.parametrize("value", [".", "..", ""])
def test_path_placeholders_that_would_collapse_are_refused(
    server: ScriptedServer, value: str
) -> None:
    result = run(tool(f"{server.url}/echo/orders/{{id}}", params=("id",)), {"id": value})
    assert result.category is ErrorCategory.INVALID_ARGUMENTS
    assert server.log == []


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\x00b"])
def test_header_injection_is_refused_before_sending(server: ScriptedServer, value: str) -> None:
    function = tool(f"{server.url}/echo/h", params=("note",), headers={"X-Note": "{note}"})
    result = run(function, {"note": value})
    assert result.category is ErrorCategory.INVALID_ARGUMENTS
    assert result.payload["error"] == "invalid_arguments"
    assert result.attempts == 0 and server.log == []


def test_get_is_retried_after_503(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/flaky/a?fail=1"))
    assert result.ok and result.payload == {"count": 2}
    assert result.attempts == 2 and len(server.log) == 2


def test_retries_give_up_with_a_temporary_result(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/flaky/b?fail=9", retries=2))
    assert result.category is ErrorCategory.TEMPORARY
    assert result.payload["error"] == "request_failed"
    assert result.payload["detail"] == "Endpoint returned 503"
    assert result.spoken and result.attempts == 3 and len(server.log) == 3


def test_post_with_idempotency_key_retries_with_one_side_effect(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/charge?fail=2", "POST", idempotency_key=True))
    assert result.ok and result.payload == {"charge": 1}
    keys = {seen.headers.get("Idempotency-Key") for seen in server.log}
    assert len(server.log) == 3 and len(keys) == 1 and None not in keys
    assert server.state.effects == {keys.pop(): 1}


def test_each_call_gets_its_own_idempotency_key(server: ScriptedServer) -> None:
    function = tool(f"{server.url}/charge", "POST", idempotency_key=True)
    assert run(function).payload == {"charge": 1}
    assert run(function).payload == {"charge": 2}


def test_post_without_idempotency_key_is_not_retried(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/flaky/c?fail=1", "POST"))
    assert result.category is ErrorCategory.TEMPORARY
    assert result.attempts == 1 and len(server.log) == 1


@pytest.mark.parametrize(
    ("status", "category"),
    [
        (404, "not_found"),
        (410, "not_found"),
        (401, "permission"),
        (403, "permission"),
        (408, "temporary"),
        (429, "temporary"),
        (500, "temporary"),
        (502, "temporary"),
        (400, "unknown"),
        (409, "unknown"),
        (418, "unknown"),
    ],
)
def test_status_codes_become_categories(server: ScriptedServer, status: int, category: str) -> None:
    result = run(tool(f"{server.url}/status/{status}", retries=0))
    assert result.category is ErrorCategory(category)
    assert result.payload["detail"] == f"Endpoint returned {status}"
    assert result.payload["category"] == category and result.spoken
    assert result.payload["response"] == {"status": status, "why": "scripted"}


def test_retry_after_is_honoured(server: ScriptedServer) -> None:
    started = time.monotonic()
    result = run(tool(f"{server.url}/retry-after"))
    assert result.ok and result.attempts == 2
    assert time.monotonic() - started >= 1.0


def test_slow_server_returns_on_time(server: ScriptedServer) -> None:
    started = time.monotonic()
    result = run(tool(f"{server.url}/slow?s=5"), timeout=1.0)
    elapsed = time.monotonic() - started
    assert result.category is ErrorCategory.TEMPORARY
    assert elapsed < 1.5, elapsed


def test_dripping_server_is_cut_off_on_time(server: ScriptedServer) -> None:
    started = time.monotonic()
    result = run(tool(f"{server.url}/drip"), timeout=1.5)
    elapsed = time.monotonic() - started
    assert result.category is ErrorCategory.TEMPORARY
    assert "1.5 s" in result.payload["detail"]
    assert elapsed < 2.0, elapsed


def test_fifty_megabytes_are_never_read_whole(server: ScriptedServer) -> None:
    tracemalloc.start()
    try:
        result = run(tool(f"{server.url}/big", max_response_bytes=4096))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.ok
    assert isinstance(result.payload, str) and result.payload.startswith("xxxx")
    assert result.payload.endswith(f"…[truncated {50 * 1024 * 1024 - 4096} bytes]")
    assert len(result.payload.encode()) < 4096 + 64
    assert peak < 8 * 1024 * 1024, peak
    assert not server.state.big_completed


def test_large_json_is_truncated_with_a_marker(server: ScriptedServer) -> None:
    result = run(
        tool(f"{server.url}/echo/j", "POST", ("blob",), max_response_bytes=256),
        {"blob": "y" * 2000},
    )
    assert result.ok
    assert result.payload["truncated"] is True and result.payload["total_bytes"] > 2000
    assert len(result.payload["partial"].encode()) <= 256


def test_invalid_json_is_given_as_text(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/badjson"))
    assert result.ok and result.payload == "{not json"
    assert "did not parse" in result.detail["notes"][0]


def test_text_and_gzip_bodies(server: ScriptedServer) -> None:
    assert run(tool(f"{server.url}/text")).payload == "plain words"
    assert run(tool(f"{server.url}/gzip")).payload == {"zipped": True}


def test_extract_keeps_one_field_or_fails_cleanly(server: ScriptedServer) -> None:
    assert run(tool(f"{server.url}/echo/e", extract="method")).payload == "GET"
    missing = run(tool(f"{server.url}/echo/e", extract="data.items[0]"))
    assert missing.category is ErrorCategory.UNKNOWN
    assert "data" in missing.payload["detail"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_is_temporary() -> None:
    result = run(tool(f"http://127.0.0.1:{_closed_port()}/x", retries=1), timeout=3.0)
    assert result.category is ErrorCategory.TEMPORARY
    assert result.payload["detail"] == "Could not connect to the endpoint"
    assert result.attempts == 2


def test_same_host_redirect_is_followed(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/redirect?to=/echo/landed"))
    assert result.ok and result.payload["path"] == "/echo/landed"


def test_redirect_307_keeps_method_and_body_303_becomes_get(server: ScriptedServer) -> None:
    kept = run(tool(f"{server.url}/redirect?to=/echo/x&status=307", "POST", ("a",)), {"a": "1"})
    assert kept.payload["method"] == "POST" and json.loads(kept.payload["body"]) == {"a": "1"}
    changed = run(tool(f"{server.url}/redirect?to=/echo/y&status=303", "POST", ("a",)), {"a": "1"})
    assert changed.payload["method"] == "GET" and changed.payload["body"] == ""


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:{port}/echo/x",
        "http://127.0.0.1:{other}/",
        "https://127.0.0.1:{port}/echo/x",
        "http://[::1]:{port}/",
    ],
)
def test_redirect_to_another_host_is_not_followed(server: ScriptedServer, target: str) -> None:
    location = quote(target.format(port=server.port, other=_closed_port()), safe="")
    result = run(tool(f"{server.url}/redirect?to={location}"))
    assert result.category is ErrorCategory.PERMISSION
    assert "another host" in result.payload["detail"]
    assert len(server.log) == 1


def test_without_allow_private_loopback_is_refused(server: ScriptedServer) -> None:
    result = run(tool(f"{server.url}/echo/x"), allow_private=False)
    assert result.category is ErrorCategory.PERMISSION
    assert result.payload["error"] == "request_refused" and server.log == []


def test_connection_is_pinned_to_the_checked_address(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "_getaddrinfo", lambda host, port: ["127.0.0.1"])
    result = run(tool(f"http://api.test:{server.port}/echo/pinned"))
    assert result.ok and result.payload["headers"]["Host"] == f"api.test:{server.port}"
    refused = run(tool(f"http://api.test:{server.port}/echo/pinned"), allow_private=False)
    assert refused.category is ErrorCategory.PERMISSION and len(server.log) == 1


def test_rebinding_on_redirect_is_caught(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    monkeypatch.setattr(guard, "_getaddrinfo", lambda host, port: next(answers))
    target = quote(f"http://api.test:{server.port}/echo/again", safe="")
    result = run(tool(f"http://api.test:{server.port}/redirect?to={target}"))
    assert result.category is ErrorCategory.PERMISSION
    assert "metadata" in result.payload["detail"] and len(server.log) == 1


def test_unset_secret_refuses_the_call(server: ScriptedServer) -> None:
    function = tool(f"{server.url}/echo/s", headers={"Authorization": "Bearer ${API_KEY}"})
    for env in ({}, {"API_KEY": ""}):
        result = run(function, env=env)
        assert result.category is ErrorCategory.PERMISSION
        assert "API_KEY" in result.payload["detail"] and "${" not in json.dumps(result.payload)
    assert server.log == []


def test_no_secret_value_appears_anywhere(server: ScriptedServer) -> None:
    secret = "s3cr3t/value+XYZ="
    function = tool(
        f"{server.url}/echo/s?key=${{API_KEY}}",
        "POST",
        headers={"Authorization": "Bearer ${API_KEY}"},
    )
    env = {"API_KEY": secret}
    result = run(function, env=env)
    assert result.ok
    assert server.log[0].headers["Authorization"] == f"Bearer {secret}"  # it was sent...
    executor = HttpExecutor(variables={}, env=env, allow_private=True)
    shown = json.dumps(
        [
            result.payload,
            dict(result.detail),
            result.spoken,
            describe(executor.prepare(function, {})),
        ]
    )
    for form in (secret, quote(secret, safe="")):  # ...and is shown nowhere
        assert form not in shown
    failed = run(tool(f"{server.url}/status/500?key=${{API_KEY}}", retries=0), env=env)
    assert quote(secret, safe="") not in json.dumps([failed.payload, dict(failed.detail)])
