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
  `extract`, though, nothing can be extracted, so that is an `ExtractError`. `NaN`/`Infinity`
  (not JSON, though Python's parser takes them) and nesting deeper than `MAX_DEPTH` count as
  "does not parse": every later step (redaction, the transcript, the model's prompt) walks the
  value recursively and must never meet a value it cannot encode or a recursion limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from voicetools.tools.extract import ExtractError, extract
from voicetools.tools.redact import NO_SECRETS, Redactor

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects a JSON value may have to be given as a value."""


class NotJson(ValueError):
    """The text is not strict JSON a model can be given as a value (see `parse_json`)."""


def _refuse_constant(name: str) -> Any:
    raise NotJson(f"{name} is not JSON")


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (0 for a scalar), without recursing."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(text: str) -> Any:
    """Strict JSON (no NaN/Infinity) nested at most `MAX_DEPTH` deep, else `NotJson`."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise NotJson("nested too deeply to parse") from None
    if depth(value) > MAX_DEPTH:
        raise NotJson(f"nested deeper than {MAX_DEPTH} levels")
    return value


def cap_json(value: Any, max_bytes: int) -> tuple[Any, bool]:
    """(`value`, False) when its compact JSON fits `max_bytes`, else (the truncation marker, True).

    The marker is `{"truncated": true, "total_bytes": n, "partial": "<the first max_bytes>"}`.
    """
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    size = len(compact.encode("utf-8"))
    if size <= max_bytes:
        return value, False
    return {"truncated": True, "total_bytes": size, "partial": cut(compact, max_bytes)}, True


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


def cut(text: str, max_bytes: int) -> str:
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
    kept = cut(text, max_bytes)
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
            value = parse_json(text)
        except NotJson as exc:
            notes.append(f"the response is not strict JSON ({exc}); passed as text")
        except ValueError:
            if json_type:
                notes.append("the response was labelled JSON but did not parse")
        else:
            if path:
                value = extract(value, path)
            # The parsed value, not the text: a card as a bare number would break the JSON.
            capped, truncated = cap_json(redactor.value(value), max_bytes)
            if truncated:
                notes.append("the JSON response was larger than max_response_bytes")
            return capped, notes
    if path:
        raise ExtractError(f"Cannot extract {path!r}: the response is not complete JSON")
    text = redactor.text(text) if body.complete else redactor.cut_tail(text)
    if not body.complete and (json_type or _looks_like_json(text)):
        kept = cut(text, max_bytes)
        return {"truncated": True, "total_bytes": body.total_bytes, "partial": kept}, notes
    if not text.strip() and body.complete:
        return {"ok": True}, notes
    return _truncated_text(text, body, max_bytes), notes
