"""Export an agent's functions in the tool format of an LLM API.

The agent file is the source of truth; these shapes are what you paste into a request:

  openai     [{"type": "function", "function": {name, description, parameters}}]
  anthropic  [{name, description, input_schema}]
  gemini     {"function_declarations": [{name, description, parameters}]}, the schema cut down
             to the OpenAPI 3.0 subset Gemini reads (no `additionalProperties`, `const`,
             `oneOf`/`allOf`, `$ref`; a `["x", "null"]` type becomes `nullable: true`).

Built-ins (end_call, transfer_call, ...) are exported too: the model calls them like any tool.
Import (the other direction) is `voicetools.spec.interop`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicetools.spec.model import Agent, Function

EXPORT_TARGETS = ("openai", "anthropic", "gemini")

_GEMINI_KEYS = {
    "type",
    "format",
    "description",
    "nullable",
    "enum",
    "items",
    "properties",
    "required",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "anyOf",
    "title",
    "default",
    "propertyOrdering",
    "minProperties",
    "maxProperties",
    "example",
}


def plain(value: Any) -> Any:
    """Deep copy into dicts and lists (the model holds read-only mappings)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def export_tools(agent: Agent, target: str, notes: list[str] | None = None) -> Any:
    """The agent's functions as `target` expects them; ValueError for an unknown target."""
    notes = notes if notes is not None else []
    if target == "openai":
        return [{"type": "function", "function": _core(f, "parameters")} for f in agent.functions]
    if target == "anthropic":
        return [_core(f, "input_schema") for f in agent.functions]
    if target == "gemini":
        return {"function_declarations": [_gemini(f, notes) for f in agent.functions]}
    raise ValueError(f"unknown target {target!r}; choose one of: {', '.join(EXPORT_TARGETS)}")


def _core(function: Function, schema_key: str) -> dict[str, Any]:
    return {
        "name": function.name,
        "description": function.description,
        schema_key: plain(function.parameters),
    }


def _gemini(function: Function, notes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": function.name, "description": function.description}
    if function.properties:  # Gemini rejects an object schema with no properties
        dropped: set[str] = set()
        out["parameters"] = to_openapi(plain(function.parameters), dropped)
        if dropped:
            notes.append(f"{function.name}: dropped for Gemini: {', '.join(sorted(dropped))}")
    return out


def to_openapi(schema: Any, dropped: set[str]) -> Any:
    """Cut a JSON Schema down to Gemini's OpenAPI subset, recording what had to go."""
    if not isinstance(schema, dict):
        return schema
    node = dict(schema)
    if "const" in node:
        node.setdefault("enum", [node.pop("const")])
    if "oneOf" in node:
        node["anyOf"] = node.pop("oneOf")
    if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
        node = {**node.pop("allOf")[0], **node}
    kind = node.get("type")
    if isinstance(kind, list):
        real = [t for t in kind if t != "null"]
        node["type"] = real[0] if real else "string"
        if "null" in kind:
            node["nullable"] = True
        if len(real) > 1:
            dropped.add(f"type union {kind}")
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in _GEMINI_KEYS:
            dropped.add(key)
        elif key == "properties" and isinstance(value, dict):
            out[key] = {name: to_openapi(sub, dropped) for name, sub in value.items()}
        elif key == "items":
            out[key] = to_openapi(value, dropped)
        elif key == "anyOf" and isinstance(value, list):
            out[key] = [to_openapi(sub, dropped) for sub in value]
        else:
            out[key] = value
    return out
