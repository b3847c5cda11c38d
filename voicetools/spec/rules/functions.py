"""F: function names, descriptions and backends.

The model picks a tool by its name and description, so both are checked like an API: a
name the providers accept, unique, phrased as an action; a description that says when to
call it. Each function runs on exactly one backend (http, python or builtin), or on a
`mock:` result while the backend does not exist yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import entries

declare("F101", "invalid-function-name", Severity.ERROR, "Names are 1..64 letters, digits or _.")
declare("F102", "duplicate-function-name", Severity.ERROR, "Two functions share a name.")
declare(
    "F103",
    "name-not-an-action",
    Severity.WARNING,
    "Name a function verb_object (get_weather), not a bare noun (weather).",
)
declare("F104", "missing-description", Severity.ERROR, "A function has no description.")
declare(
    "F105",
    "vague-description",
    Severity.WARNING,
    "The description is too short or generic for the model to know when to call it.",
)
declare("F106", "no-backend", Severity.ERROR, "A function has no http, python, builtin or mock.")
declare(
    "F107",
    "mock-only",
    Severity.WARNING,
    "A function has only a `mock:` result (it always answers with that result, touching nothing).",
)
declare("F108", "several-backends", Severity.ERROR, "A function has more than one backend.")

NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
BACKENDS = ("http", "python", "builtin")
MIN_DESCRIPTION_WORDS = 4

# First words that make a name read as an action. A name's first word (snake_case or
# camelCase) must be one of these; a single word must be in SINGLE_WORD_ACTIONS.
VERBS = frozenset(
    """
    activate add apply approve archive ask assign attach authenticate authorize block book buy
    calculate call cancel capture change charge check checkout choose clear close collect compare
    complete compute confirm connect convert copy count create deactivate decline delete describe
    detach dial disable disconnect dispatch display download downgrade edit email enable end
    enroll escalate estimate execute explain export extend fetch file fill find finish flag
    forward generate get give greet handle hang hold identify import invite issue join leave link
    list load locate lock log login logout look lookup mark modify move notify open order pause
    pay pick ping place play post press print process purchase put query queue raise rate read
    recommend record redeem redirect refresh refund register reject release reload remind remove
    rename renew reopen reply report request reschedule reserve reset resolve restore resume
    retrieve retry return review route run save scan schedule search select send set share show
    sign skip start stop store submit subscribe suggest summarize swap switch sync tag text
    toggle track transcribe transfer translate trigger turn unblock undo unlink unlock
    unsubscribe update upgrade upload validate verify view void wait withdraw write
    answer can format has is merge normalize parse say speak spell split tell
    """.split()
)
SINGLE_WORD_ACTIONS = frozenset(
    "checkout hangup login logout ping refresh reset retry search signup transfer".split()
)
_VAGUE = re.compile(
    r"^\W*(todo|tbd|fixme|xxx|n/?a|none|test(ing)?|helper|tool|function|a function|"
    r"this function|the function|does stuff|do stuff|does things|stuff|misc|description|"
    r"calls? (an|the) api|api call|placeholder)\W*$",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\b(TODO|FIXME|TBD|XXX)\b")


def _words(name: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def is_action_name(name: str) -> bool:
    """Whether `name` starts with a verb (get_weather, bookAppointment, search)."""
    words = _words(name)
    if not words:
        return True
    if len(words) == 1:
        return words[0] in SINGLE_WORD_ACTIONS
    return words[0] in VERBS


@rule
def names(ctx: LintContext) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for entry in entries(ctx):
        name = entry.fn.name
        path = entry.at("name") if "name" in entry.raw else entry.name_path
        if not name:
            if "name" in entry.raw:
                continue  # not a string: S102 says so
            yield ctx.finding(
                "F101", "function has no `name`", entry.path, hint="add `name: verb_object`"
            )
            continue
        if not NAME.match(name):
            yield ctx.finding(
                "F101",
                f"function name `{name}` must be 1..64 letters, digits or underscores",
                path,
                hint=f"try `{_suggest(name)}`" if _suggest(name) else None,
            )
        line = ctx.doc.mark_of(path).line
        if name in seen:
            yield ctx.finding(
                "F102",
                f"function name `{name}` is already used (line {seen[name]})",
                path,
                hint="the model could not tell the two apart; rename one",
            )
        else:
            seen[name] = line
        if entry.fn.builtin is None and not is_action_name(name):
            yield ctx.finding(
                "F103",
                f"function name `{name}` does not start with a verb",
                path,
                hint=f"name the action, e.g. `{_action_name(name)}`",
            )


@rule
def descriptions(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        text = entry.fn.description.strip()
        raw = entry.raw.get("description")
        if not text:
            where = entry.at("description") if "description" in entry.raw else entry.name_path
            yield ctx.finding(
                "F104",
                f"function `{entry.fn.name or '?'}` has no description",
                where,
                hint="say what it does and when the model should call it",
            )
            continue
        if not isinstance(raw, str):
            continue  # a built-in's default description
        words = len(text.split())
        if _VAGUE.match(text) or _MARKER.search(text):
            why = "is a placeholder"
        elif words < MIN_DESCRIPTION_WORDS:
            why = f"has only {words} word{'s' if words != 1 else ''}"
        else:
            continue
        yield ctx.finding(
            "F105",
            f"description of `{entry.fn.name}` {why}",
            entry.at("description"),
            hint="one sentence: what it does, and when to use it",
        )


@rule
def backends(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        present = [key for key in BACKENDS if key in entry.raw]
        label = entry.fn.name or "?"
        if len(present) > 1:
            for extra in present[1:]:
                yield ctx.finding(
                    "F108",
                    f"function `{label}` has both `{present[0]}` and `{extra}`",
                    entry.at(extra),
                    key=True,
                    hint="keep exactly one of http / python / builtin",
                )
        elif not present and "mock" in entry.raw:
            yield ctx.finding(
                "F107",
                f"function `{label}` has only a mock result; every call answers with it",
                entry.at("mock"),
                key=True,
                hint="add `http:` or `python:` when the backend exists",
            )
        elif not present:
            yield ctx.finding(
                "F106",
                f"function `{label}` has no backend",
                entry.name_path,
                hint="add `http:`, `python:` or `builtin:` (or a `mock:` result while designing)",
            )


def _action_name(name: str) -> str:
    """`weather` -> `get_weather`; `2fa_send_code` -> `send_2fa_code`."""
    words = _words(name) or ["thing"]
    verb = next((w for w in words if w in VERBS), None)
    if verb is None:
        return "_".join(["get", *words])
    return "_".join([verb, *(w for w in words if w != verb)])


def _suggest(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name.strip()).strip("_")[:64]
    return cleaned if cleaned and cleaned != name else ""
