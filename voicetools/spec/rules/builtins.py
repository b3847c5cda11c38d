"""B: the built-in tools (end_call, transfer_call, send_sms, press_digit) and their fields.

`number` and `message` configure built-ins; on a function of one's own they would be
silently ignored, so they are errors there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import PLACEHOLDER, did_you_mean, entries
from voicetools.spec.schema import BUILTINS

declare("B101", "transfer-without-number", Severity.ERROR, "transfer_call has no `number`.")
declare(
    "B102",
    "bad-transfer-number",
    Severity.ERROR,
    "transfer_call's `number` is not a phone number (+15550001111), SIP URI or {variable}.",
)
declare(
    "B103",
    "sms-without-caller-number",
    Severity.WARNING,
    "send_sms needs the caller's number: add `caller_number` to `variables`.",
)
declare(
    "B104",
    "misplaced-builtin-field",
    Severity.ERROR,
    "`number`/`message` on a function that does not use them.",
)

# E.164-ish: a leading +, then 7..15 digits; spaces, dashes, dots and parentheses allowed.
PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
SIP = re.compile(r"^sips?:[^@\s]+@[^@\s]+$")
_SEPARATORS = re.compile(r"[\s().\-]")
CALLER_NUMBER = "caller_number"
# Which built-in reads which field.
FIELD_USERS = {"number": ("transfer_call",), "message": ("end_call", "send_sms", "transfer_call")}


@rule
def transfer_number(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        if entry.fn.builtin != "transfer_call":
            continue
        raw = entry.raw.get("number")
        if raw is None:
            yield ctx.finding(
                "B101",
                "transfer_call has no `number` to transfer to",
                entry.at("builtin"),
                hint='add `number: "+15550001111"` (quoted, in E.164 form)',
            )
            continue
        if not isinstance(raw, str):
            continue  # S102 (a bare 15550001111 is a YAML number: it must be quoted)
        number = raw.strip()
        template = PLACEHOLDER.fullmatch(number)
        if template:
            name = template.group(1).strip()
            if name not in ctx.agent.variables and name not in entry.fn.properties:
                yield ctx.finding(
                    "B102",
                    f"`{{{name}}}` names no variable",
                    entry.at("number"),
                    hint=did_you_mean(name, ctx.agent.variables)
                    or f"declare `{name}` under `variables`",
                )
        elif not (PHONE.match(_SEPARATORS.sub("", number)) or SIP.match(number)):
            yield ctx.finding(
                "B102",
                f"`{number}` is not a phone number",
                entry.at("number"),
                hint='write it in E.164 form with the country code: "+15550001111"',
            )


@rule
def sms_caller(ctx: LintContext) -> Iterator[Finding]:
    if CALLER_NUMBER in ctx.agent.variables:
        return
    for entry in entries(ctx):
        if entry.fn.builtin == "send_sms":
            yield ctx.finding(
                "B103",
                "send_sms texts the caller, but `caller_number` is not among the variables",
                entry.at("builtin"),
                hint='add `variables: {caller_number: "+15551234567"}` (filled in by the '
                "telephony platform)",
            )


@rule
def misplaced_fields(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        builtin = entry.fn.builtin if "builtin" in entry.raw else None
        if builtin is not None and builtin not in BUILTINS:
            continue  # S102 already says the built-in is unknown
        for field, users in FIELD_USERS.items():
            if field not in entry.raw:
                continue
            if builtin is None:
                message = f"`{field}` is only for built-ins; `{entry.fn.name}` ignores it"
                hint = "remove it, or put it in the tool's own configuration"
            elif builtin not in users:
                message = f"`{field}` is not used by {builtin}"
                hint = f"`{field}` is read by: {', '.join(users)}"
            else:
                continue
            yield ctx.finding("B104", message, entry.at(field), key=True, hint=hint)
