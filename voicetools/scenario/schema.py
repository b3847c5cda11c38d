"""The JSON Schema of a scenario file: one source for editors and for the loader's checks.

The loader (`voicetools.scenario.load`) validates against it and turns each error into a
`file:line:col` message with a did-you-mean hint; the checks that need the agent (function and
argument names) are done there too.
"""

from __future__ import annotations

from typing import Any

_STRINGS: dict[str, Any] = {
    "description": "A text, or a list of alternatives.",
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
}

CALL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "description": "The function's name."},
        "arguments": {
            "type": "object",
            "description": "A subset of the arguments; strings compare case-insensitively.",
        },
    },
    "required": ["name"],
    "additionalProperties": False,
}

EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "calls": {
            "type": "array",
            "items": CALL_SCHEMA,
            "description": "Calls made in this order (others may come between).",
        },
        "no_call": {"type": "boolean", "description": "true: no function was called."},
        "confirmation": {"type": "boolean", "description": "A confirmation question was asked."},
        "filler": {"type": "boolean", "description": "A filler line was spoken."},
        "reply_contains": {**_STRINGS, "description": "Any one of these, case-insensitive."},
        "reply_not_contains": {**_STRINGS, "description": "None of these, case-insensitive."},
        "ended": {"type": "boolean", "description": "The call is over after this turn."},
    },
    "additionalProperties": False,
}

FAULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "latency_ms": {"type": "integer", "minimum": 0, "maximum": 60_000},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "timeout": {"type": "boolean"},
        "invalid_json": {"type": "boolean"},
    },
    "additionalProperties": False,
    "minProperties": 1,
}

TURN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "user": {"type": "string", "minLength": 1, "description": "What the caller says."},
        "expect": EXPECT_SCHEMA,
    },
    "required": ["user"],
    "additionalProperties": False,
}

SCENARIO_ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "mocks": {
            "type": "object",
            "description": "Canned results by function name.",
        },
        "faults": {
            "type": "object",
            "additionalProperties": FAULT_SCHEMA,
            "description": "Injected faults by function name.",
        },
        "turns": {"type": "array", "items": TURN_SCHEMA, "minItems": 1},
    },
    "required": ["name", "turns"],
    "additionalProperties": False,
}

SCENARIO_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "voicetools scenario file",
    "type": "object",
    "properties": {
        "agent": {
            "type": "string",
            "minLength": 1,
            "description": "The agent file, relative to this file.",
        },
        "today": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "The session's date, YYYY-MM-DD.",
        },
        "mock_tools": {"type": "boolean", "description": "Answer every call with its mock."},
        "scenarios": {"type": "array", "items": SCENARIO_ITEM_SCHEMA, "minItems": 1},
    },
    "required": ["agent", "scenarios"],
    "additionalProperties": False,
}
