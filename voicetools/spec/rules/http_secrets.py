"""H106-H108: secrets in HTTP tools.

Agent files are committed, shared and pasted into tickets, so a token written into one is a
leaked token. Secrets come from the environment as `${ENV_NAME}`, and belong in headers:
URLs end up in access logs, proxies and error messages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.load import JsonPath
from voicetools.spec.rules._common import ENV_NAME, ENV_REF, PLACEHOLDER, Entry, entries

declare(
    "H106",
    "literal-secret",
    Severity.ERROR,
    "A token or key is written into the file; take it from the environment with ${ENV}.",
)
declare("H107", "bad-env-name", Severity.ERROR, "A `${...}` name is not UPPER_SNAKE_CASE.")
declare(
    "H108",
    "secret-in-url",
    Severity.WARNING,
    "A secret `${...}` is put into the URL, which ends up in logs; send it in a header.",
)

# Headers whose whole value is a credential.
SECRET_HEADERS = frozenset(
    """
    authorization proxy-authorization x-api-key api-key apikey x-apikey x-auth-token
    x-access-token x-secret x-client-secret ocp-apim-subscription-key cookie
    """.split()
)
# Words that make a header or query name look like a credential (x-github-token, api_key);
# whole words only, so `author` or `design` do not match. A bare `key` counts in a query.
SECRET_WORDS = re.compile(
    r"(?:^|[-_.])(access[-_]?token|token|secret|passw(?:or)?d|pwd|api[-_]?key|apikey"
    r"|credentials?|auth|signature|sig)(?:$|[-_.])",
    re.IGNORECASE,
)
SECRET_QUERY_WORDS = re.compile(r"^(key|appid|app_id)$", re.IGNORECASE)
# Auth schemes followed by a credential: `Bearer abc...`.
AUTH_SCHEME = re.compile(r"^\s*(Bearer|Basic|Token|Digest|Bot)\s+(\S+)", re.IGNORECASE)
# Secret-looking env names, for H108 (a ${BASE_URL} in a URL is fine).
SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|AUTH|CREDENTIAL|SIG)", re.I)
ENTROPY_BITS = 3.5
ENTROPY_MIN_LENGTH = 20
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-.~]{" + str(ENTROPY_MIN_LENGTH) + ",}")
_LOCATION = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://|\.{0,2}/)")
_MAX_NESTING = 3
_ENV_HINT = "write `${MY_API_KEY}` and set MY_API_KEY in the environment"


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(text: str) -> bool:
    """A long mix of letters and digits with high entropy: probably a key or token."""
    for token in _TOKEN.findall(text):
        has_letters = any(c.isalpha() for c in token)
        has_digits = any(c.isdigit() for c in token)
        if has_letters and has_digits and shannon_entropy(token) > ENTROPY_BITS:
            return True
    return False


def _literal(value: str) -> str:
    """The value without its `${ENV}` and `{placeholder}` parts."""
    return PLACEHOLDER.sub("", ENV_REF.sub("", value)).strip()


@rule
def header_secrets(ctx: LintContext) -> Iterator[Finding]:
    for entry in _http(ctx):
        headers = entry.raw["http"].get("headers")
        if not isinstance(headers, dict):
            continue
        for key, value in headers.items():
            if not isinstance(value, str):
                continue
            where = entry.at("http", "headers", key)
            reason = _header_secret(str(key), value)
            if reason:
                yield ctx.finding("H106", f"header `{key}` {reason}", where, hint=_ENV_HINT)
            yield from _env_names(ctx, value, where)


@rule
def url_secrets(ctx: LintContext) -> Iterator[Finding]:
    for entry in _http(ctx):
        url = entry.raw["http"].get("url")
        if not isinstance(url, str):
            continue
        where = entry.at("http", "url")
        yield from _env_names(ctx, url, where)
        secret_refs = [m.group(1) for m in ENV_REF.finditer(url) if SECRET_ENV.search(m.group(1))]
        if secret_refs:
            yield ctx.finding(
                "H108",
                f"`${{{secret_refs[0]}}}` is put into the URL, which is written to logs",
                where,
                hint=f"send it in a header, e.g. `Authorization: Bearer ${{{secret_refs[0]}}}`",
            )
        query = url.split("#", 1)[0].partition("?")[2]
        name = _query_secret(query)
        if name is not None:
            yield ctx.finding(
                "H106",
                f"query parameter `{name}` holds a literal secret",
                where,
                hint="send it in a header from the environment: `X-API-Key: ${MY_API_KEY}`",
            )


def is_location(value: str) -> bool:
    """A URL (`scheme://...`) or a path (`/a/b`, `./a`, `../a`): an address, not a token."""
    return bool(_LOCATION.match(value.strip()))


def _query_secret(query: str, depth: int = 0) -> str | None:
    """The name of the first query parameter holding a literal secret, or None.

    A value that is itself a URL or a path (`redirect_uri=https://...`, `next=/home`) is an
    address, whatever the parameter is called and however random it looks; it is checked
    like the tool's own URL instead: a password in it, or a secret in its own query.
    """
    for name, value in parse_qsl(query, keep_blank_values=True):
        literal = _literal(value)
        if not literal or literal != value.strip():
            continue
        if is_location(value):
            if depth < _MAX_NESTING and _address_secret(value, depth + 1):
                return name
            continue
        if SECRET_WORDS.search(name) or SECRET_QUERY_WORDS.match(name) or looks_random(value):
            return name
    return None


def _address_secret(address: str, depth: int) -> bool:
    """Whether a URL or path carries a secret: `user:password@` or a secret query value."""
    try:
        parts = urlsplit(address.strip())
        password = parts.password
    except ValueError:  # a malformed port or bracket: not an address after all
        return looks_random(address)
    return bool(password) or _query_secret(parts.query, depth) is not None


def _header_secret(name: str, value: str) -> str | None:
    """Why this header value is a literal secret, or None."""
    scheme = AUTH_SCHEME.match(value)
    if scheme and _literal(scheme.group(2)):
        return f"holds a literal {scheme.group(1).title()} credential"
    literal = _literal(value)
    uses_env_or_placeholder = literal != value.strip()
    is_secret_name = name.lower() in SECRET_HEADERS or SECRET_WORDS.search(name)
    if is_secret_name and literal and not uses_env_or_placeholder:
        return "holds a literal credential"
    if is_location(literal):  # a Referer or callback URL is an address, not a token
        return "holds a URL with a secret in it" if _address_secret(literal, 1) else None
    if looks_random(literal):
        return "holds what looks like a key or token"
    return None


def _env_names(ctx: LintContext, text: str, where: JsonPath) -> Iterator[Finding]:
    for match in ENV_REF.finditer(text):
        name = match.group(1)
        if not ENV_NAME.match(name):
            fixed = re.sub(r"[^A-Za-z0-9_]", "_", name.strip()).upper()
            yield ctx.finding(
                "H107",
                f"`${{{name}}}` is not an environment variable name",
                where,
                hint=f"use UPPER_SNAKE_CASE, e.g. `${{{fixed or 'API_KEY'}}}`",
            )


def _http(ctx: LintContext) -> Iterator[Entry]:
    for entry in entries(ctx):
        if isinstance(entry.raw.get("http"), dict):
            yield entry
