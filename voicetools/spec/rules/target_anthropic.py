"""ANT: portability to Anthropic tool use (`--target anthropic`).

Anthropic takes full JSON Schema as a tool's `input_schema`, but the schema must describe an
object, and tool names match ^[a-zA-Z0-9_-]{1,64}$.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import entries, schema_entries, targeting

TARGET = "anthropic"
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

declare("ANT101", "anthropic-name", Severity.ERROR, "Anthropic names match ^[a-zA-Z0-9_-]{1,64}$.")
declare(
    "ANT102",
    "anthropic-input-schema",
    Severity.ERROR,
    "Anthropic's `input_schema` must be `type: object`.",
)


@rule
def anthropic_tools(ctx: LintContext) -> Iterator[Finding]:
    if not targeting(ctx, TARGET):
        return
    for entry in entries(ctx):
        if entry.fn.name and not NAME.match(entry.fn.name):
            yield ctx.finding(
                "ANT101",
                f"Anthropic rejects the tool name `{entry.fn.name}`",
                entry.name_path,
                hint="letters, digits, _ and - only, at most 64",
            )
    for _entry, params, root in schema_entries(ctx):
        if params.get("type") != "object":
            yield ctx.finding(
                "ANT102",
                "Anthropic needs `input_schema` (our `parameters`) to be `type: object`",
                (*root, "type") if "type" in params else root,
                key="type" not in params,
                hint="write `type: object` with the arguments under `properties:`",
            )
