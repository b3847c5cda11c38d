"""Which of the model's argument values a frame takes.

A value the model wrote is taken when it passes the checks `check_call` makes of a whole call,
one value at a time (dates resolved, spoken digits and enums repaired, identifiers grounded);
a known value is replaced only by one the caller said in this very line; an enum value no
caller turn names is a guess (`guessed_enums`), which the frame asks about when it asks anyway.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from voicetools.dialogue.checks.free_text import (
    SaidWords,
    free_text_grounded,
    is_free_text,
    own_vocabulary,
)
from voicetools.dialogue.checks.grounding import missing_required, tokens, ungrounded
from voicetools.dialogue.checks.parroting import parrots
from voicetools.dialogue.checks.repair import repaired
from voicetools.dialogue.checks.side_effects import is_lookup
from voicetools.dialogue.decision.prompt import parse_call
from voicetools.dialogue.frames.extract import enum_named, typed
from voicetools.dialogue.frames.frame import Filled, Frame
from voicetools.dialogue.frames.sources import source_of
from voicetools.dialogue.turn_state import TurnState
from voicetools.language import content_words, normalise_arguments
from voicetools.spec.model import Function


def _schema(function: Function, name: str) -> Mapping[str, Any]:
    schema = function.properties.get(name, {})
    return schema if isinstance(schema, Mapping) else {}


def accepted(
    turn: TurnState, function: Function, arguments: Mapping[str, Any], text: str
) -> dict[str, Filled]:
    """The model's values that pass the checks of `check_call` one by one: dates resolved,
    digits and enums repaired, identifiers and free text grounded; the rest are left out
    (asked for)."""
    conversation, parts = turn.conversation, turn.parts
    turns, variables, heard = conversation.caller_turns, parts.agent.variables, conversation.heard
    at = turn.caller_turn
    resolved = normalise_arguments(function, arguments, text, parts.today)
    sources = [*turns, *variables.values(), *heard]
    resolved = repaired(function, resolved, utterance=text, caller_turns=turns, sources=sources)
    refused = set(missing_required(function, resolved))
    refused |= set(ungrounded(function, resolved, turns, variables, extra_sources=heard))
    kept, unsaid = free_text_grounded(function, resolved, sources)
    refused |= set(unsaid) | (set(resolved) - set(kept))
    refused |= _parroted(function, resolved, [parts.agent.greeting or "", text])
    refused |= _unsaid_text(turn, function, resolved, sources)
    return {
        name: Filled(value, source_of(name, _schema(function, name), value, variables, turns), at)
        for name, value in resolved.items()
        if name not in refused and value is not None and value != ""
    }


def _parroted(function: Function, arguments: Mapping[str, Any], sources: list[str]) -> set[str]:
    """A built-in's text that only repeats the greeting or the caller's line: a text message
    "Harbor Dental, how can I help?" is the model echoing the call, not something to send."""
    if function.builtin is None:
        return set()
    return {
        name
        for name, value in arguments.items()
        if isinstance(value, str) and parrots(value, [s for s in sources if s])
    }


def _unsaid_text(
    turn: TurnState, function: Function, arguments: Mapping[str, Any], sources: list[str]
) -> set[str]:
    """A built-in's text nothing in the call says: a text message holds what the caller, the
    agent (not its greeting), a variable or a result said ("12 Harbor Street", "your checkup on
    December 1st at 9"), never the model's invention."""
    if function.builtin is None:
        return set()
    replies = [
        m.content
        for m in turn.conversation.history
        if m.role == "assistant"
        and m.content != turn.parts.agent.greeting
        and parse_call(m.content) is None
    ]
    said = SaidWords([*sources, *replies])
    return {
        name
        for name, value in arguments.items()
        if isinstance(value, str)
        and "enum" not in _schema(function, name)
        and "pattern" not in _schema(function, name)
        and not said.ground(value)
    }


def guessed_enums(turn: TurnState, function: Function, accepted: Mapping[str, Filled]) -> set[str]:
    """Enum values no caller turn names (the model's guess), except the schema's default."""
    said = " ".join(turn.conversation.caller_turns)
    guessed = set()
    for name, filled in accepted.items():
        schema = _schema(function, name)
        options = schema.get("enum")
        if filled.source != "caller" or filled.value == schema.get("default", filled):
            continue  # a variable's or a result's value, or the author's default
        if isinstance(options, list) and not enum_named(options, said):
            guessed.add(name)
    return guessed


_LEAD = re.compile(
    r"^(\W*\b(um+|uh+|er+|well|so|oh|yes|yeah|yep|ok(ay)?|sure|it'?s|it is|that'?s|that is|"
    r"this is|(the|my) \w+( \w+)? is|in|at|for|about)\b)+[\s,.]*",
    re.IGNORECASE,
)
_TAIL = re.compile(r"[\s,]*\b(please|thanks|thank you)\b\W*$|\W+$", re.IGNORECASE)
_OWN_WORDS_MIN = {True: 1, False: 2}
"""Content words a line needs to be taken as a value: a lookup's one ("Lisbon"), else two, so
a garbled "Everything and" never becomes a ticket."""


def own_words(
    turn: TurnState, function: Function, taken: Mapping[str, Filled], text: str
) -> dict[str, Filled]:
    """The caller's own words as the one free-text value the frame asked for, when the model
    left it out or wrote one the checks refused ("My laptop won't connect to the wifi" is the
    summary; "In Lisbon" is the city); in the line that opens the frame, the one clause that
    describes something (`_describing_clause`)."""
    frame = turn.conversation.frame
    if frame is None or "?" in text:
        return {}
    if not frame.asked:
        return _describing_clause(turn, function, taken, text)
    wanted = [
        n
        for n in frame.asked
        if n in frame.missing()
        and n not in taken
        and is_free_text(function, n, _schema(function, n))
    ]
    words = _TAIL.sub("", _LEAD.sub("", text.strip())).strip()
    if len(wanted) != 1 or len(content_words(words)) < _OWN_WORDS_MIN[is_lookup(function)]:
        return {}
    return {wanted[0]: Filled(words, "caller", turn.caller_turn)}


def _describing_clause(
    turn: TurnState, function: Function, taken: Mapping[str, Filled], text: str
) -> dict[str, Filled]:
    """The one required free-text value still missing, from the opening line's one clause of
    two or more content words that are neither the function's own (`own_vocabulary`) nor a
    value already taken: in "Open a ticket for order 4521, the lid was broken." the first
    clause is the request, the second the issue."""
    missing = [
        n
        for n in function.required
        if n not in taken and is_free_text(function, n, _schema(function, n))
    ]
    if len(missing) != 1:
        return {}
    known = own_vocabulary(function) | {
        w for filled in taken.values() for w in content_words(str(filled.value))
    }
    describing = []
    for clause in re.split(r"[,.;!]", text):
        words = _TAIL.sub("", _LEAD.sub("", clause.strip())).strip()
        content = content_words(words)
        if len(content) >= _OWN_WORDS_MIN[False] and not known & set(content):
            describing.append(words)
    if len(describing) != 1:
        return {}
    return {missing[0]: Filled(describing[0], "caller", turn.caller_turn)}


def said_now(frame: Frame, name: str, value: Any, text: str) -> bool:
    """Whether the model's new value for a known parameter is one the caller said in this
    line: only then does it replace the known one (typed values are read by code instead)."""
    if typed(frame.function, name):
        return False
    words = set(tokens(text))
    own = tokens(str(value))
    return bool(own) and all(word in words for word in own)
