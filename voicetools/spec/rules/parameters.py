"""P: each function's `parameters`, a JSON Schema (Draft 2020-12) of type object.

The schema itself is checked against the Draft 2020-12 metaschema first, so a typo such as
`type: strin` or `required: city` points at the exact node. Then the things a metaschema
cannot see: `required` names declared properties, enum values and defaults fit their type.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.load import JsonPath
from voicetools.spec.rules._common import (
    Entry,
    declared_types,
    did_you_mean,
    entries,
    fits_type,
    json_type_name,
    raw_parameters,
    walk_schema,
)

declare("P101", "invalid-json-schema", Severity.ERROR, "`parameters` is not valid JSON Schema.")
declare("P102", "parameters-not-object", Severity.ERROR, "`parameters` must be `type: object`.")
declare(
    "P103",
    "missing-properties",
    Severity.ERROR,
    "`parameters` has no `properties` (write `properties: {}` for no arguments).",
)
declare("P104", "unknown-required", Severity.ERROR, "`required` names an undeclared property.")
declare("P105", "enum-type-mismatch", Severity.ERROR, "An enum value does not fit the type.")
declare("P106", "default-type-mismatch", Severity.ERROR, "A default does not fit the type.")
declare("P107", "default-not-in-enum", Severity.ERROR, "A default is not one of the enum values.")
declare(
    "P108",
    "undocumented-parameter",
    Severity.WARNING,
    "An argument has no description; the model has only its name to go on.",
)

_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)
_TYPE_NAMES = "string, integer, number, boolean, array, object, null"


@rule
def valid_schema(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        params = raw_parameters(entry)
        if params is None:
            continue
        for error in sorted(_META.iter_errors(params), key=lambda e: list(map(str, e.path))):
            path = (*entry.at("parameters"), *error.absolute_path)
            yield ctx.finding("P101", _explain(error), path, hint=_hint(error))


@rule
def object_shape(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        params = raw_parameters(entry)
        if params is None:
            continue
        where = entry.at("parameters")
        kind = params.get("type")
        if kind != "object":
            yield ctx.finding(
                "P102",
                "`parameters` must be `type: object`"
                + (f", not {kind!r}" if kind is not None else ""),
                (*where, "type") if "type" in params else where,
                key="type" not in params,
                hint="arguments are always an object: `type: object` with `properties:`",
            )
            if kind is not None:
                continue
        if "properties" not in params:
            yield ctx.finding(
                "P103",
                f"parameters of `{entry.fn.name}` have no `properties`",
                where,
                key=True,
                hint="list the arguments under `properties:`, or `properties: {}` for none",
            )
        yield from _undocumented(ctx, entry, params)


@rule
def schema_values(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        for schema, path in walk_schema(raw_parameters(entry), entry.at("parameters")):
            yield from _required(ctx, schema, path)
            yield from _enum_and_default(ctx, schema, path)


def _required(ctx: LintContext, schema: dict[str, Any], path: JsonPath) -> Iterator[Finding]:
    props, required = schema.get("properties"), schema.get("required")
    if not isinstance(props, dict) or not isinstance(required, list):
        return
    for i, name in enumerate(required):
        if isinstance(name, str) and name not in props:
            yield ctx.finding(
                "P104",
                f"`{name}` is required but not declared in `properties`",
                (*path, "required", i),
                hint=did_you_mean(name, props) or f"declare `{name}` under `properties:`",
            )


def _enum_and_default(
    ctx: LintContext, schema: dict[str, Any], path: JsonPath
) -> Iterator[Finding]:
    types = declared_types(schema)
    enum = schema.get("enum")
    wanted = " or ".join(types)
    if types and isinstance(enum, list):
        for i, value in enumerate(enum):
            if not fits_type(value, types):
                yield ctx.finding(
                    "P105",
                    f"enum value {value!r} is {_a(json_type_name(value))}, not {_a(wanted)}",
                    (*path, "enum", i),
                    hint='quote it ("...") if it is meant as text' if "string" in types else None,
                )
    if "default" not in schema:
        return
    default = schema["default"]
    if types and not fits_type(default, types):
        yield ctx.finding(
            "P106",
            f"default {default!r} is {_a(json_type_name(default))}, not {_a(wanted)}",
            (*path, "default"),
        )
    elif isinstance(enum, list) and default not in enum:
        yield ctx.finding(
            "P107",
            f"default {default!r} is not one of the enum values",
            (*path, "default"),
            hint=did_you_mean(str(default), [str(v) for v in enum]),
        )


def _undocumented(ctx: LintContext, entry: Entry, params: dict[str, Any]) -> Iterator[Finding]:
    props = params.get("properties")
    if not isinstance(props, dict):
        return
    for name, prop in props.items():
        if isinstance(prop, dict) and not str(prop.get("description") or "").strip():
            yield ctx.finding(
                "P108",
                f"argument `{name}` of `{entry.fn.name}` has no description",
                (*entry.at("parameters", "properties"), name),
                key=True,
                hint="say what it is and its format, e.g. `description: Date as YYYY-MM-DD`",
            )


def _explain(error: ValidationError) -> str:
    where = error.absolute_path
    last = where[-1] if where else None
    if last == "type" and error.validator in {"anyOf", "enum"}:
        return f"{error.instance!r} is not a JSON Schema type (use one of: {_TYPE_NAMES})"
    if error.validator == "type":
        expected = error.validator_value
        names = " or ".join(expected) if isinstance(expected, list) else str(expected)
        label = f"`{last}`" if isinstance(last, str) else "this value"
        return f"{label} must be {_a(names)} in a JSON Schema, not {json_type_name(error.instance)}"
    return f"invalid JSON Schema: {error.message}"


def _hint(error: ValidationError) -> str | None:
    where = error.absolute_path
    if where and where[-1] == "type" and isinstance(error.instance, str):
        return did_you_mean(error.instance, _TYPE_NAMES.split(", "))
    if where and where[-1] == "required" and isinstance(error.instance, str):
        return f"write a list: `required: [{error.instance}]`"
    return None


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"
