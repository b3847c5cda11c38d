"""LLA: portability to llama.cpp grammars (`--target llama`).

llama.cpp turns a tool's schema into a GBNF grammar with its json-schema-to-grammar
converter, which handles a subset of JSON Schema. Some things make the conversion fail
(a remote `$ref`, regex syntax it cannot translate); others are silently ignored, so the
model may produce values the schema forbids (a warning).
"""

from __future__ import annotations

from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import schema_entries, targeting, walk_schema

TARGET = "llama"
# `format` values the converter turns into grammar rules (uuid1..uuid5 too).
FORMATS = frozenset(
    {"date", "time", "date-time", "uuid", "uuid1", "uuid2", "uuid3", "uuid4", "uuid5"}
)
# Keywords the converter ignores: the grammar will not enforce them.
IGNORED = frozenset(
    """
    patternProperties propertyNames not if then else uniqueItems contains minContains
    maxContains dependentRequired dependentSchemas unevaluatedProperties unevaluatedItems
    minProperties maxProperties
    """.split()
)

declare("LLA101", "llama-remote-ref", Severity.ERROR, "llama.cpp resolves local `#/...` refs only.")
declare(
    "LLA102",
    "llama-ignored-keyword",
    Severity.WARNING,
    "A keyword the llama.cpp grammar converter ignores (not enforced).",
)
declare(
    "LLA103",
    "llama-unsupported-pattern",
    Severity.ERROR,
    "A `pattern` llama.cpp cannot turn into a grammar (lookaround, backreference, lazy "
    "quantifier, missing ^...$).",
)
declare(
    "LLA104",
    "llama-unsupported-format",
    Severity.WARNING,
    "A `format` llama.cpp ignores (only date, time, date-time and uuid are enforced).",
)


def pattern_problem(pattern: str) -> str | None:
    """Why llama.cpp's regex-to-grammar cannot translate `pattern`, or None."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        return "must start with ^ and end with $"
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        nxt = pattern[i + 1] if i + 1 < n else ""
        if c == "\\":
            if nxt in "123456789" or (nxt == "k" and pattern[i + 2 : i + 3] == "<"):
                return "uses a backreference"
            i += 2
            continue
        if c == "[":
            i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(" and nxt == "?":
            kind = pattern[i : i + 4]
            lookaround = kind.startswith(("(?=", "(?!", "(?<=", "(?<!"))
            return "uses a lookaround" if lookaround else f"uses the group syntax `{kind[:3]}`"
        elif c in "*+?}" and nxt == "?":
            return "uses a lazy quantifier"
        i += 1
    return None


@rule
def llama_schema(ctx: LintContext) -> Iterator[Finding]:
    if not targeting(ctx, TARGET):
        return
    for _entry, params, root in schema_entries(ctx):
        for schema, path in walk_schema(params, root):
            ref = schema.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                yield ctx.finding(
                    "LLA101",
                    f"llama.cpp cannot fetch `$ref: {ref}`",
                    (*path, "$ref"),
                    hint="copy the schema under `$defs` and refer to `#/$defs/...`",
                )
            for keyword in schema:
                if keyword in IGNORED:
                    yield ctx.finding(
                        "LLA102",
                        f"llama.cpp ignores `{keyword}`; the grammar will not enforce it",
                        (*path, keyword),
                        key=True,
                        hint="check the value in the handler, or describe it in `description`",
                    )
            pattern = schema.get("pattern")
            why = pattern_problem(pattern) if isinstance(pattern, str) else None
            if why:
                yield ctx.finding(
                    "LLA103",
                    f"llama.cpp cannot use this pattern: it {why}",
                    (*path, "pattern"),
                    hint="use plain groups, classes and greedy quantifiers inside ^...$",
                )
            fmt = schema.get("format")
            if isinstance(fmt, str) and fmt not in FORMATS and "pattern" not in schema:
                yield ctx.finding(
                    "LLA104",
                    f"llama.cpp ignores `format: {fmt}`",
                    (*path, "format"),
                    hint="only date, time, date-time and uuid are enforced; add a `pattern`",
                )
