"""A real HTTP server on 127.0.0.1 with scripted misbehaviour, for the HTTP executor's tests.

Endpoints (any method unless said):
  /echo/...            the request back: method, raw path, query, headers, body
  /flaky/NAME?fail=N&status=S   S (503) for the first N requests, then 200 {"count": n}
  /charge?fail=N       a side effect, once per Idempotency-Key; the first N replies are 503
  /slow?s=SECONDS      waits, then 200
  /drip                promises 100 bytes, sends one a second
  /big                 50 MB of text, streamed in 64 KiB chunks
  /badjson             Content-Type: application/json, body `{not json`
  /text                text/plain
  /gzip                gzip-compressed JSON
  /redirect?to=URL&status=302   a redirect to URL
  /status/N            status N with a small JSON body
  /retry-after         429 with Retry-After: 1, then 200
  /nonfinite?v=NaN     JSON holding a non-finite constant (NaN, Infinity, -Infinity)
  /deep?n=N&type=T     JSON arrays nested N deep (content type T, default application/json)

Every request is appended to `server.log` (method, raw path, headers, body) before replying.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BIG_BYTES = 50 * 1024 * 1024
_CHUNK = b"x" * 65_536


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class State:
    log: list[Seen] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)
    effects: dict[str, int] = field(default_factory=dict)
    """Idempotency-Key -> the side effect's number."""
    big_completed: bool = False
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        """Quiet: the tests read `server.log` instead."""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(value).encode(), headers=headers)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state = self.server.state
        with state.lock:
            state.log.append(Seen(self.command, self.path, dict(self.headers.items()), body))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        route = parts.path.split("/")[1] if parts.path.count("/") else ""
        try:
            getattr(self, f"_r_{route.replace('-', '_')}", self._r_missing)(parts, query, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (timeouts, size caps)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815 - http.server names

    def _r_missing(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self._json(404, {"error": "no such endpoint"})

    def _r_echo(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self._json(
            200,
            {
                "method": self.command,
                "path": parts.path,
                "query": parts.query,
                "headers": dict(self.headers.items()),
                "body": body.decode("utf-8", "replace"),
            },
        )

    def _r_flaky(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        with self.server.state.lock:
            self.server.state.counters[parts.path] += 1
            count = self.server.state.counters[parts.path]
        if count <= int(query.get("fail", "1")):
            self._json(int(query.get("status", "503")), {"error": "try again"})
        else:
            self._json(200, {"count": count})

    def _r_charge(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        state = self.server.state
        key = self.headers.get("Idempotency-Key") or f"no-key-{len(state.log)}"
        with state.lock:
            state.counters["charge"] += 1
            count = state.counters["charge"]
            if key not in state.effects:
                state.effects[key] = len(state.effects) + 1
            effect = state.effects[key]
        if count <= int(query.get("fail", "0")):
            self._json(503, {"error": "busy"})
        else:
            self._json(200, {"charge": effect})

    def _r_slow(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self.server.state.stopping.wait(float(query.get("s", "5")))
        self._json(200, {"slow": True})

    def _r_drip(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b".")
            self.wfile.flush()
            if self.server.state.stopping.wait(1.0):
                return

    def _r_big(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(BIG_BYTES))
        self.end_headers()
        for _ in range(BIG_BYTES // len(_CHUNK)):
            self.wfile.write(_CHUNK)
        self.server.state.big_completed = True

    def _r_badjson(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self._send(200, b"{not json", "application/json")

    def _r_text(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        self._send(200, b"plain words", "text/plain; charset=utf-8")

    def _r_gzip(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        packed = gzip.compress(json.dumps({"zipped": True}).encode())
        self._send(200, packed, headers={"Content-Encoding": "gzip"})

    def _r_redirect(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        status = int(query.get("status", "302"))
        self._send(status, b"", "text/plain", headers={"Location": query["to"]})

    def _r_status(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        status = int(parts.path.rsplit("/", 1)[1])
        self._json(status, {"status": status, "why": "scripted"})

    def _r_retry_after(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        with self.server.state.lock:
            self.server.state.counters["retry-after"] += 1
            first = self.server.state.counters["retry-after"] == 1
        if first:
            self._json(429, {"error": "slow down"}, headers={"Retry-After": "1"})
        else:
            self._json(200, {"ok": "after waiting"})

    def _r_nonfinite(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        constant = query.get("v", "NaN")
        self._send(200, f'{{"price": {constant}, "items": [1, {constant}]}}'.encode())

    def _r_deep(self, parts: Any, query: dict[str, str], body: bytes) -> None:
        depth = int(query.get("n", "500"))
        self._send(200, b"[" * depth + b"]" * depth, query.get("type", "application/json"))


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = State()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> list[Seen]:
        return self.state.log

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-reply are the point of several tests: stay quiet."""

    def stop(self) -> None:
        self.state.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
