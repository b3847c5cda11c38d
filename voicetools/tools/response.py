"""What the model is given from an HTTP response body: parsed, extracted, capped. Pure.

The body arrives already cut at a read limit (a few times the cap), so a 50 MB response never
sits in memory; this module decides what to make of those bytes:

* JSON (by content type, or a body that starts like JSON) is parsed, `extract` is applied, and
  the value is kept whole when its compact form fits `max_bytes`. Otherwise the model gets
  `{"truncated": true, "total_bytes": ..., "partial": "<the first max_bytes of the JSON text>"}`.
* Anything else is text (decoded with the response charset, bad bytes replaced), cut to
  `max_bytes` with a trailing `…[truncated N bytes]` marker.
* Secrets and card numbers are masked (`redactor`) *before* anything is cut, so a cap cannot
  leave the first half of one behind; a body that was itself cut at the read limit has its
  tail masked too when it could be the start of one.
* A body labelled JSON that does not parse is not an error: the call succeeded, and the model
  can often read the text. It is returned as text and `notes` says so (for the logs). With
  `extract`, though, nothing can be extracted, so that is an `ExtractError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from voicetools.tools.extract import ExtractError, extract
from voicetools.tools.redact import NO_SECRETS, Redactor


@dataclass(frozen=True)
class Body:
    """The bytes read from one response and what is known about the rest."""

    data: bytes
    complete: bool
    """False when reading stopped at the limit (more was on the wire)."""
    total_bytes: int | None
    """Content-Length, or len(data) when complete; None when unknown."""
    content_type: str = ""
    charset: str = "utf-8"


def _is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _cut(text: str, max_bytes: int) -> str:
    """At most `max_bytes` of UTF-8, never splitting a character."""
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def _size_note(body: Body, shown: int) -> str:
    if body.total_bytes is not None:
        return f"{max(body.total_bytes - shown, 0)} bytes"
    return "more bytes"


def _truncated_text(text: str, body: Body, max_bytes: int) -> str:
    raw = text.encode("utf-8")
    if body.complete and len(raw) <= max_bytes:
        return text
    kept = _cut(text, max_bytes)
    return f"{kept}…[truncated {_size_note(body, len(kept.encode('utf-8')))}]"


def shape(
    body: Body, max_bytes: int, path: str | None = None, redactor: Redactor = NO_SECRETS
) -> tuple[Any, list[str]]:
    """(payload for the model, notes for the logs), redacted; `ExtractError` when `path` finds
    nothing."""
    notes: list[str] = []
    try:
        text = body.data.decode(body.charset or "utf-8", "replace")
    except LookupError:
        text = body.data.decode("utf-8", "replace")
    json_type = _is_json_type(body.content_type)
    if body.complete and (json_type or _looks_like_json(text)):
        try:
            value = json.loads(text)
        except ValueError:
            if json_type:
                notes.append("the response was labelled JSON but did not parse")
        else:
            if path:
                value = extract(value, path)
            # The parsed value, not the text: a card as a bare number would break the JSON.
            value = redactor.value(value)
            compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            if len(compact.encode("utf-8")) <= max_bytes:
                return value, notes
            notes.append("the JSON response was larger than max_response_bytes")
            kept = _cut(compact, max_bytes)
            return {
                "truncated": True,
                "total_bytes": len(compact.encode("utf-8")),
                "partial": kept,
            }, notes
    if path:
        raise ExtractError(f"Cannot extract {path!r}: the response is not complete JSON")
    text = redactor.text(text) if body.complete else redactor.cut_tail(text)
    if not body.complete and (json_type or _looks_like_json(text)):
        kept = _cut(text, max_bytes)
        return {"truncated": True, "total_bytes": body.total_bytes, "partial": kept}, notes
    if not text.strip() and body.complete:
        return {"ok": True}, notes
    return _truncated_text(text, body, max_bytes), notes
