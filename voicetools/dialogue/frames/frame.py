"""The frame of one chosen function: what its arguments are so far, and where each came from.

Once the model chooses a function, the `Conversation` holds a `Frame` for it. Each turn may fill
it (the caller's words, read by code or by the model; the agent's variables; earlier tool
results); the agent asks for the first value still `missing()`, and the call runs once none is.

The keep/drop rule: the frame is dropped when its call runs, when the caller declines, says
goodbye or "never mind", when another function is chosen, or after `IDLE_LIMIT` caller turns in
a row that add nothing to it; so it is kept across one reply turn (a question from the caller).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from voicetools.spec.model import Function

IDLE_LIMIT = 2
"""Caller turns in a row that add nothing to the frame before it is dropped."""

Source = Literal["caller", "variable", "result"]


@dataclass(frozen=True)
class Filled:
    """One known argument value."""

    value: Any
    source: Source
    """Where it came from: the caller's words, an agent variable, or an earlier tool result."""
    turn: int
    """The caller turn (1 for the first) in which it was filled."""


@dataclass(frozen=True)
class Frame:
    """The arguments of `function` known so far. Immutable: every change returns a new frame."""

    function: Function
    values: Mapping[str, Filled] = field(default_factory=dict)
    asked: tuple[str, ...] = ()
    """The names the agent's last question for this frame asked for."""
    idle_turns: int = 0
    """Caller turns in a row that added nothing (`IDLE_LIMIT`)."""

    @property
    def name(self) -> str:
        return self.function.name

    def missing(self) -> list[str]:
        """Required parameters with no value yet, in the schema's order."""
        order = [n for n in self.function.properties if n in self.function.required]
        order += [n for n in self.function.required if n not in order]
        return [n for n in order if n not in self.values]

    @property
    def complete(self) -> bool:
        return not self.missing()

    def arguments(self) -> dict[str, Any]:
        return {name: filled.value for name, filled in self.values.items()}

    def changes(self, values: Mapping[str, Filled]) -> dict[str, Filled]:
        """The entries of `values` that are new or differ from what the frame holds."""
        return {
            name: filled
            for name, filled in values.items()
            if name not in self.values or self.values[name].value != filled.value
        }

    def filled(self, values: Mapping[str, Filled]) -> Frame:
        """This frame with `values` added (a later value replaces an earlier one)."""
        return replace(self, values={**self.values, **values})

    def without(self, names: Iterable[str]) -> Frame:
        gone = set(names)
        return replace(self, values={n: f for n, f in self.values.items() if n not in gone})

    def asking(self, names: Iterable[str]) -> Frame:
        return replace(self, asked=tuple(names))

    def idle(self, added: bool) -> Frame:
        """The frame after a caller turn that did (or did not) add to it."""
        return replace(self, idle_turns=0 if added else self.idle_turns + 1)
