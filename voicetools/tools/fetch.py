"""One HTTP exchange, pinned to a checked address, and the vocabulary for judging its outcome.

`send_pinned` is where the network guard meets httpx: the host is resolved and checked by
`guard.check_host`, and the request goes to that *address* with the original `Host` header
and TLS server name (SNI, also used for certificate verification), so nothing resolves the
name a second time. The body is read in chunks and abandoned at a byte limit, decompressing
gzip/deflate ourselves with a bounded output, so neither a 50 MB body nor a zip bomb is ever
held in memory.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import httpx

from voicetools.tools import guard
from voicetools.tools.base import ErrorCategory
from voicetools.tools.response import Body

REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsupportedEncoding(Exception):
    """The server used a Content-Encoding we did not ask for and cannot decode safely."""


@dataclass(frozen=True)
class Exchange:
    """One response: status, headers and a capped body (None for redirects)."""

    status: int
    headers: httpx.Headers
    body: Body | None


def origin(url: httpx.URL) -> tuple[str, str, int]:
    """(scheme, host, port) with the default port filled in: what "the same host" means."""
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme, 0)


def status_category(status: int) -> ErrorCategory | None:
    """None for 2xx; otherwise which kind of failure the status code is."""
    if 200 <= status < 300:
        return None
    if status in (404, 410):
        return ErrorCategory.NOT_FOUND
    if status in (401, 403):
        return ErrorCategory.PERMISSION
    if status in (408, 425, 429) or status >= 500:
        return ErrorCategory.TEMPORARY
    return ErrorCategory.UNKNOWN


def exception_category(exc: Exception) -> tuple[ErrorCategory, str]:
    """(category, a sentence safe to show) for an httpx failure; never the exception text,
    which may hold the URL and so a secret."""
    if isinstance(exc, httpx.TimeoutException):
        return ErrorCategory.TEMPORARY, "Endpoint did not answer in time"
    if isinstance(exc, httpx.ConnectError):
        return ErrorCategory.TEMPORARY, "Could not connect to the endpoint"
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return ErrorCategory.TEMPORARY, "The connection to the endpoint broke"
    if isinstance(exc, UnsupportedEncoding):
        return ErrorCategory.UNKNOWN, "Endpoint used an unsupported content encoding"
    return ErrorCategory.UNKNOWN, "The request to the endpoint failed"


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from a `Retry-After: <seconds>` header; the HTTP-date form is ignored."""
    value = headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


async def read_capped(response: httpx.Response, limit: int) -> Body:
    """At most `limit` bytes of the (decoded) body; stops reading beyond it."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    decoder: Any = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(wbits=47)  # 47: accept a gzip or zlib header
    elif encoding not in ("", "identity"):
        raise UnsupportedEncoding(encoding)
    data = bytearray()
    complete = True
    async for raw in response.aiter_raw():
        data += decoder.decompress(raw, limit + 1 - len(data)) if decoder else raw
        if len(data) > limit:
            complete = False
            break
    length = response.headers.get("content-length", "")
    total = len(data) if complete else (int(length) if length.isdigit() and not decoder else None)
    content_type = response.headers.get("content-type", "")
    return Body(
        bytes(data[:limit]), complete, total, content_type, response.charset_encoding or "utf-8"
    )


async def send_pinned(
    client: httpx.AsyncClient,
    method: str,
    url: httpx.URL,
    headers: dict[str, str],
    body: bytes | None,
    *,
    allow_private: bool,
    remaining_s: float,
    read_limit: int,
) -> Exchange:
    """Check `url`'s host with the guard, then send to the checked address."""
    address = await guard.check_host(url.host, origin(url)[2], allow_private=allow_private)
    wire_headers = {**headers, "Host": url.netloc.decode("ascii")}
    extensions: dict[str, Any] = {}
    if url.scheme == "https" and guard.parse_literal(url.host) is None:
        extensions["sni_hostname"] = url.host
    request = client.build_request(
        method,
        url.copy_with(host=str(address)),
        headers=wire_headers,
        content=body,
        timeout=httpx.Timeout(max(remaining_s, 0.001)),
        extensions=extensions,
    )
    response = await client.send(request, stream=True)
    try:
        if response.status_code in REDIRECTS and "location" in response.headers:
            return Exchange(response.status_code, response.headers, None)
        return Exchange(
            response.status_code, response.headers, await read_capped(response, read_limit)
        )
    finally:
        await response.aclose()
