"""`build_request` is pure: the exact request for a call, or a refusal, with no network."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetools.spec.model import Function, HttpSpec
from voicetools.tools.base import ErrorCategory
from voicetools.tools.redact import SECRET_MARK
from voicetools.tools.request import RequestRefused, build_request, describe


def tool(url: str, method: str = "GET", params: tuple[str, ...] = (), **spec: Any) -> Function:
    props = {name: {"type": "string"} for name in params}
    return Function(
        name="t",
        description="",
        parameters={"type": "object", "properties": props},
        kind="http",
        http=HttpSpec(url=url, method=method, **spec),
    )


def build(function: Function, arguments: dict[str, Any], **kw: Any) -> Any:
    return build_request(
        function, arguments, variables=kw.get("variables", {}), env=kw.get("env", {})
    )


@given(st.text(min_size=1).filter(lambda v: v not in (".", "..")))
def test_any_value_stays_in_its_path_segment(value: str) -> None:
    prepared = build(tool("https://api.example.com/v1/{id}/x", params=("id",)), {"id": value})
    url = httpx.URL(prepared.url)
    assert url.host == "api.example.com" and url.query == b""
    segments = url.raw_path.decode().split("/")
    assert len(segments) == 4 and segments[3] == "x"
    assert unquote(segments[2]) == value


def test_an_argument_used_in_a_header_is_not_sent_again() -> None:
    function = tool(
        "https://h.example/w/{city}", params=("city", "units", "q"), headers={"X-Units": "{units}"}
    )
    prepared = build(function, {"city": "Paris", "units": "celsius", "q": "now"})
    assert prepared.url == "https://h.example/w/Paris?q=now"
    assert prepared.headers["X-Units"] == "celsius"


def test_query_placeholders_are_encoded_too() -> None:
    prepared = build(tool("https://h.example/s?q={q}&lang=en", params=("q",)), {"q": "a&b=c#d"})
    assert prepared.url == "https://h.example/s?q=a%26b%3Dc%23d&lang=en"


def test_unused_arguments_go_where_the_method_says() -> None:
    get = build(tool("https://h.example/a", params=("x", "n")), {"x": "1 2", "n": 3})
    assert get.url == "https://h.example/a?x=1%202&n=3" and get.body is None
    post = build(tool("https://h.example/a/{x}", "POST", ("x", "n")), {"x": "k", "n": 3})
    assert post.url == "https://h.example/a/k" and post.json_body == {"n": 3}
    assert json.loads(post.body or b"") == {"n": 3}
    assert post.headers["Content-Type"] == "application/json"
    empty = build(tool("https://h.example/a", "PUT"), {})
    assert empty.body == b"{}"


def test_variables_fill_placeholders_but_arguments_cannot_override_them() -> None:
    function = tool("https://h.example/u/{user_id}", headers={"X-Caller": "{caller}"})
    prepared = build(function, {"caller": "+1999"}, variables={"user_id": "u-1", "caller": "+1555"})
    assert prepared.url.startswith("https://h.example/u/u-1")
    assert prepared.headers["X-Caller"] == "+1555"


def test_missing_placeholder_value_is_refused() -> None:
    with pytest.raises(RequestRefused) as caught:
        build(tool("https://h.example/{id}", params=("id",)), {})
    assert caught.value.category is ErrorCategory.INVALID_ARGUMENTS


@pytest.mark.parametrize("url", ["https://{host}/x", "ftp://h.example/x", "h.example/x"])
def test_bad_url_templates_are_refused(url: str) -> None:
    with pytest.raises(RequestRefused):
        build(tool(url, params=("host",)), {"host": "evil.example"})


def test_secrets_are_read_at_call_time_and_redacted_in_describe() -> None:
    function = tool("https://h.example/a?key=${KEY}", headers={"Authorization": "Bearer ${KEY}"})
    prepared = build(function, {}, env={"KEY": "abc/123+="})
    assert prepared.headers["Authorization"] == "Bearer abc/123+="
    assert "key=abc%2F123%2B%3D" in prepared.url
    shown = json.dumps(describe(prepared))
    assert "abc/123" not in shown and "abc%2F123" not in shown and SECRET_MARK in shown
    with pytest.raises(RequestRefused) as caught:
        build(function, {}, env={})
    assert caught.value.category is ErrorCategory.PERMISSION
    assert "KEY" in caught.value.detail


def test_secret_holding_a_line_break_is_refused() -> None:
    function = tool("https://h.example/a", headers={"Authorization": "Bearer ${KEY}"})
    with pytest.raises(RequestRefused):
        build(function, {}, env={"KEY": "abc\r\nX-Evil: 1"})


def test_describe_shows_method_url_headers_and_body() -> None:
    prepared = build(tool("https://h.example/t", "POST", ("a",)), {"a": "b"})
    assert describe(prepared) == {
        "method": "POST",
        "url": "https://h.example/t",
        "headers": {"Content-Type": "application/json"},
        "body": {"a": "b"},
    }
