"""JSON Schema to GBNF rules: the part of a grammar that makes arguments schema-valid.

Our own converter, written for what function parameters use: objects with properties in
declared order (required always present, optional ones optional), strings (enum, const,
`format: date|time|date-time`, a simple `pattern`, length limits), integers, numbers, booleans,
null, arrays, nested objects, `type` lists and anyOf/oneOf. Whitespace is fixed (`", "` and
`": "`, as `json.dumps` writes) so a small model cannot loop on spaces, and every string has a
length cap so it cannot run on forever. Anything not understood degrades to a permissive rule
(any JSON value of the right type) and is listed in `RuleSet.notes`.

The grammar may be stricter than the schema (a bounded string, a plain space for `\\s`) but
never looser: whatever it accepts validates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from voicetools.dialogue.grammar.regex import pattern_to_gbnf

DEFAULT_STRING_CAP = 200
"""Longest string argument, in characters, when the schema sets no maxLength."""
_MAX_CAP = 500
_MAX_ITEMS = 32

_PRIMITIVES = {
    "json-char": r'[^"\\\x00-\x1f] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})',
    "json-string": f'"\\"" json-char{{0,{DEFAULT_STRING_CAP}}} "\\""',
    "json-integer": '"-"? ("0" | [1-9] [0-9]{0,15})',
    "json-number": 'json-integer ("." [0-9]{1,15})? ([eE] [-+]? [0-9]{1,3})?',
    "json-boolean": '"true" | "false"',
    "json-null": '"null"',
    "json-value": "json-object | json-array | json-string | json-number | json-boolean | json-null",
    "json-object": '"{" (json-string ": " json-value (", " json-string ": " json-value)*)? "}"',
    "json-array": '"[" (json-value (", " json-value)*)? "]"',
}
_USES = {
    "json-string": ["json-char"],
    "json-number": ["json-integer"],
    "json-value": [
        "json-object",
        "json-array",
        "json-string",
        "json-number",
        "json-boolean",
        "json-null",
    ],
    "json-object": ["json-string", "json-value"],
    "json-array": ["json-value"],
}
_FORMATS = {
    "date": r'[0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [12] [0-9] | "3" [01])',
    "time": r'([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9]',
}
_FORMATS["date-time"] = f'{_FORMATS["date"]} "T" {_FORMATS["time"]} ":" [0-5] [0-9] "Z"'
_FORMATS["uuid"] = r'[0-9a-f]{8} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{12}'
_HANDLED = {
    "type",
    "properties",
    "required",
    "items",
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "anyOf",
    "oneOf",
    "minimum",
    "description",
    "title",
    "default",
    "examples",
    "additionalProperties",
    "$schema",
}


def literal(text: str) -> str:
    """`text` as a GBNF string literal."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def json_literal(value: Any) -> str:
    """The GBNF literal for one JSON value, written as `json.dumps` writes it."""
    return literal(json.dumps(value, ensure_ascii=False))


def rule_name(text: str) -> str:
    """A GBNF rule name (letters, digits, dashes) derived from any text."""
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower() or "r"


class RuleSet:
    """Named rules in insertion order, the primitives they use, and what was degraded."""

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}
        self.notes: list[str] = []

    def add(self, name: str, body: str) -> str:
        """Add a rule under a free name derived from `name`; returns the name used."""
        base = rule_name(name)
        unique, n = base, 1
        while unique in self.rules or unique in _PRIMITIVES or unique == "root":
            if self.rules.get(unique) == body:
                return unique
            n += 1
            unique = f"{base}-{n}"
        self.rules[unique] = body
        return unique

    def primitive(self, name: str) -> str:
        if name not in self.rules:
            self.rules[name] = _PRIMITIVES[name]
            for used in _USES.get(name, []):
                self.primitive(used)
        return name

    def render(self, root: str) -> str:
        lines = [f"root ::= {root}"] + [f"{n} ::= {b}" for n, b in self.rules.items()]
        return "\n".join(lines) + "\n"


