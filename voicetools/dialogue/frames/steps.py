"""The frame step of a turn: fill the chosen function's frame, then ask, or run the call.

- After the model calls a function (`frame_call`): a frame for it is opened (values of the one
  it replaces that fit are carried over), the model's values that pass the checks are added (a
  value already known is replaced only by one the caller said in this line), then the typed
  values code reads from the line, then variables and results (`sources`).
- Before the model, while a frame is open (`before_model`): goodbye, "never mind" and "no,
  don't" drop it; a line that names another function ("cancel" while booking) goes to the
  model, which routes; otherwise the typed values of the line fill the frame; when that
  completes it, the call runs without the model, else the next value is asked for. A line
  that added nothing, answering the agent's question for a value only the model can read (a
  name), or that says more than its typed values while such a value is missing ("In Oslo,
  celsius."), has the model write the frame's arguments without routing (`WriteArguments`);
  a question from the caller goes to the model as usual.
- Complete (`complete_call`): the whole call goes through `checks.check_call` and then the tool
  runner's confirmation policy like any other; a value the checks refuse is asked for again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from voicetools.dialogue.checks.call import check_call, sounds_like_goodbye
from voicetools.dialogue.checks.digit_values import DIGIT_BY_DIGIT, unclear_numbers
from voicetools.dialogue.checks.free_text import own_vocabulary
from voicetools.dialogue.checks.grounding import tokens
from voicetools.dialogue.checks.preview import doomed
from voicetools.dialogue.checks.side_effects import SAY_AGAIN, blocks, is_lookup
from voicetools.dialogue.events import Say
from voicetools.dialogue.frames.accept import accepted, guessed_enums, own_words, said_now
from voicetools.dialogue.frames.extract import enum_named, typed, values_said
from voicetools.dialogue.frames.frame import Filled, Frame
from voicetools.dialogue.frames.question import next_question
from voicetools.dialogue.frames.sources import fits_schema, from_sources
from voicetools.dialogue.turn_state import TurnState
from voicetools.language import WHEN_WORDS, content_words, corrects_itself, refused_then
from voicetools.spec.model import Function
from voicetools.tools import ToolCall

NEVER_MIND = "Okay, never mind. Is there anything else I can help with?"
_NEVER_MIND = re.compile(
    r"\b(never ?mind|forget (it|that|about it|the \w+)|don'?t bother|i changed my mind|"
    r"not anymore|cancel (that|it))\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^\W*(?:(?:and|but|ok(?:ay)?|so)\W+)?(?:what|how) about\b|\binstead\b", re.IGNORECASE
)
_QUESTION = re.compile(
    r"^\W*(what|which|when|where|who|why|how|is|are|do|does|can|could|will|would)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WriteArguments:
    """Code chose the frame's function (the caller answers its question for a value only the
    model can read): the decider writes its arguments without routing."""

    name: str


def _schema(function: Function, name: str) -> Mapping[str, Any]:
    schema = function.properties.get(name, {})
    return schema if isinstance(schema, Mapping) else {}


def from_caller(turn: TurnState, values: Mapping[str, Any]) -> dict[str, Filled]:
    return {name: Filled(value, "caller", turn.caller_turn) for name, value in values.items()}


def before_model(turn: TurnState, text: str) -> ToolCall | Say | WriteArguments | None:
    """What the open frame makes of the caller's line before the model is asked (module doc)."""
    conversation = turn.conversation
    frame = conversation.frame
    if frame is None:
        return redo_lookup(turn, text)
    if sounds_like_goodbye(text):
        conversation.drop_frame()
        return None  # the model says goodbye (end_call)
    never_mind = _NEVER_MIND.search(text)
    refused = refused_then(text)
    if never_mind or refused is not None:
        conversation.drop_frame()
        rest = refused if refused is not None else text[never_mind.end() :] if never_mind else ""
        # "forget the ticket, just check order 8812", "no, don't reset it, put me through":
        # the new request is for the model
        return None if len(content_words(rest)) >= 2 else turn.say(NEVER_MIND)
    if _names_another_function(turn, frame, text):
        return None  # "cancel" while booking: routing decides; the frame goes if it changes
    said = values_said(frame.function, text, turn.parts.today)
    changed = conversation.fill_frame(from_caller(turn, said))
    frame = conversation.frame
    if frame is None or "?" in text or _QUESTION.match(text):
        return None  # the caller's question is for the model; the frame is kept
    if changed and frame.complete:
        return complete_call(turn, text)
    if changed and not _says_more(frame, text):
        return ask_next(turn)
    answering = [n for n in frame.asked if n in frame.missing() and not typed(frame.function, n)]
    return WriteArguments(frame.name) if answering or changed else None


