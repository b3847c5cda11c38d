"""V: voice manners. What sounds wrong on a phone line even when the file is valid.

A destructive tool asks first (at run time, automatically), so turning that off with
`confirm: false` deserves a warning; a confirmation must only read back real arguments; a
filler phrase should be over before the tool is; a slow tool should not leave dead air.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.load import JsonPath
from voicetools.spec.rules._common import PLACEHOLDER, Entry, did_you_mean, entries

declare(
    "V101",
    "destructive-without-confirm",
    Severity.WARNING,
    "`confirm: false` lets a tool that deletes or cancels run without asking the caller first.",
)
declare(
    "V102",
    "unknown-confirm-placeholder",
    Severity.ERROR,
    "A `{placeholder}` in `confirm` names no argument or variable.",
)
declare(
    "V103",
    "filler-too-long",
    Severity.WARNING,
    "Saying the filler takes longer than the tool's timeout.",
)
declare(
    "V104",
    "dead-air",
    Severity.INFO,
    "A tool may run over 10 s with nothing said meanwhile.",
)

SECONDS_PER_WORD = 0.4
"""About 150 spoken words per minute."""
DEAD_AIR_MS = 10_000


def speaking_ms(text: str) -> int:
    """Roughly how long `text` takes to say, in milliseconds."""
    return round(len(text.split()) * SECONDS_PER_WORD * 1000)


@rule
def destructive(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        fn = entry.fn
        if not fn.destructive or fn.confirm is not False:
            continue  # without `confirm:`, a destructive tool asks at run time
        if fn.destructive_flag:
            why = "is marked destructive"
        elif fn.http is not None and fn.http.method == "DELETE":
            why = "sends DELETE"
        else:
            why = "looks destructive by its name"
        yield ctx.finding(
            "V101",
            f"`{fn.name}` {why} but `confirm: false` runs it without asking the caller",
            entry.at("confirm"),
            hint="remove `confirm: false` to read the call back first, or say "
            "`destructive: false` if it only looks destructive",
        )


@rule
def confirm_placeholders(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        text = entry.raw.get("confirm")
        if not isinstance(text, str):
            continue
        known = [*entry.fn.properties, *ctx.agent.variables]
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1).strip()
            if name not in known:
                yield ctx.finding(
                    "V102",
                    f"`{{{name}}}` in the confirmation names no argument of `{entry.fn.name}`",
                    entry.at("confirm"),
                    hint=did_you_mean(name, known) or "use one of the declared arguments",
                )


@rule
def filler_timing(ctx: LintContext) -> Iterator[Finding]:
    reported: set[JsonPath] = set()
    for entry in entries(ctx):
        if entry.fn.builtin is not None:
            continue
        for text, path in _fillers(ctx, entry):
            said = speaking_ms(text)
            if said <= entry.fn.timeout_ms or path in reported:
                continue
            reported.add(path)
            yield ctx.finding(
                "V103",
                f"this filler takes about {said / 1000:.1f} s to say, but `{entry.fn.name}` "
                f"times out after {entry.fn.timeout_ms / 1000:.1f} s",
                path,
                hint=f"say it in at most {int(entry.fn.timeout_ms / 1000 / SECONDS_PER_WORD)} "
                "words",
            )


@rule
def dead_air(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        fn = entry.fn
        if fn.builtin is not None or fn.timeout_ms <= DEAD_AIR_MS or any(_fillers(ctx, entry)):
            continue
        path = entry.at("timeout_ms") if "timeout_ms" in entry.raw else entry.name_path
        yield ctx.finding(
            "V104",
            f"`{fn.name}` may run {fn.timeout_ms / 1000:.0f} s with nothing said",
            path,
            hint="add `speak_during_execution: One moment while I check that.`",
        )


def _fillers(ctx: LintContext, entry: Entry) -> Iterator[tuple[str, JsonPath]]:
    """Each filler phrase this function would use, with where it is written."""
    if "speak_during_execution" in entry.raw:
        yield from _phrases(entry.raw["speak_during_execution"], entry.at("speak_during_execution"))
        return
    defaults = ctx.doc.data.get("defaults") if isinstance(ctx.doc.data, dict) else None
    if isinstance(defaults, dict) and "speak_during_execution" in defaults:
        yield from _phrases(
            defaults["speak_during_execution"], ("defaults", "speak_during_execution")
        )


def _phrases(value: Any, path: JsonPath) -> Iterator[tuple[str, JsonPath]]:
    if isinstance(value, str) and value.strip():
        yield value, path
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                yield item, (*path, i)
