"""The JSON Schema of the agent file (Draft 2020-12), printed by `voicetools schema`.

Editors use it to validate as you type (yaml-language-server: `# yaml-language-server:
$schema=...`); the linter uses the same schema for its structural rules, so the two never
disagree. Cross-field rules (placeholders, handlers, secrets) live in `voicetools.spec.rules`.
"""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://voicetools.dev/schema/agent-v1.json"

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
BUILTINS = ("end_call", "transfer_call", "send_sms", "press_digit")
MAX_TIMEOUT_MS = 30_000
DEFAULT_TIMEOUT_MS = 5_000

_TIMEOUT = {
    "type": "integer",
    "minimum": 1,
    "maximum": MAX_TIMEOUT_MS,
    "description": "How long the tool may take, in milliseconds (1..30000).",
}

_FILLER = {
    "description": "What the agent says while the tool runs (one phrase, a list to vary, or "
    "false for silence).",
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        {"const": False},
    ],
}

HTTP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url"],
    "properties": {
        "url": {
            "type": "string",
            "description": "http(s) URL; `{param}` in the path is percent-encoded from the "
            "arguments.",
        },
        "method": {"enum": list(HTTP_METHODS), "default": "GET"},
        "headers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Header values may hold `{param}` placeholders and `${ENV}` secrets.",
        },
        "body": {
            "enum": ["auto", "json", "query", "form"],
            "default": "auto",
            "description": "Where arguments not used in the path go: auto = query string for GET, "
            "JSON body otherwise.",
        },
        "extract": {
            "type": "string",
            "description": "Keep only this part of a JSON response, e.g. `data.items[0].status`.",
        },
        "retries": {"type": "integer", "minimum": 0, "maximum": 5, "default": 2},
        "idempotency_key": {
            "type": "boolean",
            "description": "Send an Idempotency-Key header (stable across retries) so non-GET "
            "requests may be retried safely.",
        },
        "max_response_bytes": {"type": "integer", "minimum": 64, "maximum": 1_048_576},
    },
}

FUNCTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "description": "Letters, digits and underscores, 1..64."},
        "description": {"type": "string", "description": "When the model should call this."},
        "parameters": {
            "type": "object",
            "description": "JSON Schema (Draft 2020-12) of the arguments: type object.",
        },
        "http": HTTP_SCHEMA,
        "python": {
            "type": "string",
            "description": "`file.py:function` (relative to the agent file) or "
            "`package.module:function`.",
        },
        "builtin": {"enum": list(BUILTINS)},
        "message": {
            "type": "string",
            "description": "end_call: the last words; send_sms: the text (may hold {param}).",
        },
        "number": {"type": "string", "description": "transfer_call: where to transfer to."},
        "mock": {
            "type": "object",
            "description": "A canned result, for designing before the backend exists.",
        },
        "speak_during_execution": _FILLER,
        "timeout_ms": _TIMEOUT,
        "confirm": {
            "description": "Ask before running: a question (may hold {param}), or true for an "
            "automatic read-back of the arguments.",
            "anyOf": [{"type": "string", "minLength": 1}, {"type": "boolean"}],
        },
        "destructive": {
            "type": "boolean",
            "description": "Override the guess (DELETE, delete_/cancel_/remove_ names).",
        },
    },
}

AGENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "voicetools agent file",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "instructions"],
    "properties": {
        "version": {"const": 1, "description": "Format version."},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "instructions": {"type": "string", "minLength": 1, "description": "The system prompt."},
        "greeting": {"type": "string", "description": "First words of the call."},
        "variables": {
            "type": "object",
            "description": "Known values usable as {name} in URLs, headers and text.",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
        },
        "defaults": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"timeout_ms": _TIMEOUT, "speak_during_execution": _FILLER},
        },
        "allow_private": {
            "type": "boolean",
            "description": "Let HTTP tools reach loopback/private addresses (local development).",
        },
        "functions": {"type": "array", "items": FUNCTION_SCHEMA},
    },
}
