"""`OpenAICompatLLM`: a model behind an OpenAI-compatible server (`--llm-url URL`).

For teams that outgrow one machine: the same prompts and grammars go to a shared server over
the plain-text completions endpoint (`POST {base}/v1/completions`, `stream: true`, server-sent
events). The text completions endpoint, not chat, because we own the prompt format.

Which servers honour the grammar (sent as `grammar_field`):
- llama.cpp's `llama-server`: yes, as `grammar` (GBNF), the default here. It also keeps the
  longest common prompt prefix per slot (`cache_prompt`, on by default), so `warm` helps.
- vLLM: as `guided_grammar` (its grammar backends read GBNF-like EBNF; check your version):
  pass `grammar_field="guided_grammar"`.
- Ollama: no grammar on this endpoint; pass `grammar_field=None`. Without a grammar, calls are
  not valid by construction: the engine must parse and validate them (`parse_call` raises).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from voicetools.backends.base import BaseLLM, Request
from voicetools.errors import BackendError


class OpenAICompatLLM(BaseLLM):
    """Streams completions from `base_url` (with or without a trailing `/v1`)."""

    label = "LLM server"

    def __init__(
        self,
        base_url: str,
        *,
        model: str | None = None,
        api_key: str | None = None,
        grammar_field: str | None = "grammar",
        timeout_s: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__()
        base = base_url.rstrip("/").removesuffix("/v1")
        if not base.startswith(("http://", "https://")):
            raise BackendError(f"--llm-url must be an http(s) URL, not {base_url!r}")
        self.url = f"{base}/v1/completions"
        self.model = model
        self.grammar_field = grammar_field
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=5.0), headers=headers, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenAICompatLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def body(self, request: Request) -> dict[str, Any]:
        """The JSON sent for `request`."""
        body: dict[str, Any] = {
            "prompt": request.prompt,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
            "stream": True,
        }
        if request.stop:
            body["stop"] = list(request.stop)
        if self.model:
            body["model"] = self.model
        if request.grammar and self.grammar_field:
            body[self.grammar_field] = request.grammar
        return body

    def _stream_impl(self, request: Request) -> Iterator[str]:
        try:
            with self._client.stream("POST", self.url, json=self.body(request)) as response:
                if response.status_code >= 400:
                    detail = response.read().decode("utf-8", "replace").strip()[:200]
                    raise BackendError(
                        f"{self.label} at {self.url} answered HTTP {response.status_code}"
                        + (f": {detail}" if detail else "")
                    )
                yield from _pieces(response.iter_lines(), self.url)
        except httpx.ConnectError as exc:
            raise BackendError(
                f"cannot reach the {self.label} at {self.url} ({exc}); is it running? "
                "e.g. `llama-server -m model.gguf --port 8080`"
            ) from None
        except httpx.TimeoutException:
            raise BackendError(f"the {self.label} at {self.url} timed out") from None
        except httpx.HTTPError as exc:
            raise BackendError(f"{self.label} at {self.url}: {exc}") from None

    def _warm_impl(self, prefix: str) -> None:
        # A one-token completion makes servers with prefix caching keep `prefix` evaluated.
        for _ in self._stream_impl(Request(prefix, None, 1, (), 0.0, 0)):
            pass


def _pieces(lines: Iterator[str], url: str) -> Iterator[str]:
    """The text pieces of a completions event stream (`data: {...}` lines, then `[DONE]`)."""
    for line in lines:
        if not line.startswith("data:"):
            continue  # blank separators, `: comments`, `event:` lines
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except json.JSONDecodeError:
            raise BackendError(f"LLM server at {url} sent an event that is not JSON") from None
        if not isinstance(event, dict):
            continue
        if "error" in event:
            error = event["error"]
            message = error.get("message") if isinstance(error, dict) else error
            raise BackendError(f"LLM server at {url} reported an error: {message}")
        choices = event.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            text = choices[0].get("text")
            if isinstance(text, str) and text:
                yield text
