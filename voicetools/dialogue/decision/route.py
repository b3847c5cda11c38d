"""`RouteDecider`: pick the action first (reply or which function), then fill or speak it.

Why two steps: with one generation under a reply-or-call grammar the 0.5B model almost never
calls (docs/decisions.md). Here the model only has to name an action after
`{"action": "` (`voicetools.dialogue.decision.action_prompt`):

1. Route. On a backend that can score continuations (`ScoresContinuations`, llama.cpp) every
   action is scored in one prompt evaluation, and code adds a calibrated bias toward replying
   (`reply_bias`; another after a tool result, when summarising it is the usual next step),
   tuned on half of benchmarks/data/utterances.yaml and checked on the other half
   (`python -m benchmarks.decisions`). Elsewhere the action is generated greedily under a
   grammar that allows only the action names.
2. Act. The chosen function is announced (`Intent`), so the engine can start its filler while
   the arguments are written. A function without parameters is called at once; otherwise its
   arguments are written after `{"action": "name", "arguments": `: freely first, kept only if
   the grammar would have accepted them (`decision.free_arguments`, faster),
   else under `arguments_grammar`; either way they are schema-valid.
   A reply is generated after `{"action": "reply"}` and streamed, cut at markup (`REPLY_STOP`).
   Dates, times and free text that nothing in the conversation supports are dropped
   (`voicetools.dialogue.decision.evidence`), so the engine asks for them instead of using a guess.

Code still checks everything afterwards (engine: dates, grounding, confirmation). The prompt
shares its prefix across routing, arguments and reply, so llama.cpp evaluates each turn once.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import Any

from voicetools.backends.base import LLM, ScoresContinuations
from voicetools.dialogue.decision.action_prompt import (
    ACTION_OPEN,
    REPLY,
    action_prompt,
    action_system,
    action_turn,
    call_head,
    reply_head,
)
from voicetools.dialogue.decision.chains import next_functions, served_action
from voicetools.dialogue.decision.cues import ANSWER_BONUS, action_bonus, cue_bonus
from voicetools.dialogue.decision.decider import (
    Call,
    DecisionRecord,
    Intent,
    Item,
    Malformed,
    Situation,
)
from voicetools.dialogue.decision.evidence import without_unsupported
from voicetools.dialogue.decision.free_arguments import FreeArguments
from voicetools.dialogue.decision.generation import GenerationOptions, run_locked, stream_pieces
from voicetools.dialogue.decision.prompt import STOP, Message, render
from voicetools.dialogue.grammar.gbnf import literal
from voicetools.dialogue.grammar.schema import arguments_grammar
from voicetools.language import as_meant
from voicetools.spec.model import Function

REPLY_BIAS = -0.75
"""Log-probability added to "reply" before a tool has run this turn: the model slightly
over-replies in this format (tuned with `benchmarks.tune_route`; docs/decisions.md)."""
AFTER_RESULT_BIAS = 2.0
"""The same right after a tool result, when telling the caller about it is the usual next step
(chosen on the scenarios' logged scores; docs/decisions.md)."""

REPLY_STOP = (*STOP, "<tool_call>", "```", '{"action"', "<|")
"""A reply is generated freely, cut where it would turn into markup or another action: a reply
grammar made every token slower for the same text (docs/decisions.md)."""


@dataclass
class Measurement:
    """What one decision measures as it goes; frozen into a `DecisionRecord` at its end.

    Local to one `decide` call, so a speculative decision and the confirmed turn's never mix.
    """

    scores: dict[str, float] = field(default_factory=dict)
    route_s: float | None = None
    arguments_path: str | None = None
    arguments_s: float | None = None

    def record(self) -> DecisionRecord:
        return DecisionRecord(self.scores, self.route_s, self.arguments_path, self.arguments_s)


def as_meant_last(situation: Situation) -> Situation:
    """The situation with the caller's last line as meant (`language.as_meant`): a request
    the caller took back mid-line ("transfer me, actually no, tell me your hours") is neither
    routed to nor written into the call."""
    history = situation.history
    if not history or history[-1].role != "user":
        return situation
    meant = as_meant(history[-1].content)
    if meant == history[-1].content:
        return situation
    return replace(situation, history=(*history[:-1], Message("user", meant)))


def requiring(function: Function, names: Sequence[str]) -> Function:
    """`function` with `names` required as well, for the arguments grammar."""
    wanted = [n for n in names if n in function.properties and n not in function.required]
    if not wanted:
        return function
    required = [*function.required, *wanted]
    return replace(function, parameters={**function.parameters, "required": required})


class RouteDecider:
    """Route, then fill arguments or stream a reply (module docstring)."""

    def __init__(
        self,
        *,
        reply_bias: float = REPLY_BIAS,
        after_result_bias: float = AFTER_RESULT_BIAS,
        check_values: bool = True,
        free_arguments: bool = True,
        jump_forward: bool = True,
    ) -> None:
        self.reply_bias = reply_bias
        self.after_result_bias = after_result_bias
        self.check_values = check_values
        """Drop required dates, times and free text nothing supports (`evidence`)."""
        self.free_arguments = free_arguments
        """Write arguments without a grammar first (`decision.free_arguments`)."""
        self.jump_forward = jump_forward
        """Put the text the grammar forces first (`{"key":`) in the free attempt's prompt:
        without it the 0.5B model writes a bare `4521}` after `"arguments": `."""
        self._grammars: dict[str, str] = {}
        self._free: dict[str, FreeArguments | None] = {}

    def prefix(
        self, system: str, functions: Sequence[Function], history: Sequence[Message] = ()
    ) -> str:
        """The start of every prompt of a session, for `LLM.warm`: the system turn, then
        `history` (e.g. the greeting, which opens every call) in this decider's format."""
        system_turn = Message("system", action_system(system, functions))
        return render([system_turn, *(action_turn(m) for m in history)], generation_prompt=False)

    async def decide(
        self, llm: LLM, situation: Situation, options: GenerationOptions
    ) -> AsyncGenerator[Item, None]:
        """The decision's items, then its `DecisionRecord` (also when it fails `Malformed`)."""
        measured = Measurement()
        try:
            # closed with this stream, at once: closing it stops the model (at an `Intent`)
            async with aclosing(self._decide(llm, situation, options, measured)) as items:
                async for item in items:
                    yield item
        except Malformed:
            yield measured.record()
            raise
        yield measured.record()

    async def _decide(
        self, llm: LLM, situation: Situation, options: GenerationOptions, measured: Measurement
    ) -> AsyncGenerator[Item, None]:
        situation = as_meant_last(situation)
        base = action_prompt(situation.system, situation.functions, situation.history)
        functions = next_functions(situation) if situation.allow_calls else []
        began = time.perf_counter()
        served = served_action(situation) if functions else None
        wanted = situation.chosen or (served.name if served is not None else None)
        chosen = next((f.name for f in functions if f.name == wanted), None)
        routes = bool(functions) and chosen is None  # code's choice needs no routing
        action = (
            await self.route(llm, base, functions, situation.history, situation.answering, measured)
            if routes
            else chosen or REPLY
        )
        measured.route_s = time.perf_counter() - began if routes else None
        if action == REPLY:
            prompt, limit = base + reply_head(), options.max_reply_tokens
            async for piece in stream_pieces(llm, prompt, None, limit, options, REPLY_STOP):
                yield piece
            return
        function = next(f for f in functions if f.name == action)
        if action == chosen and situation.needed:
            function = requiring(function, situation.needed)
        # the arguments are written while the engine acts on the intent (starts a filler)
        writing = asyncio.ensure_future(self.arguments(llm, base, function, options, measured))
        try:
            yield Intent(action)
            arguments = await writing
        finally:  # closed at the intent (the engine asks the caller instead): stop the model
            writing.cancel()  # nothing when it is done
            await asyncio.wait({writing})
            if not writing.cancelled():
                writing.exception()  # read: a failure nobody awaits is not logged as lost
        if self.check_values:
            arguments = without_unsupported(function, arguments, situation.history)
        yield Call(action, arguments)

    async def route(
        self,
        llm: LLM,
        base: str,
        functions: Sequence[Function],
        history: Sequence[Message],
        answering: str | None = None,
        measured: Measurement | None = None,
    ) -> str:
        """The chosen action: REPLY or a function name (`answering`: `Situation.answering`);
        the scores go to `measured`."""
        names = [REPLY, *(f.name for f in functions)]
        prompt = base + ACTION_OPEN
        if isinstance(llm, ScoresContinuations):
            scorer = llm
            endings = [f'{name}"' for name in names]
            scores = await run_locked(llm, lambda: scorer.score_continuations(prompt, endings))
            scored = dict(zip(names, scores, strict=True))
            if measured is not None:
                measured.scores = scored
            after_result = bool(history) and history[-1].role == "tool"
            bias = self.after_result_bias if after_result else self.reply_bias
            said = history[-1].content if history and history[-1].role == "user" else ""
            adjust = {
                f.name: cue_bonus(f, said) + action_bonus(f, said, functions) for f in functions
            }
            if answering in adjust:
                adjust[answering] += ANSWER_BONUS
            adjust[REPLY] = bias
            return max(names, key=lambda n: scored[n] + adjust[n])
        grammar = self._enum(names)
        text = ""
        async for piece in stream_pieces(llm, prompt, grammar, 32, GenerationOptions()):
            text += piece
        chosen = text.strip().rstrip('"')
        if chosen not in names:
            raise Malformed(f"unknown action {chosen!r}")
        return chosen

    async def arguments(
        self,
        llm: LLM,
        base: str,
        function: Function,
        options: GenerationOptions,
        measured: Measurement | None = None,
    ) -> dict[str, Any]:
        """Schema-valid arguments for `function`, generated after the call's head: written
        freely when the grammar would have allowed the result, else under the grammar; where
        they came from and how long they took go to `measured`."""
        measured = measured or Measurement()
        if not function.properties:
            return {}
        began = time.perf_counter()
        key = f"args:{function.name}:{','.join(function.required)}"
        if key not in self._grammars:
            self._grammars[key] = arguments_grammar(function).text
        prompt = base + call_head(function.name)
        if self.free_arguments:
            if key not in self._free:
                self._free[key] = self._free_check(function, self._grammars[key])
            checker = self._free[key]
            free = None
            if checker is not None:
                free = await checker.write(llm, prompt, options.max_call_tokens, options)
            if free is not None:
                measured.arguments_path = "free"
                measured.arguments_s = time.perf_counter() - began
                return free
        measured.arguments_path = "grammar"
        text = ""
        async for piece in stream_pieces(
            llm, prompt, self._grammars[key], options.max_call_tokens, options
        ):
            text += piece
        try:
            arguments = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Malformed(f"arguments are not JSON: {exc}") from None
        if not isinstance(arguments, dict):
            raise Malformed("arguments are not an object")
        measured.arguments_s = time.perf_counter() - began
        return arguments

    def _free_check(self, function: Function, grammar: str) -> FreeArguments | None:
        """The acceptance check for free arguments; None (always the grammar) when the grammar
        cannot be read as a regex, so an unusual schema costs speed, never a failed call."""
        try:
            return FreeArguments(function.parameters, grammar, jump_forward=self.jump_forward)
        except (ValueError, KeyError, IndexError, re.error, RecursionError):
            return None

    def _enum(self, names: Sequence[str]) -> str:
        key = "enum:" + ",".join(names)
        if key not in self._grammars:
            choices = " | ".join(literal(f'{name}"') for name in names)
            self._grammars[key] = f"root ::= {choices}\n"
        return self._grammars[key]
