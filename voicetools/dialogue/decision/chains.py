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
"""

from __future__ import annotations

from collections.abc import Sequence

from voicetools.dialogue.checks.actions import is_lookup, what_it_does
from voicetools.dialogue.checks.verbs import families, words
from voicetools.dialogue.decision.cues import cue_bonus
from voicetools.dialogue.decision.decider import Situation
from voicetools.dialogue.decision.prompt import Message, parse_call
from voicetools.spec.model import Function


def next_functions(situation: Situation) -> list[Function]:
    """The functions the model may route to: all of them before any result this turn, then
    only the next steps the caller asked for (module docstring)."""
    history = situation.history
    if not history or history[-1].role != "tool":
        return list(situation.functions)
    said = caller_line(history)
    ran = called_this_turn(history)
    return [
        f
        for f in situation.functions
        if f.name not in ran and f.builtin != "end_call" and not is_lookup(f) and asked(f, said)
    ]


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
