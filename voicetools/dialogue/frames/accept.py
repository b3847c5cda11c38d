"""Which of the model's argument values a frame takes.

A value the model wrote is taken when it passes the checks `check_call` makes of a whole call,
one value at a time (dates resolved, spoken digits and enums repaired, identifiers grounded);
a known value is replaced only by one the caller said in this very line; an enum value no
caller turn names is a guess (`guessed_enums`), which the frame asks about when it asks anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicetools.dialogue.checks.grounding import missing_required, tokens, ungrounded
from voicetools.dialogue.checks.repair import repaired
from voicetools.dialogue.frames.extract import enum_named, typed
from voicetools.dialogue.frames.frame import Filled, Frame
from voicetools.dialogue.frames.sources import source_of
from voicetools.dialogue.turn_state import TurnState
from voicetools.language import normalise_arguments
from voicetools.spec.model import Function


def _schema(function: Function, name: str) -> Mapping[str, Any]:
    schema = function.properties.get(name, {})
    return schema if isinstance(schema, Mapping) else {}


def accepted(
    turn: TurnState, function: Function, arguments: Mapping[str, Any], text: str
) -> dict[str, Filled]:
    """The model's values that pass the checks of `check_call` one by one: dates resolved,
    digits and enums repaired, identifiers grounded; the rest are left out (asked for)."""
    conversation, parts = turn.conversation, turn.parts
    turns, variables, heard = conversation.caller_turns, parts.agent.variables, conversation.heard
    at = turn.caller_turn
    resolved = normalise_arguments(function, arguments, text, parts.today)
    sources = [*turns, *variables.values(), *heard]
    resolved = repaired(function, resolved, utterance=text, caller_turns=turns, sources=sources)
    refused = set(missing_required(function, resolved))
    refused |= set(ungrounded(function, resolved, turns, variables, extra_sources=heard))
    return {
        name: Filled(value, source_of(name, _schema(function, name), value, variables, turns), at)
        for name, value in resolved.items()
        if name not in refused and value is not None and value != ""
    }


def guessed_enums(turn: TurnState, function: Function, accepted: Mapping[str, Filled]) -> set[str]:
    """Enum values no caller turn names (the model's guess, or its reading of "tomorrow")."""
    said = " ".join(turn.conversation.caller_turns)
    guessed = set()
    for name in accepted:
        options = _schema(function, name).get("enum")
        if isinstance(options, list) and not enum_named(options, said):
            guessed.add(name)
    return guessed


def said_now(frame: Frame, name: str, value: Any, text: str) -> bool:
    """Whether the model's new value for a known parameter is one the caller said in this
    line: only then does it replace the known one (typed values are read by code instead)."""
    if typed(frame.function, name):
        return False
    words = set(tokens(text))
    own = tokens(str(value))
    return bool(own) and all(word in words for word in own)
