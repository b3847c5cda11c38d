"""Literal credentials in imported tools become `${ENV}` references, one name per credential.

Foreign tool JSON often carries the live token (`Authorization: Bearer sk-...`, an `x-api-key`
header, `?api_key=...` in the URL). None of it is copied into the agent file. Each distinct
value gets its own variable, named after the tool (`GET_BALANCE_API_KEY`, then `..._2` for a
second, different credential), so two tools with two tokens never end up sharing one name; the
same value used by several tools keeps the one name. The notes say which variables to set.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from voicetools.spec.rules.http_secrets import (
    AUTH_SCHEME,
    SECRET_QUERY_WORDS,
    SECRET_WORDS,
    looks_random,
)

_SECRET_HEADERS = {
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "x-access-token",
    "cookie",
}
_TEMPLATED = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{[A-Za-z_][A-Za-z0-9_]*\}")


class Credentials:
    """The env names given so far in one import: value -> name, and the names taken."""

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes
        self._names: dict[str, str] = {}

    def name_for(self, value: str, tool: str, where: str) -> str:
        """The variable for this literal credential, new for a value not seen before."""
        known = self._names.get(value)
        if known is not None:
            self.notes.append(f"{tool}: {where} held a literal secret; it now reads ${{{known}}}")
            return known
        base = f"{re.sub(r'[^A-Z0-9]+', '_', tool.upper()).strip('_') or 'TOOL'}_API_KEY"
        taken = set(self._names.values())
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        self._names[value] = name
        self.notes.append(
            f"{tool}: {where} held a literal secret; it now reads ${{{name}}}; set {name}"
        )
        return name

    def header(self, key: str, value: str, tool: str) -> str:
        """A header value with any literal credential replaced by a `${NAME}`."""
        if _TEMPLATED.search(value):
            return value
        scheme = AUTH_SCHEME.match(value)
        secret_name = key.lower() in _SECRET_HEADERS or SECRET_WORDS.search(key)
        if scheme:
            name = self.name_for(scheme.group(2), tool, f"header {key}")
            return f"{scheme.group(1)} ${{{name}}}"
        if (secret_name or looks_random(value)) and value.strip():
            return f"${{{self.name_for(value.strip(), tool, f'header {key}')}}}"
        return value

    def url(self, url: str, tool: str) -> str:
        """`url` with literal credentials in its query string (and user:password) replaced."""
        head, hash_, fragment = url.partition("#")
        base, question, query = head.partition("?")
        userinfo = re.match(r"^([a-z][a-z0-9+.-]*://)([^/@?#]*)@", base, re.I)
        if userinfo:  # a placeholder cannot go in the host part: drop it, say so
            base = userinfo.group(1) + base[userinfo.end() :]
            self.notes.append(
                f"{tool}: the URL held a user name and password; removed: send them in an "
                "Authorization header from the environment"
            )
        if not question:
            return base + hash_ + fragment
        pairs = []
        for pair in query.split("&"):
            key, eq, value = pair.partition("=")
            plain_key = unquote(key)
            sensitive = SECRET_WORDS.search(plain_key) or SECRET_QUERY_WORDS.match(plain_key)
            literal = value and not _TEMPLATED.search(value) and not _is_address(unquote(value))
            if eq and literal and (sensitive or looks_random(unquote(value))):
                where = f"URL parameter {quote(plain_key, safe='')}"
                value = f"${{{self.name_for(unquote(value), tool, where)}}}"
            pairs.append(key + eq + value)
        return base + "?" + "&".join(pairs) + hash_ + fragment


def _is_address(value: str) -> bool:
    """A URL or a path is a place, not a credential (`?to=http://localhost:8000/x`)."""
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*://|/)", value, re.I))
