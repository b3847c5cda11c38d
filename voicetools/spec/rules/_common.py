"""Helpers shared by the rule modules: raw function entries, placeholders, schema walking.

Nothing here registers a rule. Rules read the built `Function` for meaning and the raw
mapping (with its JSON path) for what the author actually wrote, so that findings point at
the exact node.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from voicetools.spec.findings import LintContext
from voicetools.spec.load import JsonPath
from voicetools.spec.model import Function

PLACEHOLDER = re.compile(r"(?<!\$)\{([^{}]*)\}")
"""`{name}` (an argument or an agent variable), but not the `{` of `${ENV}`."""
ENV_REF = re.compile(r"\$\{([^{}]*)\}")
"""`${NAME}`: a value taken from the environment when the tool runs."""
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")

# Keywords whose value is one subschema, a list of them, or a mapping of name -> subschema.
_ONE_SCHEMA = (
    "items",
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SCHEMA_LISTS = ("prefixItems", "anyOf", "oneOf", "allOf", "items")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


@dataclass(frozen=True)
class Entry:
    """One function as built (`fn`) and as written (`raw`, at `path`)."""

    fn: Function
    raw: dict[str, Any]
    path: JsonPath

    def at(self, *keys: str | int) -> JsonPath:
        """The JSON path of something inside this function entry."""
        return (*self.path, *keys)

    @property
    def name_path(self) -> JsonPath:
        """Where to point when the problem is the function as a whole."""
        for key in ("name", "builtin"):
            if key in self.raw:
                return self.at(key)
        return self.path


def entries(ctx: LintContext) -> Iterator[Entry]:
    """Every function entry that is a mapping, with its raw data."""
    data = ctx.doc.data
    raw_list = data.get("functions") if isinstance(data, dict) else None
    if not isinstance(raw_list, list):
        return
    for fn in ctx.agent.functions:
        index = fn.path[1]
        raw = raw_list[index] if isinstance(index, int) and index < len(raw_list) else None
        if isinstance(raw, dict):
            yield Entry(fn, raw, fn.path)


def raw_parameters(entry: Entry) -> dict[str, Any] | None:
    """The `parameters` mapping the author wrote, or None (absent or not a mapping)."""
    params = entry.raw.get("parameters")
    return params if isinstance(params, dict) else None


def walk_schema(schema: Any, path: JsonPath) -> Iterator[tuple[dict[str, Any], JsonPath]]:
    """Every (sub)schema mapping under `schema`, depth first, with its JSON path."""
    if not isinstance(schema, dict):
        return
    stack: list[tuple[dict[str, Any], JsonPath]] = [(schema, path)]
    while stack:
        node, where = stack.pop()
        yield node, where
        children: list[tuple[Any, JsonPath]] = []
        for key in _ONE_SCHEMA:
            if isinstance(node.get(key), dict):
                children.append((node[key], (*where, key)))
        for key in _SCHEMA_LISTS:
            if isinstance(node.get(key), list):
                children.extend((s, (*where, key, i)) for i, s in enumerate(node[key]))
        for key in _SCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                children.extend((s, (*where, key, name)) for name, s in node[key].items())
        stack.extend((child, p) for child, p in reversed(children) if isinstance(child, dict))


def declared_types(schema: dict[str, Any]) -> tuple[str, ...]:
    """The JSON types a schema names with `type` (empty when it does not say)."""
    value = schema.get("type")
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def fits_type(value: Any, types: Iterable[str]) -> bool:
    """Whether a JSON value is of one of the named types (unknown type names never fail)."""
    names = list(types)
    if not names or any(t not in _PY_TYPES for t in names):
        return True
    for name in names:
        if isinstance(value, bool) and name not in {"boolean"}:
            continue
        if name == "integer" and isinstance(value, float) and value.is_integer():
            return True
        if isinstance(value, _PY_TYPES[name]):
            return True
    return False


def is_object_schema(schema: dict[str, Any]) -> bool:
    return "object" in declared_types(schema) or "properties" in schema


def placeholders(text: str) -> Iterator[str]:
    """The names inside `{...}` in a template, stripped."""
    for match in PLACEHOLDER.finditer(text):
        yield match.group(1).strip()


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def json_type_name(value: Any) -> str:
    for name, types in _PY_TYPES.items():
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, types):
            return name
    return type(value).__name__


def targeting(ctx: LintContext, dialect: str) -> bool:
    """Whether `--target dialect` (or `targets` in the config) asked for these rules."""
    return dialect in ctx.config.targets


def schema_entries(ctx: LintContext) -> Iterator[tuple[Entry, dict[str, Any], JsonPath]]:
    """Functions whose `parameters` the author wrote (built-ins' defaults are ours to export)."""
    for entry in entries(ctx):
        params = raw_parameters(entry)
        if params is not None:
            yield entry, params, entry.at("parameters")
