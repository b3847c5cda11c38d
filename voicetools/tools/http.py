"""The HTTP executor: one tool call in, one `ToolResult` out, whatever the endpoint does.

The rules, in the order they apply (README: "Execution rules"):

1. `build_request` fills the URL, headers and body (encoding, `${ENV}` secrets, CR/LF refusal).
2. The whole call, retries and back-off included, runs under one deadline (`timeout_s`): a
   server that drips a byte a second is cut off when the time is up, not per read.
3. Every hop goes through the network guard and is sent to the address that was checked.
   Redirects are followed (at most `MAX_REDIRECTS`) only to the same scheme, host and port;
   a redirect elsewhere is not followed and the call fails with category PERMISSION.
4. Temporary failures (408, 425, 429, 5xx, timeouts of a single read, connection refused or
   reset) are retried `HttpSpec.retries` times, but only when that is safe: for GET, or when
   `idempotency_key: true` sends an `Idempotency-Key` header, made once per call and the same
   on every retry. Back-off is 0.1 s, 0.3 s, 0.9 s..., longer if `Retry-After` asks for up to
   `MAX_RETRY_AFTER_S`, and never past the deadline.
5. The body is read up to a few times `max_response_bytes`, then shaped (`response.shape`).
6. Everything the model or a log sees is redacted with the session's `Redactor` plus the
   call's secrets, before the body is cut to its cap.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from voicetools import __version__
from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult, error_payload
from voicetools.tools.extract import ExtractError
from voicetools.tools.fetch import (
    Exchange,
    UnsupportedEncoding,
    exception_category,
    origin,
    retry_after,
    send_pinned,
    status_category,
)
from voicetools.tools.redact import NO_SECRETS, Redactor
from voicetools.tools.request import PreparedRequest, RequestRefused, build_request
from voicetools.tools.response import shape

MAX_REDIRECTS = 3
MAX_RETRY_AFTER_S = 2.0
BACKOFF_S = (0.1, 0.3, 0.9, 2.7, 5.0)
ERROR_BODY_BYTES = 1024
"""How much of a non-2xx body the model sees (a 409 often says why)."""
_REFUSAL_ERRORS = {
    ErrorCategory.INVALID_ARGUMENTS: "invalid_arguments",
    ErrorCategory.PERMISSION: "request_refused",
}


@dataclass
class _Trace:
    """What happened so far; survives the deadline cancelling the work."""

    attempts: int = 0
    status: int | None = None
    url: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Outcome:
    payload: Any
    category: ErrorCategory | None = None
    retry_after: float | None = None


def _failure(category: ErrorCategory, detail: str, response: Any = None) -> _Outcome:
    payload = error_payload("request_failed", category, detail=detail)
    if response not in (None, "", {"ok": True}):
        payload["response"] = response
    return _Outcome(payload, category)


def _refused(exc: RequestRefused) -> _Outcome:
    """A call we would not send (or not send further). A bad argument is `invalid_arguments`,
    like the runner's schema errors; a missing secret or a blocked address `request_refused`;
    a name that does not resolve `request_failed` (temporary)."""
    error = _REFUSAL_ERRORS.get(exc.category, "request_failed")
    payload = error_payload(error, exc.category, detail=exc.detail)
    return _Outcome(payload, exc.category)


class HttpExecutor:
    """Runs `http:` tools. One per session: it keeps a connection pool per host; `aclose()` it."""

    def __init__(
        self,
        *,
        variables: Mapping[str, str],
        env: Mapping[str, str],
        allow_private: bool,
        user_agent: str = f"voicetools/{__version__}",
        redactor: Redactor = NO_SECRETS,
    ) -> None:
        self.redactor = redactor
        self.variables = variables
        self.env = env
        self.allow_private = allow_private
        self.user_agent = user_agent
        self._clients: dict[tuple[str, str, int], httpx.AsyncClient] = {}

    def prepare(self, function: Function, arguments: Mapping[str, Any]) -> PreparedRequest:
        """The request as it will be sent, with this executor's own headers (for `--dry-run`)."""
        prepared = build_request(function, arguments, variables=self.variables, env=self.env)
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "application/json, text/*;q=0.9",
            "Accept-Encoding": "identity",
            **prepared.headers,
        }
        if function.http is not None and function.http.idempotency_key:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        return PreparedRequest(
            prepared.method,
            prepared.url,
            headers,
            prepared.body,
            prepared.json_body,
            prepared.secrets,
        )

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        started = time.monotonic()
        trace = _Trace()
        redactor = self.redactor
        try:
            prepared = self.prepare(function, call.arguments)
            redactor = redactor.with_secrets(prepared.secrets)
            trace.url = prepared.url
            async with asyncio.timeout(timeout_s):
                outcome = await self._run(function, prepared, trace, started + timeout_s, redactor)
        except RequestRefused as exc:
            outcome = _refused(exc)
        except TimeoutError:
            outcome = _failure(
                ErrorCategory.TEMPORARY, f"Endpoint did not answer within {timeout_s:g} s"
            )
        except Exception as exc:  # a bug of ours must still be a result, not a crash mid-call
            trace.notes.append(f"unexpected {type(exc).__name__}")
            outcome = _failure(ErrorCategory.UNKNOWN, "The tool failed unexpectedly")
        payload = redactor.value(outcome.payload)
        detail: dict[str, Any] = {
            "status": trace.status,
            "attempts": trace.attempts,
            "url": redactor.text(trace.url),
        }
        if trace.notes:
            detail["notes"] = redactor.value(trace.notes)
        return ToolResult(
            call=call,
            payload=payload,
            category=outcome.category,
            spoken=payload.get("message", "") if outcome.category else "",
            duration_ms=(time.monotonic() - started) * 1000,
            attempts=trace.attempts,
            detail=detail,
        )

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def _run(
        self,
        function: Function,
        prepared: PreparedRequest,
        trace: _Trace,
        deadline: float,
        redactor: Redactor,
    ) -> _Outcome:
        spec = function.http
        assert spec is not None
        safe = prepared.method == "GET" or spec.idempotency_key
        attempts = 1 + (max(spec.retries, 0) if safe else 0)
        for attempt in range(attempts):
            trace.attempts = attempt + 1
            outcome = await self._attempt(function, prepared, trace, deadline, redactor)
            if outcome.category is not ErrorCategory.TEMPORARY or attempt == attempts - 1:
                return outcome
            delay = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
            if outcome.retry_after is not None:
                if outcome.retry_after > MAX_RETRY_AFTER_S:
                    return outcome
                delay = max(delay, outcome.retry_after)
            if time.monotonic() + delay >= deadline:
                return outcome
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns")

    async def _attempt(
        self,
        function: Function,
        prepared: PreparedRequest,
        trace: _Trace,
        deadline: float,
        redactor: Redactor,
    ) -> _Outcome:
        """One try, following same-host redirects."""
        assert function.http is not None
        method, url, body = prepared.method, httpx.URL(prepared.url), prepared.body
        headers = dict(prepared.headers)
        cap = function.http.max_response_bytes
        for _hop in range(MAX_REDIRECTS + 1):
            trace.url = str(url)
            try:
                exchange = await send_pinned(
                    self._client(url),
                    method,
                    url,
                    headers,
                    body,
                    allow_private=self.allow_private,
                    remaining_s=deadline - time.monotonic(),
                    read_limit=max(4 * cap, 65_536),
                )
            except RequestRefused as exc:
                return _refused(exc)
            except (httpx.HTTPError, httpx.InvalidURL, OSError, UnsupportedEncoding) as exc:
                category, sentence = exception_category(exc)
                trace.notes.append(type(exc).__name__)
                return _failure(category, sentence)
            trace.status = exchange.status
            if exchange.body is None:  # a redirect with a Location
                target = url.join(exchange.headers["location"])
                if origin(target) != origin(url):
                    trace.notes.append("redirect to another host not followed")
                    return _failure(
                        ErrorCategory.PERMISSION,
                        "Endpoint redirected to another host; not followed",
                    )
                if exchange.status == 303 or (exchange.status in (301, 302) and method == "POST"):
                    method, body = "GET", None
                    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
                url = target
                continue
            return self._judge(function, exchange, trace, redactor)
        return _failure(ErrorCategory.UNKNOWN, "Endpoint redirected too many times")

    def _judge(
        self, function: Function, exchange: Exchange, trace: _Trace, redactor: Redactor
    ) -> _Outcome:
        assert function.http is not None
        status, body = exchange.status, exchange.body
        assert body is not None
        category = status_category(status)  # an unfollowed 3xx is UNKNOWN
        if category is not None:
            cap = min(ERROR_BODY_BYTES, function.http.max_response_bytes)
            response, _ = shape(body, cap, redactor=redactor)
            outcome = _failure(category, f"Endpoint returned {status}", response)
            return _Outcome(outcome.payload, category, retry_after(exchange.headers))
        try:
            cap, path = function.http.max_response_bytes, function.http.extract
            payload, notes = shape(body, cap, path, redactor)
        except ExtractError as exc:
            return _failure(ErrorCategory.UNKNOWN, redactor.text(str(exc)))
        trace.notes.extend(notes)
        return _Outcome(payload)

    def _client(self, url: httpx.URL) -> httpx.AsyncClient:
        """A pool per original host: a TLS connection made for one name is never reused for
        another that happens to share its address."""
        key = origin(url)
        if key not in self._clients:
            self._clients[key] = httpx.AsyncClient(follow_redirects=False, trust_env=False)
        return self._clients[key]
