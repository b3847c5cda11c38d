"""Turn a function's `http:` block and the model's arguments into one exact request.

Pure: no sockets, no clock, no `os.environ` (the environment is passed in), so `--dry-run` shows
byte for byte what would be sent and tests need no server. The model chose the arguments and a
caller may be adversarial, so every value is treated as hostile:

* `{param}` in the URL is percent-encoded with *no* safe characters, so `../admin`, `a/b?x=1#`
  or `%2e%2e` stay inside one path segment (or one query value) and cannot change the path, the
  query or the host. A segment that would decode to `.`, `..` or nothing is refused, because
  clients and proxies collapse such segments.
* `{name}` is a declared parameter first, then an agent variable (a caller-chosen argument
  cannot override an undeclared variable such as `{caller_number}`).
* `${ENV}` secrets come from `env` at call time; an unset or empty one refuses the call rather
  than sending the literal, and so does one too short or common to mask (`secret_values`).
  Their values are kept in `PreparedRequest.secrets` for redaction.
* A header value holding CR, LF or NUL after filling is refused (header injection).

Arguments the URL and headers do not use go where `HttpSpec.argument_location` says: the query
string (GET by default), a JSON body (other methods) or a form body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, unquote, urlencode

from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory
from voicetools.tools.redact import Redactor
from voicetools.tools.secret_values import secret_problem

_PLACEHOLDER = re.compile(
    r"\$\{(?P<env>[A-Za-z_][A-Za-z0-9_]*)\}"  # ${ENV}: a secret from the environment
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}"  # {name}: an argument or an agent variable
)


def env_names(text: str) -> list[str]:
    """The `${NAME}` secrets `text` refers to, exactly as `build_request` will read them."""
    return [m.group("env") for m in _PLACEHOLDER.finditer(text) if m.group("env")]


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_FORBIDDEN_IN_HEADER = ("\r", "\n", "\0")


class RequestRefused(Exception):
    """The call must not be sent; `detail` is safe to show the model (it never holds a secret)."""

    def __init__(self, category: ErrorCategory, detail: str) -> None:
        super().__init__(detail)
        self.category = category
        self.detail = detail


@dataclass(frozen=True)
class PreparedRequest:
    """Exactly what will go on the wire, before the network guard and the executor's headers."""

    method: str
    url: str
    """Absolute, with the query string; every argument in it is percent-encoded."""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    json_body: Any | None = None
    """The value behind `body` when it is JSON (for `describe`)."""
    secrets: tuple[str, ...] = ()
    """Secret values used (raw and percent-encoded); redact them from anything shown."""

    def redacted(self, redactor: Redactor | None = None) -> PreparedRequest:
        """A copy fit to print or log: secret values (the session's and this call's) and card
        numbers masked in the URL, the headers (names too) and the body."""
        masker = (redactor or Redactor()).with_secrets(self.secrets)
        body = self.body
        if body is not None:
            body = masker.text(body.decode("utf-8", "replace")).encode("utf-8")
        return replace(
            self,
            url=masker.text(self.url),
            headers=masker.value(self.headers),
            body=body,
            json_body=masker.value(self.json_body),
            secrets=(),
        )


def describe(prepared: PreparedRequest, redactor: Redactor | None = None) -> dict[str, Any]:
    """The request as `tool run --dry-run` prints it, redacted."""
    safe = prepared.redacted(redactor)
    body: Any = safe.json_body if safe.json_body is not None else None
    if body is None and safe.body is not None:
        body = safe.body.decode("utf-8", "replace")
    return {"method": safe.method, "url": safe.url, "headers": dict(safe.headers), "body": body}


