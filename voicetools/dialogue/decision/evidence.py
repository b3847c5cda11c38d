"""Drop free values (dates, times, free text) that nothing in the conversation supports.

Why: the routing step sends "I want a checkup" to check_availability (code asks for what is
missing, so routing there is right), but the arguments grammar must then produce every
required argument, and the model fills the gap with an invented date or city. Identifiers are
already refused by the engine (`grounding.ungrounded`); this covers the other values a grammar
forces (and the optional ones the model adds unasked): a date or time counts as said when some
caller turn names a date (time) or the value appears in the conversation (an earlier call or
result); a free-text string when one of its significant words appears in the conversation.
Enums are left alone ("what's finished" means status=done without saying "done"), and so is a
built-in's text (send_sms's message is the agent's own words, checked for echoes instead). A value
dropped here is then missing, so the engine asks for it (`grounding.missing_required`,
`question_for`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind, is_default, tokens
from voicetools.dialogue.decision.prompt import Message
from voicetools.language import (
    is_date_parameter,
    is_time_parameter,
    names_a_date,
    resolve_time,
)
from voicetools.spec.model import Function

_STOPWORDS = {"the", "and", "for", "with", "about", "from", "that", "this", "you", "your", "my",
              "please", "want", "need", "like", "can", "could", "would"}  # fmt: skip


def _free_text(name: str, schema: Mapping[str, Any]) -> bool:
    if schema.get("type") not in (None, "string"):
        return False
    if {"enum", "const", "pattern", "format"} & set(schema):
        return False
    return identifier_kind(name, schema) is None


def _significant(text: str) -> set[str]:
    return {w for w in tokens(text) if len(w) > 2 and w not in _STOPWORDS}


def unsupported(function: Function, arguments: Mapping[str, Any],
                history: Sequence[Message]) -> list[str]:  # fmt: skip
    """Names of date, time and free-text arguments the conversation does not support."""
    caller = [m.content for m in history if m.role == "user"]
    everything = " ".join(m.content for m in history)
    words = _significant(everything)
    out = []
    for name, value in arguments.items():
        schema = function.properties.get(name)
        if not isinstance(schema, Mapping) or not isinstance(value, str):
            continue
        if is_default(schema, value):
            continue  # the function's own value
        if is_date_parameter(name, schema):
            said = any(names_a_date(text) for text in caller)
            if not said and value not in everything:
                out.append(name)
        elif is_time_parameter(name, schema):
            said = any(resolve_time(text) is not None for text in caller)
            if not said and value not in everything:
                out.append(name)
        elif (
            function.builtin is None
            and _free_text(name, schema)
            and not (_significant(value) & words)
        ):
            out.append(name)
    return out


def without_unsupported(function: Function, arguments: Mapping[str, Any],
                        history: Sequence[Message]) -> dict[str, Any]:  # fmt: skip
    """`arguments` without the values `unsupported` names."""
    dropped = set(unsupported(function, arguments, history))
    return {k: v for k, v in arguments.items() if k not in dropped}
