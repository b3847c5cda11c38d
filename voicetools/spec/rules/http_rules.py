"""H101-H105: an HTTP tool's URL and its `{placeholder}`s.

A placeholder is filled from the call's arguments or from the agent's `variables`. It must
name something that is always there (a required argument or a variable), be a scalar (an
object cannot go into a path), and never choose the host: the model must not pick which
server a request goes to. Secrets (`${ENV}`) are checked in `http_secrets`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.load import JsonPath
from voicetools.spec.rules._common import (
    PLACEHOLDER,
    Entry,
    declared_types,
    did_you_mean,
    entries,
)

declare("H101", "url-not-http", Severity.ERROR, "The URL is not an absolute http(s) URL.")
declare(
    "H102",
    "unknown-placeholder",
    Severity.ERROR,
    "A `{placeholder}` names neither an argument nor a variable.",
)
declare(
    "H103",
    "optional-placeholder",
    Severity.ERROR,
    "A `{placeholder}` names an optional argument; the request breaks when it is left out.",
)
declare(
    "H104",
    "non-scalar-placeholder",
    Severity.ERROR,
    "A `{placeholder}` names an object or array argument.",
)
declare(
    "H105",
    "placeholder-in-host",
    Severity.ERROR,
    "The host of the URL comes from a `{placeholder}`; the model would choose the server.",
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def authority_span(url: str) -> tuple[int, int] | None:
    """Start and end of `host[:port]` (with any userinfo) in an absolute URL, else None."""
    match = _SCHEME.match(url)
    if match is None or url[match.end() : match.end() + 2] != "//":
        return None
    start = match.end() + 2
    end = len(url)
    for stop in "/?#":
        found = url.find(stop, start)
        if found != -1:
            end = min(end, found)
    return start, end


@rule
def url_scheme(ctx: LintContext) -> Iterator[Finding]:
    for entry in _http_entries(ctx):
        url = entry.raw["http"].get("url")
        if not isinstance(url, str):
            continue  # missing or not text: S103/S102
        path = entry.at("http", "url")
        match = _SCHEME.match(url.strip())
        scheme = match.group(1).lower() if match else None
        if scheme in {"http", "https"} and authority_span(url.strip()) is not None:
            continue
        if scheme is None:
            message, hint = f"URL {url!r} is not absolute", "write the full URL: https://host/path"
        elif scheme in {"http", "https"}:
            message, hint = f"URL {url!r} has no host", "write it as https://host/path"
        else:
            message, hint = f"URL scheme `{scheme}:` is not allowed", "HTTP tools use http(s) only"
        yield ctx.finding("H101", message, path, hint=hint)


@rule
def url_placeholders(ctx: LintContext) -> Iterator[Finding]:
    for entry in _http_entries(ctx):
        http = entry.raw["http"]
        url = http.get("url")
        if isinstance(url, str):
            span = authority_span(url) or (0, 0)
            for match in PLACEHOLDER.finditer(url):
                if span[0] <= match.start() < span[1]:
                    yield ctx.finding(
                        "H105",
                        f"`{{{match.group(1)}}}` is in the host part of the URL",
                        entry.at("http", "url"),
                        hint="fix the host; pass the value in the path or query instead",
                    )
                else:
                    yield from _check_name(ctx, entry, match.group(1), entry.at("http", "url"))
        headers = http.get("headers")
        if isinstance(headers, dict):
            for key, value in headers.items():
                if isinstance(value, str):
                    where = entry.at("http", "headers", key)
                    for match in PLACEHOLDER.finditer(value):
                        yield from _check_name(ctx, entry, match.group(1), where)


def _check_name(
    ctx: LintContext, entry: Entry, raw_name: str, where: JsonPath
) -> Iterator[Finding]:
    name = raw_name.strip()
    props = entry.fn.properties
    variables = ctx.agent.variables
    if name not in props:
        if name in variables:
            return
        if not _NAME.match(name):
            message = f"placeholder `{{{raw_name}}}` is not a name"
            hint = "write an argument or variable name in the braces, e.g. `{order_id}`"
        else:
            message = f"placeholder `{{{name}}}` is not an argument or a variable"
            hint = did_you_mean(name, [*props, *variables]) or (
                f"declare `{name}` under `parameters.properties` or `variables`"
            )
        yield ctx.finding("H102", message, where, hint=hint)
        return
    if name not in entry.fn.required and name not in variables:
        yield ctx.finding(
            "H103",
            f"placeholder `{{{name}}}` names an optional argument",
            where,
            hint=f"add `{name}` to `required`, or leave it out of the URL/headers",
        )
    schema = props[name]
    types = declared_types(schema) if isinstance(schema, dict) else ()
    bad = [t for t in types if t in {"object", "array"}]
    if bad:
        yield ctx.finding(
            "H104",
            f"placeholder `{{{name}}}` names an {bad[0]} argument",
            where,
            hint="only strings, numbers and booleans fit in a URL or header; "
            "send structured arguments in the body",
        )


def _http_entries(ctx: LintContext) -> Iterator[Entry]:
    for entry in entries(ctx):
        if isinstance(entry.raw.get("http"), dict):
            yield entry
