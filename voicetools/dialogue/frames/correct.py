"""Corrections of a frame: "I meant 9005", "make that Tuesday", "no, the other one".

A correction changes the frame's value; while a confirmation question is pending, the tool
runner's consent rule has already read the reply as a change (`tools.consent`) and withdrawn the
question, so the corrected call goes through the checks and the confirmation policy again and
the caller hears a new question with the new values: the old call is never run. The agent says
nothing of its own about the correction, so it cannot echo the caller's words.

A name or a code is changed by a near word ("Sorry, I meant mlopez7." for mlopez), which code
cannot read from the line as it reads a date or a number.

"The other one" picks the one other value the conversation offers for a parameter: the other
value of a two-value enum, or the other number (or time, or date) the caller said or heard for
it. With several, the agent asks which one; with none, the model decides as for any change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind
from voicetools.dialogue.checks.repair import digit_runs, fits
from voicetools.dialogue.events import Say
from voicetools.dialogue.frames.extract import typed, values_said
from voicetools.dialogue.frames.frame import Filled, Frame
from voicetools.dialogue.frames.steps import complete_call, from_caller
from voicetools.dialogue.turn_state import TurnState
from voicetools.language import is_date_parameter, is_time_parameter, replaced_words
from voicetools.tools import PendingConfirmation, ToolCall

WHICH_ONE = "Sorry, which one do you mean?"
_OTHER_ONE = re.compile(
    r"\b(the )?other (one|day|time|date)\b|\bnot (that|this) one\b|\ba different one\b",
    re.IGNORECASE,
)
_SHAPES = {"time": re.compile(r"^\d{2}:\d{2}$"), "date": re.compile(r"^\d{4}-\d{2}-\d{2}$")}


def corrected(turn: TurnState, pending: PendingConfirmation, text: str) -> ToolCall | Say | None:
    """The corrected call (to be asked about again) or a question, when the caller's change to
    the pending call corrects its frame; None when it asks for something else (the model)."""
    conversation = turn.conversation
    function = turn.parts.agent.function(pending.function)
    if function is None:
        return None
    frame = conversation.frame
    if frame is None or frame.name != function.name:
        conversation.open_frame(function, from_caller(turn, pending.arguments))
    frame = conversation.frame
    said = renamed(frame, text) if frame is not None else {}
    said |= values_said(function, text, turn.parts.today)
    changed = conversation.fill_frame(from_caller(turn, said))
    frame = conversation.frame
    if not changed and frame is not None and _OTHER_ONE.search(text):
        other = other_one(frame, turn.texts(), turn.caller_turn)
        if other is None:  # several others: asked, not guessed
            return turn.say(WHICH_ONE)
        changed = conversation.fill_frame(other)
    return complete_call(turn, text) if changed else None


def renamed(frame: Frame, text: str) -> dict[str, Any]:
    """The names and codes the caller changes by a near word ("Sorry, I meant mlopez7." for
    mlopez, "the name is Nowak" for Novak): values code does not read (`extract.typed`) with
    the words `language.replaced_words` finds replaced."""
    out: dict[str, Any] = {}
    for name, filled in frame.values.items():
        if typed(frame.function, name) or not isinstance(filled.value, str):
            continue
        value = filled.value
        for old, new in replaced_words(value, text).items():
            value = re.sub(rf"\b{re.escape(old)}\b", new, value)
        if value != filled.value:
            out[name] = value
    return out


def other_one(frame: Frame, texts: Sequence[str], turn: int) -> dict[str, Filled] | None:
    """What "the other one" means: the one other value in `texts` (caller turns and results
    heard) of the single parameter that has one; {} when no parameter has another value, None
    when several could be meant."""
    found: dict[str, Filled] = {}
    for name, filled in frame.values.items():
        schema = frame.function.properties.get(name, {})
        schema = schema if isinstance(schema, Mapping) else {}
        others = [v for v in dict.fromkeys(_candidates(name, schema, texts)) if v != filled.value]
        if len(others) > 1:
            return None
        if others:
            found[name] = Filled(others[0], "caller", turn)
    return found if len(found) <= 1 else None


def _candidates(name: str, schema: Mapping[str, Any], texts: Sequence[str]) -> Iterator[Any]:
    options = schema.get("enum")
    if isinstance(options, list):
        yield from (options if len(options) == 2 else ())
        return
    shape = "date" if is_date_parameter(name, schema) else None
    shape = "time" if is_time_parameter(name, schema) else shape
    digits = identifier_kind(name, schema) == "digits"
    for text in texts:
        for value in _scalars(text):
            if shape is not None and _SHAPES[shape].match(value):
                yield value
            elif digits and value.isdigit() and fits(schema, value):
                yield int(value) if schema.get("type") == "integer" else value
        if digits and not text.lstrip().startswith(("{", "[")):
            for run in digit_runs(text):
                if len(run) > 1 and fits(schema, run):
                    yield int(run) if schema.get("type") == "integer" else run


def _scalars(text: str) -> Iterator[str]:
    """Every scalar value in a JSON result, as text; nothing for a caller's line."""
    try:
        value = json.loads(text)
    except ValueError:
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str | int) and not isinstance(item, bool):
            yield str(item)
