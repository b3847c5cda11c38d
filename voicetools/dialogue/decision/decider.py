"""How the model decides between replying and calling a function: a strategy behind one seam.

A `Decider` gets the conversation and yields either reply text (in pieces, as generated) or,
once, a `Call` (name and arguments). A decider that knows which function it will call before
the arguments are written (`RouteDecider`) may yield an `Intent` first: the engine can start
the tool's filler, or ask for a number the caller never said, without waiting for them. The
engine does everything else: sentence splitting, grounding, confirmation, filler. Keeping the
decision swappable lets the benchmark compare strategies on the same labelled utterances
(`benchmarks/decisions.py`).

Every decider also gives `prefix(system, functions, history) -> str`, the stable prompt start
of a session with `history` (the greeting) in its format, which `Engine.warm` evaluates once.
A decider may end a decision with a `DecisionRecord` (what it measured, for the benchmark);
the engine passes over it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from voicetools.backends.base import LLM
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message
from voicetools.spec.model import Function


@dataclass(frozen=True)
class Call:
    """The model's choice to call `name` with `arguments` (not yet checked by code)."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Intent:
    """The decision will be a call of `name`; its arguments are still being written.

    Only a preview: a `Call` follows (or `Malformed` is raised), and nothing runs before it.
    """

    name: str


@dataclass(frozen=True)
class DecisionRecord:
    """What one decision measured, yielded last (also before a `Malformed`), for benchmarks."""

    scores: Mapping[str, float] = field(default_factory=dict)
    """The routing scores (bias not added); empty when the backend cannot score or no
    function could be called."""
    route_s: float | None = None
    """Seconds the routing step took; None when there was none."""
    arguments_path: str | None = None
    """Where a call's arguments came from: "free", "grammar"; None: no parameters, or a reply."""
    arguments_s: float | None = None
    """Seconds a call's arguments took (both attempts)."""


Item = str | Intent | Call | DecisionRecord
"""What a decision yields: reply pieces, or an optional `Intent` and then one `Call`; then,
from a decider that measures itself, a `DecisionRecord`."""


@dataclass(frozen=True)
class Situation:
    """What a decider may look at for one decision."""

    system: str
    """The session's system message (instructions + tools section)."""
    history: Sequence[Message]
    """The conversation so far, ending with the caller's turn or a tool result."""
    functions: Sequence[Function]
    allow_calls: bool
    """False once the turn has used its tool rounds: the decider must reply."""
    answering: str | None = None
    """The function whose missing arguments the agent just asked for, when the caller's
    words hold them (the engine's checks asked, `preview.answers` saw the value): a fact code
    can see that the model need not guess."""
    chosen: str | None = None
    """The function code has already chosen (the caller is answering the slot frame's question
    for a value only the model can read, `dialogue.frames`): its arguments are written without
    routing."""
    needed: tuple[str, ...] = ()
    """With `chosen`: the parameters the caller is answering, which the arguments must hold
    (else the small model leaves out the very value it was asked to read)."""


class Decider(Protocol):
    """A decision strategy; see the module docstring."""

    def prefix(
        self, system: str, functions: Sequence[Function], history: Sequence[Message] = ()
    ) -> str: ...

    def decide(
        self, llm: LLM, situation: Situation, options: GenerationOptions
    ) -> AsyncGenerator[Item, None]: ...


class Malformed(Exception):
    """The output started like a call but is not one (a backend that ignored the grammar)."""