class SchemaConverter:
    """Adds the rules for JSON Schemas to a `RuleSet`."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    def rule(self, schema: Any, name: str) -> str:
        """The name of a rule matching exactly the JSON values `schema` accepts (or fewer)."""
        return self.rules.add(name, self.expression(schema, name))

    def expression(self, schema: Any, name: str) -> str:
        if schema is True or schema == {} or not isinstance(schema, Mapping):
            return self.rules.primitive("json-value")
        for key in sorted(set(schema) - _HANDLED):
            self.rules.notes.append(f"{name}: `{key}` is not enforced by the grammar")
        if "const" in schema:
            return json_literal(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return " | ".join(json_literal(v) for v in schema["enum"])
        for key in ("anyOf", "oneOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                base = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
                merged = [{**base, **o} if isinstance(o, Mapping) else o for o in options]
                return " | ".join(self.rule(o, f"{name}-{i}") for i, o in enumerate(merged))
        kind = schema.get("type")
        if isinstance(kind, list):
            return " | ".join(self.rule({**schema, "type": t}, f"{name}-{t}") for t in kind)
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else None
        if kind == "object":
            return self.object(schema, name)
        if kind == "array":
            return self.array(schema, name)
        if kind == "string":
            return self.string(schema, name)
        if kind == "integer":
            return self.integer(schema, name)
        if kind == "number" and "minimum" in schema:
            self.rules.notes.append(f"{name}: minimum is not enforced by the grammar")
        if kind in ("number", "boolean", "null"):
            return self.rules.primitive(f"json-{kind}")
        return self.rules.primitive("json-value")

    def object(self, schema: Mapping[str, Any], name: str) -> str:
        props = schema.get("properties")
        if not isinstance(props, Mapping) or not props:
            if isinstance(props, Mapping) or schema.get("additionalProperties") is False:
                return literal("{}")
            return self.rules.primitive("json-object")
        listed = schema.get("required")
        required: list[Any] = listed if isinstance(listed, list) else []
        for key in required:
            if key not in props:
                self.rules.notes.append(f"{name}: required {key!r} has no schema; never written")
        keys = list(props)
        pairs = [
            f"{literal(json.dumps(k) + ': ')} {self.rule(props[k], f'{name}-{k}')}" for k in keys
        ]
        rest = ""  # properties i.. after one was written: each one preceded by ", "
        first = ""  # properties i.. before any was written: the first one present has no comma
        for i in reversed(range(len(keys))):
            pair, tail = pairs[i], f" {rest}" if rest else ""
            if keys[i] in required:
                first = f"{pair}{tail}"
            else:  # either it is the first one written, or the first comes later (or none)
                first = f"{pair}{tail} | {first}" if first else f"({pair}{tail})?"
            if i > 0:
                body = f'", " {pair}{tail}' if keys[i] in required else f'(", " {pair})?{tail}'
                rest = self.rules.add(f"{name}-rest-{i}", body)
        return f'"{{" ({first}) "}}"'

    def array(self, schema: Mapping[str, Any], name: str) -> str:
        item = self.rule(schema.get("items", True), f"{name}-item")
        low = _int(schema.get("minItems"), 0)
        high = min(_int(schema.get("maxItems"), _MAX_ITEMS), _MAX_ITEMS)
        if low > high:
            self.rules.notes.append(f"{name}: minItems above {_MAX_ITEMS} is not enforced")
            low = high
        more = f'(", " {item}){{{max(low - 1, 0)},{max(high - 1, 0)}}}'
        body = f"{item} {more}" if high > 1 else item
        if low == 0:
            return f'"[" ({body})? "]"' if high > 0 else '"[]"'
        return f'"[" {body} "]"'

    def string(self, schema: Mapping[str, Any], name: str) -> str:
        fmt, pattern = schema.get("format"), schema.get("pattern")
        if isinstance(fmt, str) and fmt in _FORMATS:
            return f'"\\"" {_FORMATS[fmt]} "\\""'
        if isinstance(pattern, str):
            expr = pattern_to_gbnf(pattern)
            if expr is not None:
                return f'"\\"" {expr} "\\""'
            self.rules.notes.append(f"{name}: pattern {pattern!r} is not enforced by the grammar")
        elif fmt is not None:
            self.rules.notes.append(f"{name}: format {fmt!r} is not enforced by the grammar")
        low = _int(schema.get("minLength"), 0)
        high = min(_int(schema.get("maxLength"), DEFAULT_STRING_CAP), _MAX_CAP)
        self.rules.primitive("json-char")
        return f'"\\"" json-char{{{min(low, high)},{high}}} "\\""'

    def integer(self, schema: Mapping[str, Any], name: str) -> str:
        minimum = schema.get("minimum")
        if minimum in (0, 1) and not isinstance(minimum, bool):
            return '("0" | [1-9] [0-9]{0,15})' if minimum == 0 else "[1-9] [0-9]{0,15}"
        if minimum is not None:
            self.rules.notes.append(f"{name}: minimum {minimum!r} is not enforced by the grammar")
        return self.rules.primitive("json-integer")


def _int(value: Any, default: int) -> int:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return value if ok else default
