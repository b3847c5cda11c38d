"""Which functions may follow a tool result in the same turn: only what the caller asked for.

Without a rule a small model, handed `{"ok": true}`, calls an unrelated function with a number
from the caller's line, then the first one again. A chain has sense when the caller asked for
its next step: "Book a checkup tomorrow at 9" may check availability and then book; "Is there
a slot tomorrow?" only checks. So right after a result the router is offered only actions
(not lookups: a lookup comes before the action it serves, not after) that

- the caller named in this turn, by an action word ("book", "refill", "text me") or, for a
  built-in, by its cue ("put me through to a person"), and
- have not run in this turn already, so no call repeats itself, however it is argued;

and never end_call, since the caller has not heard the result yet. With nothing left, the
model replies about the result (`dialogue.result_line` when it cannot).

One action follows a lookup without being named (`served_action`): "Table for eight, Saturday
at six thirty pm, under Ferreira." checks the table, and when it is free the request was for
the booking, whose required values hold every value the check was made with. Code chooses it
(the model, offered it, read out the result instead), and the booking's own checks and
confirmation apply as ever.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from voicetools.dialogue.checks.actions import executed_this_turn, is_lookup, what_it_does
from voicetools.dialogue.checks.verbs import families, name_words, words
from voicetools.dialogue.decision.cues import cue_bonus
from voicetools.dialogue.decision.decider import Situation
from voicetools.dialogue.decision.prompt import Message, parse_call
from voicetools.dialogue.frames.extract import typed, values_said
from voicetools.language import asks_about
from voicetools.spec.model import Function


def next_functions(situation: Situation) -> list[Function]:
    """The functions the model may route to: all of them before any result this turn, then
    only the next steps the caller asked for (module docstring)."""
    history = situation.history
    if not history or history[-1].role != "tool":
        return list(situation.functions)
    said = caller_line(history)
    ran = called_this_turn(history)
    served = served_action(situation)
    return [
        f
        for f in situation.functions
        if f.name not in ran
        and f.builtin != "end_call"
        and not is_lookup(f)
        and (asked(f, said) or f is served)
    ]


def served_action(situation: Situation) -> Function | None:
    """The one action the lookup that just ran serves (module docstring); None unless the
    caller's line asked for something rather than about something, did not ask for the lookup
    itself ("check if a table is free"), and said every date, time or number the action needs
    beyond the lookup's values, and the result is no refusal."""
    history = situation.history
    if not history or history[-1].role != "tool":
        return None
    said = caller_line(history)
    done = executed_this_turn(history)
    if asks_about(said) or len(done) != 1 or _refused(done[0].payload):
        return None
    lookup = next((f for f in situation.functions if f.name == done[0].name), None)
    checked = set(done[0].arguments)
    if lookup is None or not is_lookup(lookup) or not checked or _names_lookup(lookup, said):
        return None
    served = [
        f
        for f in situation.functions
        if not is_lookup(f)
        and f.builtin is None
        and checked <= set(f.required)
        and _typed_values_said(f, set(f.required) - checked, said)
    ]
    return served[0] if len(served) == 1 else None


def _names_lookup(lookup: Function, said: str) -> bool:
    """Whether the caller asked for the lookup itself by its first name word ("check")."""
    named = [w.lower() for w in name_words(lookup.name)]
    return bool(named) and named[0] in words(said)


def _typed_values_said(function: Function, names: set[str], said: str) -> bool:
    """Whether `said` holds every value among `names` that code reads (a date, a time, a
    number): the action must not take one from the result (the first free slot) unasked.
    Other values (a name) the model writes, and the action's checks ground or ask for."""
    # the date only resolves relative days; whether a value was said does not depend on it
    found = values_said(function, said, date.today())
    return all(name in found for name in names if typed(function, name))


def _refused(payload: Any) -> bool:
    """Whether a lookup's result says no: an error, or a false or empty value
    (`{"free": false}`, `{"slots": []}`)."""
    if not isinstance(payload, Mapping):
        return payload in (False, None, [], "")
    return "error" in payload or any(v is False or v == [] for v in payload.values())


def asked(function: Function, said: str) -> bool:
    """Whether the caller's words `said` ask for what `function` does."""
    return bool(what_it_does(function) & families(words(said))) or cue_bonus(function, said) > 0


def caller_line(history: Sequence[Message]) -> str:
    """What the caller said last."""
    return next((m.content for m in reversed(history) if m.role == "user"), "")


def called_this_turn(history: Sequence[Message]) -> set[str]:
    """The functions called since the caller last spoke (whatever their outcome)."""
    names: set[str] = set()
    for message in reversed(history):
        if message.role == "user":
            break
        try:
            parsed = parse_call(message.content) if message.role == "assistant" else None
        except ValueError:
            parsed = None
        if parsed is not None:
            names.add(parsed[0])
    return names