def _says_more(frame: Frame, text: str) -> bool:
    """Whether the line, besides the typed values code read from it, has words for a missing
    value only the model can read ("In Oslo, celsius." gives units, and Oslo is the city)."""
    if all(typed(frame.function, name) for name in frame.missing()):
        return False
    own = own_vocabulary(frame.function)
    return any(
        not w.isdigit() and w not in own and w not in WHEN_WORDS for w in content_words(text)
    )


def redo_lookup(turn: TurnState, text: str) -> ToolCall | Say | None:
    """The last lookup again with the value a follow-up changes ("Is a checkup free on
    Friday?" ... "Actually, I'd rather have a consultation."; "What about Saturday?"): code
    reads the new value, so the small model need not see that the question still stands.
    Only lookups: an action already taken is not repeated on a change of mind."""
    done = turn.conversation.done
    if done is None or not is_lookup(done.function):
        return None
    if not (corrects_itself(text) or _FOLLOW_UP.search(text)) or sounds_like_goodbye(text):
        return None
    if _names_another_function(turn, done, text):
        return None
    said = values_said(done.function, text, turn.parts.today)
    new = {n: v for n, v in said.items() if n in done.values and done.values[n].value != v}
    if not new:
        return None
    turn.conversation.open_frame(done.function, {**done.values, **from_caller(turn, new)})
    return complete_call(turn, text)


def frame_call(
    turn: TurnState, function: Function, arguments: Mapping[str, Any], text: str
) -> ToolCall | Say:
    """The model called `function`: fill its frame, then ask for what is missing or run."""
    conversation = turn.conversation
    if not function.properties:  # nothing to gather (end_call): the open frame is kept
        return complete_call(turn, text, Frame(function))
    opening = conversation.frame is None or conversation.frame.name != function.name
    if opening and blocks(function, arguments, text):
        return turn.say(SAY_AGAIN)  # a garbled line opens no task with side effects
    _open(turn, function)
    unclear = unclear_numbers(function, arguments, text)
    if opening and unclear:  # "4471-Ine": the number again, not a question as if none was said
        conversation.frame_asked(unclear)
        return turn.ask(function.name, tuple(unclear), DIGIT_BY_DIGIT)
    frame = conversation.frame
    assert frame is not None
    taken = accepted(turn, function, arguments, text)
    said = values_said(function, text, turn.parts.today)
    # an enum value nobody named is the model's guess ("celsius" for "the weather in Denver"):
    # asked for when required, left to the function's default when not
    guessed = guessed_enums(turn, function, taken) - set(said)
    taken = {n: f for n, f in taken.items() if n not in guessed}
    taken |= own_words(turn, function, taken, text)
    conversation.fill_frame(
        {
            name: filled
            for name, filled in taken.items()
            if name not in frame.values or said_now(frame, name, filled.value, text)
        }
    )
    wanted = {*function.required, *arguments, *frame.values, *_named_in(function, text)}
    wanted |= _options_named(function, said, text)
    conversation.fill_frame(from_caller(turn, {n: v for n, v in said.items() if n in wanted}))
    return _sources_then_ask_or_call(turn, text)


def _named_in(function: Function, text: str) -> set[str]:
    """Optional parameters the line names by their first word ("for order 4521" names
    order_id): a value said with its name is meant for it."""
    words = set(tokens(text))
    return {n for n in function.properties if n.lower().split("_")[0] in words}


