"""Turn a parsed `Document` into the frozen `Agent` model.

The builder is tolerant: wrong types are skipped (the linter reports them, with locations),
so `validate` can still run every semantic rule on a half-broken file. Runtime commands use
`voicetools.spec.load_agent`, which refuses a file with errors before building.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from voicetools.spec.load import Document
from voicetools.spec.model import Agent, Function, HttpSpec, ToolKind
from voicetools.spec.schema import DEFAULT_TIMEOUT_MS

_NO_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}, "required": []}

BUILTIN_DEFAULTS: Mapping[str, dict[str, Any]] = MappingProxyType(
    {
        "end_call": {
            "description": "End the call once the caller says goodbye or has nothing more to ask.",
            "parameters": _NO_PARAMETERS,
            "message": "Thank you for calling. Goodbye!",
        },
        "transfer_call": {
            "description": "Transfer the caller to a human when they ask for a person or the "
            "request is outside what you can do.",
            "parameters": _NO_PARAMETERS,
        },
        "send_sms": {
            "description": "Send a text message to the caller's phone, e.g. a confirmation or a "
            "link.",
            "parameters": {
                "type": "object",
                "properties": {"message": {"type": "string", "description": "The text to send."}},
                "required": ["message"],
            },
        },
        "press_digit": {
            "description": "Press keypad digits (DTMF), e.g. to navigate a phone menu.",
            "parameters": {
                "type": "object",
                "properties": {
                    "digits": {"type": "string", "pattern": "^[0-9*#]{1,32}$"},
                },
                "required": ["digits"],
            },
        },
    }
)


def _text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _filler(value: Any) -> tuple[str, ...] | None:
    if value is False:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return MappingProxyType(dict(value)) if isinstance(value, dict) else MappingProxyType({})


def _http(raw: Any) -> HttpSpec | None:
    if not isinstance(raw, dict):
        return None
    method = raw.get("method", "GET")
    headers = raw.get("headers")
    return HttpSpec(
        url=_text(raw.get("url")),
        method=method.upper() if isinstance(method, str) else "GET",
        headers=MappingProxyType(
            {str(k): str(v) for k, v in headers.items()} if isinstance(headers, dict) else {}
        ),
        body=_text(raw.get("body"), "auto"),
        extract=raw.get("extract") if isinstance(raw.get("extract"), str) else None,
        retries=_int(raw.get("retries"), 2),
        idempotency_key=raw.get("idempotency_key") is True,
        max_response_bytes=_int(raw.get("max_response_bytes"), 16_384),
    )


def build_function(raw: Any, index: int, default_timeout_ms: int) -> Function | None:
    """Build one function entry; None when the entry is not even a mapping."""
    if not isinstance(raw, dict):
        return None
    builtin = raw.get("builtin") if isinstance(raw.get("builtin"), str) else None
    defaults = BUILTIN_DEFAULTS.get(builtin or "", {})
    http = _http(raw.get("http"))
    python = raw.get("python") if isinstance(raw.get("python"), str) else None
    mock = raw.get("mock") if isinstance(raw.get("mock"), dict) else None
    kind: ToolKind
    if http is not None:
        kind = "http"
    elif python is not None:
        kind = "python"
    elif builtin is not None:
        kind = "builtin"
    elif mock is not None:
        kind = "mock"
    else:
        kind = "none"
    parameters = raw.get("parameters")
    if not isinstance(parameters, dict):
        parameters = defaults.get("parameters", _NO_PARAMETERS)
    confirm = raw.get("confirm")
    return Function(
        name=_text(raw.get("name"), builtin or ""),
        description=_text(raw.get("description"), defaults.get("description", "")),
        parameters=MappingProxyType(dict(parameters)),
        kind=kind,
        http=http,
        python=python,
        builtin=builtin,
        message=_text(raw.get("message")) or defaults.get("message"),
        number=str(raw["number"]) if isinstance(raw.get("number"), str | int) else None,
        mock=MappingProxyType(dict(mock)) if mock is not None else None,
        filler=_filler(raw.get("speak_during_execution")),
        timeout_ms=_int(raw.get("timeout_ms"), default_timeout_ms),
        confirm=confirm if isinstance(confirm, str | bool) else None,
        destructive_flag=raw.get("destructive")
        if isinstance(raw.get("destructive"), bool)
        else None,
        path=("functions", index),
    )


def build_agent(doc: Document) -> Agent:
    """The model of whatever in `doc` has the right shape."""
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    defaults = _dict(data.get("defaults"))
    timeout = _int(defaults.get("timeout_ms"), DEFAULT_TIMEOUT_MS)
    raw_functions = data.get("functions")
    if not isinstance(raw_functions, list):
        raw_functions = []
    functions = tuple(
        f
        for f in (build_function(raw, i, timeout) for i, raw in enumerate(raw_functions))
        if f is not None
    )
    variables = _dict(data.get("variables"))
    return Agent(
        name=_text(data.get("name")),
        instructions=_text(data.get("instructions")),
        greeting=_text(data.get("greeting")),
        description=_text(data.get("description")),
        variables=MappingProxyType(
            {str(k): _variable_text(v) for k, v in variables.items() if v is not None}
        ),
        functions=functions,
        default_timeout_ms=timeout,
        default_filler=_filler(defaults.get("speak_during_execution")),
        allow_private=data.get("allow_private") is True,
        source=doc.path,
        base_dir=Path(doc.path).resolve().parent if doc.path != "<string>" else Path.cwd(),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _variable_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
