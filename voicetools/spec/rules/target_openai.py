"""OAI: portability to OpenAI function calling in strict mode (`--target openai`).

Strict mode (Structured Outputs) accepts a subset of JSON Schema: every object says
`additionalProperties: false`, every property is listed in `required` (an optional one is
written `type: [string, "null"]`), and a set of validation keywords is refused. The list
below is the conservative one, valid for every model that supports strict mode; newer models
accept some of the numeric and array bounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import (
    declared_types,
    entries,
    is_object_schema,
    schema_entries,
    targeting,
    walk_schema,
)

TARGET = "openai"
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
# Keyword -> what to do instead. Strict mode rejects these (structured outputs docs,
# "Supported schemas": some type-specific keywords and all composition except anyOf).
UNSUPPORTED: dict[str, str] = {
    "minLength": "describe the length in `description`",
    "maxLength": "describe the length in `description`",
    "pattern": "describe the format in `description`",
    "format": "describe the format in `description` (e.g. YYYY-MM-DD)",
    "minimum": "state the range in `description`",
    "maximum": "state the range in `description`",
    "exclusiveMinimum": "state the range in `description`",
    "exclusiveMaximum": "state the range in `description`",
    "multipleOf": "state it in `description`",
    "minItems": "state the count in `description`",
    "maxItems": "state the count in `description`",
    "uniqueItems": "state it in `description`",
    "contains": "state it in `description`",
    "minContains": "state it in `description`",
    "maxContains": "state it in `description`",
    "patternProperties": "declare each property under `properties`",
    "propertyNames": "declare each property under `properties`",
    "unevaluatedProperties": "use `additionalProperties: false`",
    "unevaluatedItems": "remove it",
    "minProperties": "remove it",
    "maxProperties": "remove it",
    "allOf": "merge the schemas into one",
    "oneOf": "use `anyOf`",
    "not": "remove it",
    "if": "remove it",
    "then": "remove it",
    "else": "remove it",
    "dependentRequired": "remove it",
    "dependentSchemas": "remove it",
}

declare("OAI101", "openai-name", Severity.ERROR, "OpenAI names match ^[a-zA-Z0-9_-]{1,64}$.")
declare(
    "OAI102",
    "openai-additional-properties",
    Severity.ERROR,
    "Strict mode needs `additionalProperties: false` on every object.",
)
declare(
    "OAI103",
    "openai-optional-property",
    Severity.ERROR,
    'Strict mode needs every property in `required` (optional: add "null" to its type).',
)
declare(
    "OAI104",
    "openai-unsupported-keyword",
    Severity.ERROR,
    "A JSON Schema keyword strict mode does not support.",
)


@rule
def openai_names(ctx: LintContext) -> Iterator[Finding]:
    if not targeting(ctx, TARGET):
        return
    for entry in entries(ctx):
        if entry.fn.name and not NAME.match(entry.fn.name):
            yield ctx.finding(
                "OAI101",
                f"OpenAI rejects the name `{entry.fn.name}`",
                entry.name_path,
                hint="letters, digits, _ and - only, at most 64",
            )


@rule
def openai_strict(ctx: LintContext) -> Iterator[Finding]:
    if not targeting(ctx, TARGET):
        return
    for _entry, params, root in schema_entries(ctx):
        for schema, path in walk_schema(params, root):
            for keyword in schema:
                if keyword in UNSUPPORTED:
                    yield ctx.finding(
                        "OAI104",
                        f"OpenAI strict mode does not support `{keyword}`",
                        (*path, keyword),
                        key=True,
                        hint=UNSUPPORTED[keyword],
                    )
            if not is_object_schema(schema):
                continue
            if schema.get("additionalProperties") is not False:
                yield ctx.finding(
                    "OAI102",
                    "OpenAI strict mode needs `additionalProperties: false` on this object",
                    (*path, "additionalProperties") if "additionalProperties" in schema else path,
                    key=True,
                    hint="add `additionalProperties: false`",
                )
            props = schema.get("properties")
            required = schema.get("required")
            listed = (
                {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
            )
            if isinstance(props, dict):
                for name, prop in props.items():
                    if name in listed:
                        continue
                    types = declared_types(prop) if isinstance(prop, dict) else ()
                    kind = types[0] if types else "string"
                    yield ctx.finding(
                        "OAI103",
                        f"OpenAI strict mode needs `{name}` in `required`",
                        (*path, "properties", name),
                        key=True,
                        hint=f'add it to `required` and make it nullable: `type: [{kind}, "null"]`',
                    )
