"""Scoring one conversation on what was executed and on what was said.

Executed (the calls that really ran; a confirmation question or a refused call ran nothing):
- every `execute` label ran: a call of that name whose labelled arguments have the labelled
  values (`conversation_said.same_value`; arguments the label leaves out are not compared);
- nothing ran that matches a `never` label (a name alone: any call of it);
- nothing else ran, but for the agent's read-only lookups (`conversation_data.LOOKUPS`);
- no call ran with an invented value: each argument was said by the caller by then, is an
  agent variable, or came back in an earlier result (`conversation_said.is_said`).
With `asking_is_fine`, running nothing at all is right too.

Said: no reply claims an action that no call run so far supports (`conversation_claims`).

A conversation is right when both hold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks.conversation_claims import Ran, unsupported_claims
from benchmarks.conversation_data import LOOKUPS, CallLabel, Conversation
from benchmarks.conversation_said import is_said, same_value, sources_for
from voicetools.spec.model import Agent


@dataclass(frozen=True)
class Executed:
    """A call that ran, with the arguments it ran with and what it answered."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    result: Any = None

    def show(self) -> str:
        return f"{self.name} {json.dumps(dict(self.arguments), ensure_ascii=False)}"


@dataclass(frozen=True)
class TurnRecord:
    """One caller line and what followed it."""

    caller: str
    said: tuple[str, ...] = ()
    """The agent's lines (fillers left out)."""
    executed: tuple[Executed, ...] = ()


@dataclass(frozen=True)
class ConversationScore:
    missing: tuple[str, ...] = ()
    """Labelled calls that did not run (with the right values)."""
    extra: tuple[str, ...] = ()
    """Calls that ran with no label that allows them."""
    forbidden: tuple[str, ...] = ()
    """Calls that ran although a `never` label names them."""
    invented: tuple[str, ...] = ()
    """Calls that ran with a value nobody said, each as `call: argument`."""
    unsupported: tuple[str, ...] = ()
    """Claims of an action no call supports."""

    @property
    def executed_right(self) -> bool:
        return not (self.missing or self.extra or self.forbidden or self.invented)

    @property
    def right(self) -> bool:
        return self.executed_right and not self.unsupported

    def problems(self) -> list[str]:
        kinds = ("missing", "extra", "forbidden", "invented", "unsupported")
        return [f"{kind}: {item}" for kind in kinds for item in getattr(self, kind)]


def _matches(label: CallLabel, call: Executed, agent: Agent) -> bool:
    if label.name != call.name:
        return False
    function = agent.function(call.name)
    properties = function.properties if function is not None else {}
    return all(
        name in call.arguments
        and same_value(name, properties.get(name) or {}, value, call.arguments[name])
        for name, value in label.arguments.items()
    )


def _invented(conversation: Conversation, turns: Sequence[TurnRecord], agent: Agent) -> list[str]:
    found = []
    heard: list[str] = []  # results that came back so far, as text
    for index, turn in enumerate(turns):
        lines = [t.caller for t in turns[: index + 1]]
        for call in turn.executed:
            sources = sources_for([*lines, *heard], agent.variables, conversation.today)
            function = agent.function(call.name)
            properties = function.properties if function is not None else {}
            for name, value in call.arguments.items():
                if not is_said(name, properties.get(name) or {}, value, sources):
                    found.append(f"{call.show()}: {name}")
            heard.append(json.dumps(call.result, ensure_ascii=False))
    return found


def score_conversation(
    conversation: Conversation, turns: Sequence[TurnRecord], agent: Agent
) -> ConversationScore:
    """The score of one run of `conversation` (rules in the module docstring)."""
    ran = [call for turn in turns for call in turn.executed]
    unmatched = list(ran)
    missing = []
    for label in conversation.execute:
        hit = next((c for c in unmatched if _matches(label, c, agent)), None)
        if hit is None:
            missing.append(label.show())
        else:
            unmatched.remove(hit)
    if conversation.asking_is_fine and not ran:
        missing = []
    forbidden = [
        c.show() for c in ran if any(_matches(label, c, agent) for label in conversation.never)
    ]
    lookups = LOOKUPS.get(conversation.agent, frozenset())
    extra = [c.show() for c in unmatched if c.name not in lookups and c.show() not in forbidden]
    unsupported = []
    done: list[Ran] = []
    for turn in turns:
        done += [Ran(c.name, c.result) for c in turn.executed]
        unsupported += unsupported_claims(turn.said, done)
    return ConversationScore(
        missing=tuple(missing),
        extra=tuple(extra),
        forbidden=tuple(forbidden),
        invented=tuple(_invented(conversation, turns, agent)),
        unsupported=tuple(unsupported),
    )