def _options_named(function: Function, said: Mapping[str, Any], text: str) -> set[str]:
    """Optional enum parameters whose value the line names by its word ("play it in the
    kitchen" for device: Kitchen): said by the caller, so meant even if the model left it out."""
    return {
        name
        for name, value in said.items()
        if isinstance(options := _schema(function, name).get("enum"), list)
        and value in enum_named(options, text)
    }


def ask_first(turn: TurnState, function: Function) -> Say | None:
    """The question for a required number nobody said, asked before the model writes one
    (`preview.doomed`); None when the arguments are worth waiting for."""
    conversation = turn.conversation
    missing = doomed(function, turn.texts(), turn.parts.agent.variables)
    frame = conversation.frame
    if frame is not None and frame.name == function.name:
        missing = [n for n in missing if n not in frame.values]
    if not missing:
        return None
    _open(turn, function)
    _fill_from_sources(turn)
    frame = conversation.frame
    if frame is None or not set(missing) & set(frame.missing()):
        return None
    return ask_next(turn)


def ask_next(turn: TurnState) -> Say:
    """Ask for the frame's first missing value (`question.next_question`)."""
    frame = turn.conversation.frame
    assert frame is not None
    names, question = next_question(frame.function, frame.missing())
    turn.conversation.frame_asked(names)
    return turn.ask(frame.name, names, question)


def complete_call(turn: TurnState, text: str, frame: Frame | None = None) -> ToolCall | Say:
    """The call of the conversation's frame (or `frame`, one outside it), checked like any
    call (`check_call`); else what to say instead."""
    conversation, parts = turn.conversation, turn.parts
    outside = frame is not None
    frame = frame or conversation.frame
    assert frame is not None
    checked = check_call(
        frame.function,
        frame.arguments(),
        utterance=text,
        caller_turns=conversation.caller_turns,
        variables=parts.agent.variables,
        heard=conversation.heard,
        today=parts.today,
        line_filled=any(
            f.source == "caller" and f.turn == turn.caller_turn for f in frame.values.values()
        ),
    )
    if checked.runs:
        return ToolCall(frame.name, checked.arguments, call_id=conversation.next_call_id())
    if not checked.asks_for or outside:  # not a call to make now (end_call, no goodbye)
        return turn.say(checked.say)
    conversation.unfill_frame(checked.asks_for)
    return ask_next(turn)


def _sources_then_ask_or_call(turn: TurnState, text: str) -> ToolCall | Say:
    _fill_from_sources(turn)
    frame = turn.conversation.frame
    assert frame is not None
    return ask_next(turn) if frame.missing() else complete_call(turn, text)


def _fill_from_sources(turn: TurnState) -> None:
    conversation = turn.conversation
    if conversation.frame is not None:
        variables = turn.parts.agent.variables
        found = from_sources(conversation.frame, variables, conversation.heard, turn.caller_turn)
        conversation.fill_frame(found)


def _open(turn: TurnState, function: Function) -> None:
    """A frame for `function`, unless it has one; values of the frame it replaces that fit
    `function`'s parameters are carried over (check_availability's date, for the booking)."""
    old = turn.conversation.frame
    if old is not None and old.name == function.name:
        return
    carried = {}
    for name, filled in (old.values if old is not None else {}).items():
        if name in function.properties and fits_schema(_schema(function, name), filled.value):
            carried[name] = filled
    turn.conversation.open_frame(function, carried)


def _names_another_function(turn: TurnState, frame: Frame, text: str) -> bool:
    """Whether the line says a word of another function's name that the frame's name and
    parameters lack ("cancel" while booking, not "order" for a ticket's order_id): a change of
    topic, which routing decides."""
    own = set(frame.name.lower().split("_"))
    own |= {word for name in frame.function.properties for word in name.lower().split("_")}
    words = set(tokens(text))
    return any(
        words & (set(f.name.lower().split("_")) - own)
        for f in turn.parts.agent.functions
        if f.name != frame.name and f.builtin is None
    )
