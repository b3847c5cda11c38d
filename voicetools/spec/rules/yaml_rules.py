"""Y: what the YAML reader noticed (duplicate keys, YAML 1.1 surprises)."""

from __future__ import annotations

from collections.abc import Iterator

from voicetools.errors import Location
from voicetools.spec.findings import CATALOG, Finding, LintContext, Severity, declare, rule

declare("Y102", "duplicate-key", Severity.ERROR, "A mapping has the same key twice.")
declare(
    "Y103",
    "yaml11-boolean",
    Severity.WARNING,
    "yes/no/on/off are booleans in YAML 1.1; quote them or write true/false.",
)
declare(
    "Y104",
    "yaml11-number",
    Severity.WARNING,
    "10:30 (base 60) and 0755 (octal) are numbers in YAML 1.1; quote them.",
)


@rule
def reader_problems(ctx: LintContext) -> Iterator[Finding]:
    for problem in ctx.doc.problems:
        where = Location(ctx.doc.path, problem.mark.line, problem.mark.col)
        yield Finding(problem.code, CATALOG[problem.code].severity, problem.message, where)
