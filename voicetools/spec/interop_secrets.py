"""Literal credentials in imported tools become `${ENV}` references, one name per credential.

Foreign tool JSON often carries the live token (`Authorization: Bearer sk-...`, an `x-api-key`
header, `?api_key=...` or a webhook key in the URL, Vapi's `server.secret`, a `default:` in a
parameter's schema). None of it is copied into the agent file. Each distinct
value gets its own variable, named after the tool (`GET_BALANCE_API_KEY`, then `..._2` for a
second, different credential), so two tools with two tokens never end up sharing one name; the
same value used by several tools keeps the one name. The notes say which variables to set.
"""

from __future__ import annotations

import re
from typing import Any
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
_KNOWN_TOKEN = re.compile(
    r"^(?:(?:sk|rk|pk)[-_](?:live[-_]|test[-_]|proj[-_])?[\w-]{12,}|xox[abposr]-[\w-]{10,}"
    r"|gh[pousr]_\w{20,}|AKIA[0-9A-Z]{12,}|AIza[\w-]{20,}|eyJ[\w-]{10,}\.[\w-]+)",
)
"""Shapes of well-known API keys (OpenAI/Stripe, Slack, GitHub, AWS, Google, JWTs)."""
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
        if (secret_name or _looks_secret(value)) and value.strip():
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
        base = self._path(base, tool)
        if not question:
            return base + hash_ + fragment
        pairs = []
        for pair in query.split("&"):
            key, eq, value = pair.partition("=")
            plain_key = unquote(key)
            sensitive = SECRET_WORDS.search(plain_key) or SECRET_QUERY_WORDS.match(plain_key)
            literal = value and not _TEMPLATED.search(value) and not _is_address(unquote(value))
            if eq and literal and (sensitive or _looks_secret(unquote(value))):
                where = f"URL parameter {quote(plain_key, safe='')}"
                value = f"${{{self.name_for(unquote(value), tool, where)}}}"
            pairs.append(key + eq + value)
        return base + "?" + "&".join(pairs) + hash_ + fragment

    def _path(self, base: str, tool: str) -> str:
        """Random-looking path segments (webhook URLs carry their key in the path)."""
        match = re.match(r"^([a-z][a-z0-9+.-]*://[^/]*)(/.*)?$", base, re.I)
        if not match or not match.group(2):
            return base
        segments = match.group(2).split("/")
        for i, segment in enumerate(segments):
            if segment and not _TEMPLATED.search(segment) and _looks_secret(unquote(segment)):
                name = self.name_for(unquote(segment), tool, "a URL path segment")
                segments[i] = f"${{{name}}}"
        return match.group(1) + "/".join(segments)

    def schema(self, node: Any, tool: str, name: str = "") -> Any:
        """A parameter schema without literal credentials: a property named like one, or a
        random-looking string, loses its `default`, `const`, `value`, `enum` or examples."""
        if isinstance(node, list):
            return [self.schema(item, tool, name) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out[key] = {k: self.schema(v, tool, str(k)) for k, v in value.items()}
            elif key in _LITERAL_KEYS and _holds_credential(name, value):
                self.notes.append(
                    f"{tool}: parameter {name or '?'} carried a literal `{key}` that looks like "
                    "a credential; removed: send it in a header from the environment"
                )
            else:
                out[key] = self.schema(value, tool, name)
        return out


_LITERAL_KEYS = {"default", "const", "value", "enum", "example", "examples"}


def _holds_credential(name: str, value: Any) -> bool:
    texts = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    if not texts:
        return False
    return bool(SECRET_WORDS.search(name) or SECRET_QUERY_WORDS.match(name)) or any(
        _looks_secret(t) or AUTH_SCHEME.match(t) for t in texts
    )


def _looks_secret(text: str) -> bool:
    return looks_random(text) or bool(_KNOWN_TOKEN.match(text.strip()))


def _is_address(value: str) -> bool:
    """A URL or a path is a place, not a credential (`?to=http://localhost:8000/x`)."""
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*://|/)", value, re.I))
