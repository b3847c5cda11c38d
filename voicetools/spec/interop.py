"""Import tool definitions written for other platforms into an agent file.

Teams arrive with tools already written as JSON for an LLM API or a voice platform; retyping
them invites mistakes. `import_tools` accepts, item by item (a list, a single object, or an
object holding `tools`, `functions` or `function_declarations`):

  OpenAI Chat       {"type": "function", "function": {name, description, parameters}}
  OpenAI Responses  {"type": "function", name, description, parameters}
  Anthropic         {name, description, input_schema}
  Gemini            {"function_declarations": [{name, description, parameters}]}
  Retell-style      {name, description, url, method?, headers?, speak_during_execution,
                     execution_message_description?, timeout_ms, parameters}
  Vapi-style        {"type": "function", "function": {...}, "server": {"url", "timeoutSeconds"}}
                    {"type": "apiRequest", name, url, method, headers, body}  (and `api_url`)
  end/transfer      {"type": "endCall" | "end_call"}, {"type": "transferCall" | "transfer_call"}

A function with an endpoint becomes an `http:` tool; one without gets `mock: {ok: true}`, so
the agent validates with a warning and runs under `--mock-tools` (docs/agent-format.md, "Functions
without a backend yet"). A literal secret in a header is never copied: it is replaced by an
`${ENV}` reference and a note says which variable to set. The result is plain data for
`yaml.safe_dump`; the notes are for stderr. Export, the other direction, is `spec.export`.
Literal credentials (headers, URL query values) become `${ENV}` references, one variable per
distinct credential (`interop_secrets`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from voicetools.errors import Location, SpecError
from voicetools.files import IMPORT_FILE_CAP, size_text
from voicetools.spec.interop_secrets import Credentials
from voicetools.spec.schema import MAX_TIMEOUT_MS

_NAME_BAD = re.compile(r"[^A-Za-z0-9_]")
_SKIPPED_TYPES = {
    "code_interpreter",
    "file_search",
    "web_search",
    "web_search_preview",
    "computer_use_preview",
    "mcp",
    "image_generation",
    "query",
    "dtmf",
    "output",
}
_INSTRUCTIONS = (
    "You are a concise, friendly voice assistant. Use the functions below when the caller "
    "asks for what they do, and confirm before anything that changes data. "
    "(Imported from {source}; replace these instructions with your own.)"
)


class Imported:
    """An agent document built from foreign JSON, plus notes for the person importing it."""

    def __init__(self, document: dict[str, Any], notes: list[str]) -> None:
        self.document = document
        self.notes = notes


def import_tools(raw: bytes | str, agent_name: str, source: str = "<string>") -> Imported:
    """Parse foreign tool JSON into an agent document; `SpecError` for what cannot be read."""
    if len(raw) > IMPORT_FILE_CAP:
        raise SpecError(
            f"larger than {size_text(IMPORT_FILE_CAP)}, the limit for a tool list to import",
            Location(source, 1, 1),
        )
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"not valid JSON: {exc.msg}", Location(source, exc.lineno, exc.colno)
        ) from None
    except (UnicodeDecodeError, RecursionError):
        raise SpecError("not valid JSON text", Location(source, 1, 1)) from None
    notes: list[str] = []
    credentials = Credentials(notes)
    functions = [
        fn
        for i, item in enumerate(_items(data, source))
        if (fn := _function(item, i, source, credentials))
    ]
    if not functions:
        raise SpecError("no functions found to import", Location(source, 1, 1))
    name = re.sub(r"[^a-z0-9]+", "-", agent_name.lower()).strip("-") or "imported-agent"
    document = {
        "version": 1,
        "name": name,
        "instructions": _INSTRUCTIONS.format(source=source.replace("\\", "/").split("/")[-1]),
        "functions": functions,
    }
    return Imported(document, notes)


def _items(data: Any, source: str) -> list[Any]:
    if isinstance(data, list):
        out: list[Any] = []
        for item in data:
            out.extend(_items(item, source) if _is_container(item) else [item])
        return out
    if isinstance(data, dict):
        for key in ("tools", "functions", "function_declarations", "functionDeclarations"):
            if isinstance(data.get(key), list) and "name" not in data:
                return _items(data[key], source)
        if isinstance(data.get("model"), dict) and isinstance(data["model"].get("tools"), list):
            return _items(data["model"]["tools"], source)  # a whole Vapi assistant
        return [data]
    raise SpecError(
        f"expected a JSON list or object of tools, not {type(data).__name__}",
        Location(source, 1, 1),
    )


def _is_container(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and "name" not in item
        and any(
            isinstance(item.get(k), list) for k in ("function_declarations", "functionDeclarations")
        )
    )


def _function(
    item: Any, index: int, source: str, credentials: Credentials
) -> dict[str, Any] | None:
    notes = credentials.notes
    where = f"tool {index + 1}"
    if not isinstance(item, dict):
        raise SpecError(
            f"{where} is a {type(item).__name__}, not a tool object", Location(source, 1, 1)
        )
    kind = item.get("type")
    if kind in {"endCall", "end_call"}:
        return {"builtin": "end_call"}
    if kind in {"transferCall", "transfer_call"}:
        return _transfer(item, notes)
    if kind in _SKIPPED_TYPES:
        notes.append(f"{where}: `{kind}` is a hosted tool with no voicetools equivalent; skipped")
        return None
    spec = item["function"] if isinstance(item.get("function"), dict) else item
    raw_name = spec.get("name")
    if not isinstance(raw_name, str) or not raw_name:
        keys = ", ".join(sorted(str(k) for k in item)[:8]) or "none"
        raise SpecError(
            f"{where}: unknown tool shape (no `name`; keys: {keys}); expected OpenAI, Anthropic, "
            "Gemini, Retell or Vapi function JSON",
            Location(source, 1, 1),
        )
    name = _NAME_BAD.sub("_", raw_name)[:64]
    if name != raw_name:
        notes.append(f"{where}: name `{raw_name}` renamed to `{name}` (letters, digits, _ only)")
    out: dict[str, Any] = {"name": name}
    if isinstance(spec.get("description"), str) and spec["description"].strip():
        out["description"] = spec["description"].strip()
    else:
        notes.append(f"{name}: no description; write one so the model knows when to call it")
    schema = next((spec[k] for k in ("parameters", "input_schema", "body") if k in spec), None)
    out["parameters"] = credentials.schema(_parameters(schema), name)
    server: dict[str, Any] = item["server"] if isinstance(item.get("server"), dict) else {}
    url = item.get("url") or item.get("api_url") or server.get("url")
    if isinstance(url, str) and url:
        out["http"] = _http(item, url, server, name, credentials)
    else:
        out["mock"] = {"ok": True}
    filler = _filler(item)
    if filler is not None:
        out["speak_during_execution"] = filler
    timeout = _timeout(item, server)
    if timeout is not None:
        if not 1 <= timeout <= MAX_TIMEOUT_MS:
            notes.append(f"{name}: timeout {timeout} ms clamped to 1..{MAX_TIMEOUT_MS}")
            timeout = min(max(timeout, 1), MAX_TIMEOUT_MS)
        out["timeout_ms"] = timeout
    return out


def _parameters(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {"type": "object", "properties": {}}
    result = _lower_types(schema)
    result.setdefault("type", "object")
    if result["type"] == "object":
        result.setdefault("properties", {})
    return result


def _lower_types(node: Any) -> Any:
    """Gemini writes types upper-case and `nullable`; JSON Schema wants `type: [x, "null"]`."""
    if isinstance(node, list):
        return [_lower_types(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _lower_types(v) for k, v in node.items()}
    if isinstance(out.get("type"), str) and out["type"].isupper():
        out["type"] = out["type"].lower()
    if out.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        del out["nullable"]
    return out


def _http(
    item: dict[str, Any], url: str, server: dict[str, Any], name: str, credentials: Credentials
) -> dict[str, Any]:
    method = item.get("method") or server.get("method") or "POST"
    http: dict[str, Any] = {"url": credentials.url(url, name), "method": str(method).upper()}
    headers = item.get("headers", server.get("headers"))
    if isinstance(server.get("secret"), str) and server["secret"]:
        # Vapi signs its calls to the server with this shared secret, in X-Vapi-Secret.
        known = headers if isinstance(headers, dict) else {}
        headers = {**known, "X-Vapi-Secret": server["secret"]}
    if isinstance(headers, dict) and isinstance(headers.get("properties"), dict):
        # Vapi apiRequest writes headers as a schema whose properties carry a `value`.
        headers = {
            k: v.get("value") for k, v in headers["properties"].items() if isinstance(v, dict)
        }
    if isinstance(headers, dict):
        clean = {
            str(k): credentials.header(str(k), str(v), name)
            for k, v in headers.items()
            if v is not None
        }
        if clean:
            http["headers"] = clean
    return http


def _filler(item: dict[str, Any]) -> str | bool | None:
    spoken = item.get("speak_during_execution")
    if isinstance(spoken, str) and spoken.strip():
        return spoken.strip()
    message = item.get("execution_message_description")
    if spoken is True and isinstance(message, str) and message.strip():
        return message.strip()
    if spoken is False:
        return False
    for msg in item.get("messages") or ():
        if isinstance(msg, dict) and msg.get("type") == "request-start":
            content = msg.get("content")
            if isinstance(content, str) and content.strip():
                return content.strip()
    return None


def _timeout(item: dict[str, Any], server: dict[str, Any]) -> int | None:
    value = item.get("timeout_ms")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    seconds = server.get("timeoutSeconds", item.get("timeoutSeconds"))
    if isinstance(seconds, int | float) and not isinstance(seconds, bool):
        return int(seconds * 1000)
    return None


def _transfer(item: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"builtin": "transfer_call"}
    candidates = [item.get("number"), (item.get("transfer_destination") or {}).get("number")]
    candidates += [d.get("number") for d in item.get("destinations") or () if isinstance(d, dict)]
    number = next((n for n in candidates if isinstance(n, str) and n), None)
    if number:
        out["number"] = number
    else:
        notes.append("transfer_call: no destination number found; add `number:`")
    return out
