"""What the caller will probably say next, from what the agent just asked.

After "What's your order number?" the next caller turn is digits, after "Would you like a
consultation, checkup or followup?" one of three words. The voice loop hears that turn better
knowing it: the recognizer is primed for that kind of answer and the agent's own words, and a
caller reading out digits may pause between groups without the turn ending
(`runtime.listening`). This module only says what is expected; it hears nothing.

The question counts until the caller's next turn (`Conversation.open_question`): only
questions code asks for a call's missing values are read (`TurnState.ask`), because only
those say in the schema what they ask for. A read-back waiting for a yes, or a question the
model wrote itself, expects nothing in particular.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from voicetools.dialogue.checks.grounding import identifier_kind
from voicetools.dialogue.conversation import Conversation
from voicetools.language import is_date_parameter, is_time_parameter
from voicetools.spec.model import Agent, Function

AnswerKind = Literal["digits", "phone", "code", "date", "time", "enum", "name", "free", "none"]

MAX_VOCABULARY = 24
"""Domain words kept: Whisper's prompt holds about 220 tokens, and a long list of words was
copied into the transcript in the measurement (docs/decisions.md)."""
_NUMBER_WORDS = re.compile(r"\b(numbers?|digits?|no)\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_HEARD_AS: dict[str, AnswerKind] = {
    "digits": "digits",
    "phone": "phone",
    "code": "code",
    "name": "name",
}
"""Identifier kinds (`identifier_kind`) that are answer kinds as they are."""


@dataclass(frozen=True)
class ExpectedAnswer:
    """The kind of answer the agent's last question asked for, and the words of its domain."""

    kind: AnswerKind
    """digits, phone, code (letters and digits), date, time, enum (one of `options`), name,
    free (any words), or none (the agent asked nothing code can read)."""
    names: tuple[str, ...] = ()
    """The parameters the question asked for; empty when kind is none."""
    label: str = ""
    """What is asked for, in words ("order number"), from the first parameter's name."""
    options: tuple[str, ...] = ()
    """enum: the values the caller chooses from, as said ("oil change")."""
    vocabulary: tuple[str, ...] = ()
    """The agent's words, each once: enum values, function names without their verb
    ("order status"), capitalised words of the agent's variables ("Springfield")."""

    @property
    def spoken_digits(self) -> bool:
        """Whether the caller will read out digits or a code, pausing between groups."""
        return self.kind in ("digits", "phone", "code")


def answer_kind(name: str, schema: Mapping[str, Any]) -> AnswerKind:
    """The kind of answer a parameter takes, from its schema (`identifier_kind` for ids)."""
    if isinstance(schema.get("enum"), list):
        return "enum"
    if is_date_parameter(name, schema):
        return "date"
    if is_time_parameter(name, schema):
        return "time"
    kind = identifier_kind(name, schema)
    if kind in _HEARD_AS:
        return _HEARD_AS[kind]
    if kind == "id":  # an id of no stated form: digits when its name or description says so
        said = f"{name.replace('_', ' ')} {schema.get('description', '')}".lower()
        return "digits" if _NUMBER_WORDS.search(said) else "code"
    return "free"  # email, counts, booleans, free text: nothing the loop hears differently


def label(name: str) -> str:
    """A parameter's name as said: `order_id` -> "order number", `plate` -> "plate"."""
    words = name.lower().replace("_id", "_number").split("_")
    return " ".join(w for w in words if w)


def _words(value: str) -> list[str]:
    return [w for w in re.split(r"[_\s]+", value.strip()) if w]


def domain_words(agent: Agent) -> tuple[str, ...]:
    """The agent's vocabulary: enum values first (what a caller must say exactly), then its
    function names without their verb ("order status"), then the capitalised words of its
    variables; each once, at most `MAX_VOCABULARY`."""
    found: list[str] = []
    for function in agent.functions:
        for schema in function.properties.values():
            options = schema.get("enum") if isinstance(schema, Mapping) else None
            found += [" ".join(_words(str(o))) for o in options or ()]
    for function in agent.functions:  # names are verb first: the rest is the domain's
        parts = _words(function.name)
        found.append(" ".join(parts[1:] if len(parts) > 1 else parts))
    for value in agent.variables.values():
        found += _CAPITALISED.findall(str(value))
    seen: dict[str, None] = {}
    for word in found:
        if word and word.lower() not in {w.lower() for w in seen}:
            seen[word] = None
    return tuple(seen)[:MAX_VOCABULARY]


def expected_for(
    function: Function, names: tuple[str, ...], vocabulary: tuple[str, ...]
) -> ExpectedAnswer:
    """The answer a question for `names` of `function` expects (the first name decides)."""
    if not names:
        return ExpectedAnswer("none", vocabulary=vocabulary)
    first = names[0]
    schema = function.properties.get(first, {})
    schema = schema if isinstance(schema, Mapping) else {}
    kind = answer_kind(first, schema)
    options = (
        tuple(" ".join(_words(str(o))) for o in schema.get("enum", ())) if kind == "enum" else ()
    )
    return ExpectedAnswer(kind, names, label(first), options, vocabulary)


def expected_answer(
    agent: Agent, conversation: Conversation, vocabulary: tuple[str, ...] | None = None
) -> ExpectedAnswer:
    """What the caller's next turn is expected to be, from the question still open."""
    words = domain_words(agent) if vocabulary is None else vocabulary
    asked = conversation.open_question
    if conversation.pending is not None or asked is None:
        return ExpectedAnswer("none", vocabulary=words)
    function = agent.function(asked.function)
    if function is None:
        return ExpectedAnswer("none", vocabulary=words)
    return expected_for(function, asked.names, words)
