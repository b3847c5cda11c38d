"""What to say while a tool runs, and when: filler scheduled on time passed in, never slept.

Silence on a phone line feels like a dropped call, but a filler before a result that arrives
in 200 ms is noise. So a plan waits `delay_s` (0.4 s) before its first line and says nothing
if the result comes first; after `second_after_s` (3 s) it adds one "still working on it"
line; once the result is in (`finish()`), nothing more. The same phrase is never said twice in
a row across a session, and the choice comes from a seeded RNG so runs repeat exactly.

That is the text chat's plan. A voice call tunes it (`VoiceOptions`): the first line at once
(`delay_s=0`: on a call the answer after even a fast tool is a model decision away, so the
line is never noise), no timed second line (`second_after_s=None`), and instead short
`keep_alive()` lines whenever the agent's side would otherwise stay silent for about a second,
which only the voice loop can tell because only it knows when each line's audio ends
(`runtime.keep_alive`).

Which phrases: the function's `speak_during_execution` (`Function.filler`); `()` means stay
silent; `None` means the agent's default phrases, else the short varied ones below. Built-ins
that speak for themselves (end_call, transfer_call, press_digit) are silent unless the agent
file gives them phrases.

The loop that drives a plan asks `next_due_s()` how long it may wait for the result, then
calls `due(elapsed)`; see `VirtualClock` for testing that without sleeping.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from voicetools.spec.model import Function

DEFAULT_PHRASES: tuple[str, ...] = (
    "One moment.",
    "Let me check that.",
    "Just a second.",
    "Give me a moment.",
    "Let me look into that.",
    "Bear with me a moment.",
)
STILL_WORKING: tuple[str, ...] = (
    "Still working on it.",
    "Thanks for waiting, this is taking a little longer.",
    "Almost there, thanks for your patience.",
    "Sorry for the wait, I'm still on it.",
)
KEEP_ALIVE: tuple[str, ...] = (
    "Still checking.",
    "Almost there.",
    "Just a moment more.",
    "Still on it.",
    "Nearly done.",
)
"""Short on purpose: one may be playing when the answer is ready, and the answer waits for it."""
SILENT_BUILTINS = frozenset({"end_call", "transfer_call", "press_digit"})


@dataclass(frozen=True)
class FillerLine:
    """One filler line, with the offset from the tool's start at which it is due."""

    at_s: float
    text: str


@dataclass
class FillerPlan:
    """The filler for one tool call. Not thread-safe: one loop drives it."""

    planner: FillerPlanner
    pools: tuple[tuple[str, ...], ...]
    """Phrase pools for the lines in order: the first line's, then the second's."""
    offsets: tuple[float, ...]
    """When each line is due, in seconds after the tool started."""
    said: list[FillerLine] = field(default_factory=list)
    """Lines already handed out by `due()`, with their scheduled offsets."""
    finished: bool = False

    @property
    def silent(self) -> bool:
        return not self.pools

    def next_due_s(self) -> float | None:
        """The offset of the next line still to say, or None when nothing more will be said."""
        if self.finished or len(self.said) >= len(self.pools):
            return None
        return self.offsets[len(self.said)]

    def due(self, elapsed_s: float) -> list[str]:
        """The lines that have become due by `elapsed_s` and were not said yet (each once)."""
        out: list[str] = []
        while (at := self.next_due_s()) is not None and at <= elapsed_s:
            text = self.planner.pick(self.pools[len(self.said)])
            self.said.append(FillerLine(at, text))
            out.append(text)
        return out

    def say_first(self) -> str | None:
        """The first line now, ahead of its offset (the engine knows the call is coming before
        the tool starts; `dialogue.checks.preview`); None when the plan is silent or has begun."""
        if self.silent or self.said or self.finished:
            return None
        return self.due(self.offsets[0])[0]

    def finish(self) -> None:
        """The result has arrived (or the call failed): say nothing more."""
        self.finished = True


class FillerPlanner:
    """Makes a `FillerPlan` per tool call and remembers the last phrase said in the session."""

    def __init__(
        self,
        seed: int = 0,
        delay_s: float = 0.4,
        second_after_s: float | None = 3.0,
        *,
        default_phrases: Sequence[str] | None = None,
        still_phrases: Sequence[str] = STILL_WORKING,
        keep_alive_phrases: Sequence[str] = KEEP_ALIVE,
    ) -> None:
        self.delay_s = delay_s
        self.second_after_s = second_after_s
        """When the "still working" line is due; None: no timed second line."""
        self.keep_alive_phrases = tuple(keep_alive_phrases)
        self.default_phrases = tuple(default_phrases or DEFAULT_PHRASES)
        """The agent's default phrases (`defaults.speak_during_execution`), else ours."""
        self.still_phrases = tuple(still_phrases) or STILL_WORKING
        self.last: str | None = None
        """The last filler said in this session."""
        self._rng = random.Random(seed)

    def phrases_for(self, function: Function) -> tuple[str, ...]:
        """The first-line pool for `function`; empty when it should stay silent."""
        if function.filler is not None:
            return function.filler
        if function.builtin in SILENT_BUILTINS:
            return ()
        return self.default_phrases

    def plan(self, function: Function) -> FillerPlan:
        """The plan for one call of `function`, starting at offset 0."""
        first = self.phrases_for(function)
        if not first:
            return FillerPlan(self, (), ())
        if self.second_after_s is None:
            return FillerPlan(self, (first,), (self.delay_s,))
        return FillerPlan(self, (first, self.still_phrases), (self.delay_s, self.second_after_s))

    def keep_alive(self) -> str | None:
        """A short line to break a silence (voice only); None when there are no such phrases."""
        return self.pick(self.keep_alive_phrases) if self.keep_alive_phrases else None

    def pick(self, pool: Sequence[str]) -> str:
        """A phrase from `pool` that is not the last one said; records it as said.

        A one-phrase pool whose phrase was just said falls back to the default phrases, so
        even an agent with a single `speak_during_execution` never repeats itself.
        """
        choices = [p for p in pool if p != self.last]
        if not choices:
            choices = [p for p in (*self.default_phrases, *DEFAULT_PHRASES) if p != self.last]
        text = self._rng.choice(choices)
        self.last = text
        return text
