"""Arguments written without a grammar, kept only when the grammar would have allowed them.

Under a GBNF grammar llama.cpp checks the vocabulary at every step, which makes each token
slower (docs/decisions.md). The small model mostly writes valid arguments anyway, so they are
first written freely and read only up to the first complete JSON object (the model is stopped
there). The object is used only if

- it validates against the function's JSON Schema, and
- its text, as written or as `json.dumps` writes it, is accepted by the arguments grammar
  (`voicetools.dialogue.grammar.match`), so everything the grammar enforces beyond the schema
  (string length caps, formats, patterns, no unknown keys) still holds.

Anything else (not an object, invalid, too long) returns None and the caller generates under
the grammar as before, so a free attempt can cost time but never accuracy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing.exceptions import Unresolvable

from voicetools.backends.base import LLM
from voicetools.dialogue.decision.generation import GenerationOptions, stream_pieces
from voicetools.dialogue.grammar.match import to_regex

_DECODER = json.JSONDecoder()


class FreeArguments:
    """The acceptance check for one function's arguments, compiled once."""

    def __init__(
        self, parameters: Mapping[str, Any], grammar: str, *, jump_forward: bool = True
    ) -> None:
        self.validator = Draft202012Validator(dict(parameters))
        self.pattern: re.Pattern[str] = to_regex(grammar)
        self.start = forced_start(parameters) if jump_forward else ""
        """Text the grammar forces first, put in the prompt instead of generated."""
        self.longest = longest_match(self.pattern)
        """No text longer than this is accepted, so the model is stopped there (it can loop
        inside a string: `"7000000...` for "order seven oh oh three")."""

    def accepts(self, value: Any, text: str) -> bool:
        """Whether `value` (decoded from `text`) is arguments the grammar path could return."""
        if not isinstance(value, dict):
            return False
        try:
            if not self.validator.is_valid(value):
                return False
        except (SchemaError, Unresolvable):  # a schema it cannot follow: the grammar decides
            return False
        if self.pattern.fullmatch(text):
            return True
        # Same value, the grammar's spacing (`": "`, `", "`); key order stays the model's.
        canonical = json.dumps(value, ensure_ascii=False)
        return self.pattern.fullmatch(canonical) is not None

    async def write(
        self, llm: LLM, prompt: str, max_tokens: int, options: GenerationOptions
    ) -> dict[str, Any] | None:
        """Arguments generated after `prompt` without a grammar, or None when not acceptable."""
        found = await first_object(llm, prompt, max_tokens, options, self.start, self.longest)
        if found is None or not self.accepts(*found):
            return None
        value: dict[str, Any] = found[0]
        return value


def forced_start(parameters: Mapping[str, Any]) -> str:
    """`{"key":` when the arguments grammar must begin so (`SchemaConverter.object`: a plain
    object schema whose first declared property is required), else "". It ends where the
    model's own tokens would: before the space for a string (Qwen writes ` "` as one token),
    after it for a number (else the model quotes it: `"3"` for an integer). A lone `{` is not
    worth it: the 0.5B model then closes the object at once (list_tasks lost its filters)."""
    if any(k in parameters for k in ("const", "enum", "anyOf", "oneOf")):
        return ""
    props, required = parameters.get("properties"), parameters.get("required")
    if parameters.get("type", "object") != "object" or not isinstance(props, Mapping) or not props:
        return ""
    first = next(iter(props))
    if not (isinstance(required, list) and first in required):
        return ""
    value = props[first]
    bare = isinstance(value, Mapping) and value.get("type") in ("integer", "number", "boolean")
    return "{" + json.dumps(first) + (": " if bare else ":")


def longest_match(pattern: re.Pattern[str]) -> int | None:
    """The length of the longest text `pattern` matches, None when unbounded or unknown."""
    parser = getattr(re, "_parser", None)  # private (3.11+): re's own width of a pattern
    if parser is None:
        return None
    longest = int(parser.parse(pattern.pattern, pattern.flags).getwidth()[1])
    return longest if longest < 10_000 else None


async def first_object(
    llm: LLM,
    prompt: str,
    max_tokens: int,
    options: GenerationOptions,
    start: str = "",
    longest: int | None = None,
) -> tuple[Any, str] | None:
    """The first JSON value the model writes after `prompt` + `start` (counted as written) and
    its text, or None when the text does not open with `{`, grows past `longest` characters
    or ends before one object is complete. Stops the model at once."""
    text = start
    pieces = stream_pieces(llm, prompt + start, None, max_tokens, options)
    try:
        async for piece in pieces:
            text += piece
            body = text.lstrip()
            if body and body[0] != "{":
                return None
            if "}" in piece:  # an object can only be complete at a closing brace
                try:
                    value, end = _DECODER.raw_decode(body)
                except json.JSONDecodeError:
                    pass
                else:
                    return value, body[:end]
            if longest is not None and len(body) > longest:
                return None
    finally:
        close = getattr(pieces, "aclose", None)  # an async generator: stop the model now
        if close is not None:
            await close()
    return None