def _text(value: Any) -> str:
    """How one argument reads in a URL or header: JSON spelling for non-strings."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class _Filler:
    """Fills placeholders for one call and remembers which arguments and secrets it used."""

    def __init__(
        self,
        function: Function,
        arguments: Mapping[str, Any],
        variables: Mapping[str, str],
        env: Mapping[str, str],
    ) -> None:
        self.declared = set(function.properties)
        self.arguments = arguments
        self.variables = variables
        self.env = env
        self.used: set[str] = set()
        self.secrets: list[str] = []

    def value(self, name: str) -> str | None:
        if name in self.arguments and (name in self.declared or name not in self.variables):
            self.used.add(name)
            return _text(self.arguments[name])
        if name in self.variables:
            return str(self.variables[name])
        return None

    def secret(self, name: str) -> str:
        value = self.env.get(name, "")
        if not value:
            raise RequestRefused(ErrorCategory.PERMISSION, f"The secret {name} is not set")
        problem = secret_problem(name, value)
        if problem:
            raise RequestRefused(ErrorCategory.PERMISSION, problem[0].upper() + problem[1:])
        self.secrets.append(value)
        return value

    def fill(self, template: str, encode: bool, where: str) -> str:
        """`template` filled. In the URL (`encode`) values are percent-encoded; header values
        are kept as they are, and checked later. Either way the argument counts as used, so it
        is not sent a second time in the query string or body."""

        def one(match: re.Match[str]) -> str:
            if match.group("env"):
                raw = self.secret(match.group("env"))
                if encode and quote(raw, safe="") != raw:
                    self.secrets.append(quote(raw, safe=""))
            else:
                found = self.value(match.group("name"))
                if found is None:
                    raise RequestRefused(
                        ErrorCategory.INVALID_ARGUMENTS,
                        f"No value for {{{match.group('name')}}} in the {where}",
                    )
                raw = found
            return quote(raw, safe="") if encode else raw

        return _PLACEHOLDER.sub(one, template)


def _split_url(url: str) -> tuple[str, str, str]:
    """(scheme://authority, path, query) of a template; the fragment is never sent."""
    url = url.split("#", 1)[0]
    scheme_end = url.find("://")
    if scheme_end < 0 or url[:scheme_end].lower() not in ("http", "https"):
        raise RequestRefused(ErrorCategory.UNKNOWN, "The tool's URL is not an http(s) URL")
    rest_start = scheme_end + 3
    cut = min(
        (i for i in (url.find("/", rest_start), url.find("?", rest_start)) if i >= 0),
        default=len(url),
    )
    origin, rest = url[:cut], url[cut:]
    path, _, query = rest.partition("?")
    if _PLACEHOLDER.search(origin) or not origin[rest_start:]:
        raise RequestRefused(ErrorCategory.UNKNOWN, "The tool's URL host cannot hold placeholders")
    return origin, path or "/", query


def _fill_path(path: str, filler: _Filler) -> str:
    """Fill each segment; one that came from a placeholder may not collapse (`.`, `..`, empty)."""
    segments = []
    for segment in path.split("/"):
        filled = filler.fill(segment, encode=True, where="URL")
        if filled != segment and unquote(filled) in ("", ".", ".."):
            raise RequestRefused(
                ErrorCategory.INVALID_ARGUMENTS, "A path argument cannot be empty, '.' or '..'"
            )
        segments.append(filled)
    return "/".join(segments)


def _form_pairs(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        pairs.extend((key, _text(item)) for item in items)
    return pairs


def _headers(function: Function, filler: _Filler) -> dict[str, str]:
    assert function.http is not None
    headers: dict[str, str] = {}
    for name, template in function.http.headers.items():
        if not _HEADER_NAME.match(name):
            raise RequestRefused(ErrorCategory.UNKNOWN, f"Invalid header name {name!r}")
        value = filler.fill(template, encode=False, where=f"{name} header")
        if any(ch in value for ch in _FORBIDDEN_IN_HEADER):
            raise RequestRefused(
                ErrorCategory.INVALID_ARGUMENTS,
                f"The {name} header value may not contain line breaks or NUL characters",
            )
        headers[name] = value
    return headers


def build_request(
    function: Function,
    arguments: Mapping[str, Any],
    *,
    variables: Mapping[str, str],
    env: Mapping[str, str],
) -> PreparedRequest:
    """The request for one call; `RequestRefused` when it must not be sent at all."""
    spec = function.http
    if spec is None:
        raise RequestRefused(ErrorCategory.UNKNOWN, f"{function.name} is not an HTTP tool")
    filler = _Filler(function, arguments, variables, env)
    origin, path_template, query_template = _split_url(spec.url)
    path = _fill_path(path_template, filler)
    query = filler.fill(query_template, encode=True, where="URL")
    headers = _headers(function, filler)
    rest = {k: v for k, v in arguments.items() if k not in filler.used}

    body: bytes | None = None
    json_body: Any | None = None
    location = spec.argument_location
    if location == "query":
        extra = urlencode(_form_pairs(rest), quote_via=quote)
        query = "&".join(part for part in (query, extra) if part)
    elif location == "form":
        body = urlencode(_form_pairs(rest), quote_via=quote).encode("ascii")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif rest or spec.method in ("POST", "PUT", "PATCH"):
        json_body = dict(rest)
        body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    url = origin + path + (f"?{query}" if query else "")
    return PreparedRequest(
        method=spec.method,
        url=url,
        headers=headers,
        body=body,
        json_body=json_body,
        secrets=tuple(dict.fromkeys(filler.secrets)),
    )
