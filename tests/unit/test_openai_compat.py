"""OpenAICompatLLM against a tiny OpenAI-compatible server started here (stdlib, SSE)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from voicetools.backends.openai_compat import OpenAICompatLLM
from voicetools.errors import BackendError


class Handler(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    mode = "ok"

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Handler.received.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if Handler.mode == "503":
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"model is loading")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        events: list[str] = [": keep-alive comment"]
        if Handler.mode == "error":
            events.append(json.dumps({"error": {"message": "grammar parse failed"}}))
        elif Handler.mode == "garbage":
            events.append("{not json")
        else:
            for piece in ("Hel", "lo", "", " there."):
                events.append(json.dumps({"choices": [{"index": 0, "text": piece}]}))
        events.append("[DONE]")
        for event in events:
            line = event if event.startswith(":") else f"data: {event}"
            self.wfile.write(f"{line}\n\n".encode())
            self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.received = []
    Handler.mode = "ok"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_streams_pieces_and_sends_the_request(server: str) -> None:
    with OpenAICompatLLM(server + "/v1/", model="qwen", api_key="k") as llm:
        pieces = list(
            llm.stream("PROMPT", grammar="root ::= x", stop=["<|im_end|>"], max_tokens=9, seed=7)
        )
        llm.warm("PREFIX")
    assert pieces == ["Hel", "lo", " there."]
    first, warm = Handler.received
    assert first["path"] == "/v1/completions" and first["auth"] == "Bearer k"
    assert first["body"] == {
        "prompt": "PROMPT",
        "max_tokens": 9,
        "temperature": 0.0,
        "seed": 7,
        "stream": True,
        "stop": ["<|im_end|>"],
        "model": "qwen",
        "grammar": "root ::= x",
    }
    assert warm["body"]["prompt"] == "PREFIX" and warm["body"]["max_tokens"] == 1
    assert llm.last_stats is not None and llm.last_stats.pieces == 0


def test_grammar_field_is_configurable(server: str) -> None:
    OpenAICompatLLM(server, grammar_field="guided_grammar").complete("p", grammar="g")
    OpenAICompatLLM(server, grammar_field=None).complete("p", grammar="g")
    assert Handler.received[0]["body"]["guided_grammar"] == "g"
    assert "grammar" not in Handler.received[1]["body"]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("503", "answered HTTP 503: model is loading"),
        ("error", "reported an error: grammar parse failed"),
        ("garbage", "not JSON"),
    ],
)
def test_server_failures_are_backend_errors(server: str, mode: str, message: str) -> None:
    Handler.mode = mode
    with pytest.raises(BackendError, match=message):
        OpenAICompatLLM(server).complete("p")


def test_unreachable_server_and_bad_url() -> None:
    with pytest.raises(BackendError, match="cannot reach the LLM server at http://127.0.0.1:9/"):
        OpenAICompatLLM("http://127.0.0.1:9").complete("p")
    with pytest.raises(BackendError, match="must be an http"):
        OpenAICompatLLM("localhost:8080")
