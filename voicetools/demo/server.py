"""The demo backend the example agents call: orders, tickets, availability, bookings, weather.

Standard library only (`http.server`), in memory, deterministic, so `voicetools tool run`
and the integration tests exercise real HTTP without any service to install. It behaves like a
careful real API where that matters to the executor: bearer auth (401), 404 for unknown
things, 409 for a taken slot, and `Idempotency-Key` honoured on POST (a repeated key returns
the first answer and creates nothing new). It is not a production server: it binds to
loopback by default and keeps everything in memory.

    server = DemoServer(port=0).start()   # tests: any free port; server.url
    server.stop()
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from voicetools.demo.data import ORDERS, availability, weather

Reply = tuple[int, dict[str, Any]]


class DemoState:
    """Tickets, bookings and the idempotency keys seen, shared by the handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tickets: dict[str, dict[str, Any]] = {}
        self.bookings: dict[tuple[str, str], dict[str, Any]] = {}
        self.replies: dict[tuple[str, str], Reply] = {}
        """(path, Idempotency-Key) -> the reply first given."""

    def once(self, path: str, key: str | None, make: Any) -> Reply:
        """`make()` unless this key was already used on this path: then its first reply."""
        with self.lock:
            if key and (path, key) in self.replies:
                return self.replies[(path, key)]
            reply: Reply = make()
            if key and reply[0] < 300:
                self.replies[(path, key)] = reply
            return reply

    def new_ticket(self, body: dict[str, Any], caller: str | None) -> Reply:
        issue = body.get("issue")
        if not isinstance(issue, str) or not issue.strip():
            return 400, {"error": "missing_issue"}
        ticket_id = f"T-{1001 + len(self.tickets)}"
        ticket = {
            "ticket_id": ticket_id,
            "issue": issue,
            "order_id": body.get("order_id"),
            "status": "open",
            "caller_number": caller,
        }
        self.tickets[ticket_id] = ticket
        return 201, ticket

    def book(self, body: dict[str, Any]) -> Reply:
        fields = ("customer_name", "date", "time", "service")
        missing = [f for f in fields if not isinstance(body.get(f), str) or not body[f]]
        if missing:
            return 400, {"error": "missing_fields", "fields": missing}
        free = availability(body["date"], body["service"])
        if free is None:
            return 400, {"error": "invalid_date_or_service"}
        taken = {t for (d, t) in self.bookings if d == body["date"]}
        if body["time"] not in free or body["time"] in taken:
            left = [t for t in free if t not in taken]
            return 409, {"error": "slot_taken", "free": left}
        booking = {"confirmation": f"A-{2001 + len(self.bookings)}", **{f: body[f] for f in fields}}
        self.bookings[(body["date"], body["time"])] = booking
        return 201, booking

    def free_times(self, date: str, service: str) -> Reply:
        free = availability(date, service)
        if free is None:
            return 400, {"error": "invalid_date_or_service"}
        with self.lock:
            taken = {t for (d, t) in self.bookings if d == date}
        times = [t for t in free if t not in taken]
        return 200, {"date": date, "service": service, "free": times, "closed": not free}


def _bearer(headers: Any) -> bool:
    scheme, _, token = headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip())


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json_body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(min(length, 65_536)) or b"{}")
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        parts = urlsplit(self.path)
        segments = [unquote(s) for s in parts.path.strip("/").split("/")]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        state = self.server.state
        if segments == [""]:
            self._reply(200, {"service": "voicetools demo backend"})
        elif len(segments) == 2 and segments[0] == "orders":
            order = ORDERS.get(segments[1])
            if order is None:
                self._reply(404, {"error": "not_found", "order_id": segments[1]})
            else:
                self._reply(200, {"order_id": segments[1], **order})
        elif segments == ["availability"]:
            self._reply(*state.free_times(query.get("date", ""), query.get("service", "")))
        elif len(segments) == 2 and segments[0] == "weather":
            if not _bearer(self.headers):
                self._reply(401, {"error": "unauthorized"})
                return
            units = self.headers.get("X-Units") or query.get("units") or "celsius"
            current = weather(segments[1], units)
            if current is None:
                self._reply(404, {"error": "unknown_city", "city": segments[1]})
            else:
                self._reply(200, {"current": current, "user": self.headers.get("X-User-ID")})
        else:
            self._reply(404, {"error": "no_such_endpoint"})

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        path = urlsplit(self.path).path.rstrip("/")
        body = self._json_body()
        state = self.server.state
        key = self.headers.get("Idempotency-Key")
        if body is None:
            self._reply(400, {"error": "body_must_be_a_json_object"})
        elif path == "/tickets":
            if not _bearer(self.headers):
                self._reply(401, {"error": "unauthorized"})
                return
            caller = self.headers.get("X-Caller-Number")
            self._reply(*state.once(path, key, lambda: state.new_ticket(body, caller)))
        elif path == "/appointments":
            self._reply(*state.once(path, key, lambda: state.book(body)))
        else:
            self._reply(404, {"error": "no_such_endpoint"})

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: DemoState, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.state = state
        self.verbose = verbose


class DemoServer:
    """The demo backend on a background thread; port 0 picks a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8765, *, verbose: bool = False):
        self.state = DemoState()
        self._server = _Server((host, port), self.state, verbose)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}"

    def start(self) -> DemoServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run in the foreground, logging requests, until Ctrl-C."""
    server = _Server((host, port), DemoState(), verbose=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
