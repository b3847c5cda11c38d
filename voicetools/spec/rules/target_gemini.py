"""GEM: portability to Gemini function declarations (`--target gemini`).

Gemini's `parameters` is a subset of the OpenAPI 3.0 Schema object, not JSON Schema: one
`type` per schema (optional values say `nullable: true`), enums of strings only, and no
`$ref`, `oneOf`, `allOf`, `const` or `additionalProperties`. Unknown fields make the request
fail. `additionalProperties: false` is the one exception here: it only forbids extra keys, so
the exporter drops it, and an agent can target OpenAI strict mode and Gemini at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import entries, schema_entries, targeting, walk_schema

TARGET = "gemini"
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
# The fields of Gemini's Schema object (ai.google.dev API reference, `Schema`).
SUPPORTED = frozenset(
    """
    type format title description nullable enum maxItems minItems properties required
    minProperties maxProperties minLength maxLength pattern example anyOf propertyOrdering
    default items minimum maximum
    """.split()
)
# What to write instead of a field Gemini does not know.
INSTEAD: dict[str, str] = {
    "oneOf": "use `anyOf`",
    "allOf": "merge the schemas into one",
    "const": "use `enum: [value]`",
    "$ref": "inline the referenced schema",
    "$defs": "inline the definitions where they are used",
    "definitions": "inline the definitions where they are used",
    "additionalProperties": "declare every key under `properties` (no free-form maps)",
    "examples": "use `example` (one value)",
    "exclusiveMinimum": "use `minimum`",
    "exclusiveMaximum": "use `maximum`",
}

declare(
    "GEM101",
    "gemini-unsupported-keyword",
    Severity.ERROR,
    "A keyword outside Gemini's OpenAPI 3.0 schema subset.",
)
declare(
    "GEM102",
    "gemini-type-list",
    Severity.ERROR,
    "Gemini takes one `type`; write `nullable: true` instead of a type list with null.",
)
declare("GEM103", "gemini-non-string-enum", Severity.ERROR, "Gemini enums hold strings only.")
declare(
    "GEM104",
    "gemini-name",
    Severity.ERROR,
    "Gemini names start with a letter or _ and hold letters, digits, _ . - (64 at most).",
)


@rule
def gemini_names(ctx: LintContext) -> Iterator[Finding]:
    if not targeting(ctx, TARGET):
        return
    for entry in entries(ctx):
        if entry.fn.name and not NAME.match(entry.fn.name):
            yield ctx.finding(
                "GEM104",
                f"Gemini rejects the function name `{entry.fn.name}`",
                entry.name_path,
                hint="start with a letter or _; letters, digits, _ . - only",
            )


@rule
def gemini_schema(ctx: LintContext) -> Iterator[Finding]:
    if not targeting(ctx, TARGET):
        return
    for _entry, params, root in schema_entries(ctx):
        for schema, path in walk_schema(params, root):
            for keyword, value in schema.items():
                if keyword in SUPPORTED or (keyword == "additionalProperties" and value is False):
                    continue
                yield ctx.finding(
                    "GEM101",
                    f"Gemini does not support `{keyword}`",
                    (*path, keyword),
                    key=True,
                    hint=INSTEAD.get(keyword, "remove it (say it in `description` if it matters)"),
                )
            kind = schema.get("type")
            if isinstance(kind, list):
                others = [t for t in kind if t != "null"]
                hint = (
                    f"write `type: {others[0]}` and `nullable: true`"
                    if len(others) == 1 and "null" in kind
                    else "pick one type (or use `anyOf`)"
                )
                yield ctx.finding(
                    "GEM102", f"Gemini takes one type, not {kind}", (*path, "type"), hint=hint
                )
            enum = schema.get("enum")
            if isinstance(enum, list):
                for i, value in enumerate(enum):
                    if not isinstance(value, str):
                        yield ctx.finding(
                            "GEM103",
                            f"Gemini enums hold strings; {value!r} is not one",
                            (*path, "enum", i),
                            hint="use `type: string` and quote the values",
                        )
