"""`ScriptedLLM`: a fake model scripted by input text, shipped for unit tests and for users.

The dialogue engine's logic (grounding, confirmation, filler, retries) is tested without a
model: a test says "when the caller says *order 4521*, the model calls get_order_status" and
checks what the engine does with it. Rules match the last user message of the ChatML prompt
(a regex, case-insensitive when given as text) or the whole prompt (a callable); the first
rule that matches wins. Output streams in small pieces, so streaming consumers are exercised.

Everything the fake was given is recorded (`requests`, `prompts`, `grammars`, `warmed`,
`scored`, and `asked`/`decisions` across generation and scoring) so a test can assert that a
grammar was used, that the system prompt was warmed or how often the model chose an action.

Scoring (`score_continuations`) follows the same rules: the continuation the scripted output
starts with scores 0, every other one `UNLIKELY`, so one script drives both a routing decider
that scores options and one that generates. Scripts written in the native `<tool_call>` format
(`on_call`) also drive `RouteDecider`'s action format: asked for an action (the prompt ends
with `{"action": "`), the fake answers the scripted call's name, or "reply" for plain text;
asked for a call's arguments, it answers the scripted call's arguments (the rest of them when
the prompt already ends with their start, e.g. `{"order_id":`).

Asked whether the caller's turn ends (`dialogue.turn_end`: the prompt ends inside an open
user turn), the fake says every line is finished, the end-of-turn token scoring 0, except
lines matching an `unfinished` pattern, where every ending is `UNLIKELY`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeAlias

from voicetools.backends.base import BaseLLM, Request
from voicetools.dialogue.decision.action_prompt import ACTION_OPEN, REPLY
from voicetools.dialogue.decision.prompt import IM_END, call_text, last_user_message, parse_call

Matcher: TypeAlias = str | re.Pattern[str] | Callable[[str], str | None]
"""A regex on the last user message, or a callable given the whole prompt that returns the
output (None when it does not apply)."""


_ACTION = re.compile(r'^\w+"$')
UNLIKELY = -20.0
"""The log-probability `score_continuations` gives a continuation the script did not write."""


class ScriptedLLM(BaseLLM):
    """Canned answers chosen by rules; honours `stop` and `max_tokens` (one piece per token)."""

    label = "scripted LLM"

    def __init__(
        self,
        rules: Iterable[tuple[Matcher, str]] = (),
        *,
        default: str = "Sorry, could you say that again?",
        piece_size: int = 4,
    ) -> None:
        super().__init__()
        self._rules: list[tuple[re.Pattern[str] | Callable[[str], str | None], str]] = []
        for when, then in rules:
            self.add(when, then)
        self.default = default
        """The output when no rule matches."""
        self.piece_size = piece_size
        self.requests: list[Request] = []
        """Every generation asked for, in order."""
        self.warmed: list[str] = []
        """Every prefix passed to `warm`."""
        self.scored: list[tuple[str, tuple[str, ...]]] = []
        """Every (prompt, continuations) passed to `score_continuations`."""
        self.asked: list[str] = []
        """Every prompt the model was given, generated from or scored, in order."""
        self._unfinished: list[re.Pattern[str]] = []

    def add(self, when: Matcher, then: str) -> ScriptedLLM:
        """Add a rule (after the existing ones); returns self so rules can be chained."""
        if isinstance(when, str):
            when = re.compile(when, re.IGNORECASE)
        self._rules.append((when, then))
        return self

    def unfinished(self, pattern: str) -> ScriptedLLM:
        """Caller lines matching `pattern` (case-insensitive) sound unfinished to the
        end-of-turn probe; every other line sounds finished."""
        self._unfinished.append(re.compile(pattern, re.IGNORECASE))
        return self

    def on_call(self, when: Matcher, name: str, **arguments: Any) -> ScriptedLLM:
        """Add a rule whose output is a tool call in the model's native format."""
        return self.add(when, call_text(name, arguments))

    @property
    def prompts(self) -> list[str]:
        return [r.prompt for r in self.requests]

    @property
    def grammars(self) -> list[str | None]:
        return [r.grammar for r in self.requests]

    @property
    def decisions(self) -> list[str]:
        """The prompts that asked the model to choose an action (scored or generated)."""
        return [p for p in self.asked if p.endswith(ACTION_OPEN)]

    def answer(self, prompt: str) -> str:
        """The output the rules give for `prompt` (before stop strings and max_tokens)."""
        user = last_user_message(prompt)
        for when, then in self._rules:
            if isinstance(when, re.Pattern):
                if when.search(user if user is not None else prompt):
                    return then
            else:
                produced = when(prompt)
                if produced is not None:
                    return produced
        return self.default

    def _stream_impl(self, request: Request) -> Iterator[str]:
        self.requests.append(request)
        self.asked.append(request.prompt)
        text = _in_format(request.prompt, self.answer(request.prompt))
        cuts = [i for i in (text.find(s) for s in request.stop if s) if i >= 0]
        if cuts:
            text = text[: min(cuts)]
        size = max(1, self.piece_size)
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        yield from pieces[: request.max_tokens]

    def score_continuations(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """0 for the continuation the scripted output starts with, `UNLIKELY` for the others."""
        self.scored.append((prompt, tuple(continuations)))
        self.asked.append(prompt)
        user = last_user_message(prompt)
        if user and prompt.endswith(user):  # the caller's turn is still open
            going_on = any(p.search(user) for p in self._unfinished)
            text = "" if going_on else IM_END
        else:
            text = _in_format(prompt, self.answer(prompt))
        return [0.0 if c and text.startswith(c) else UNLIKELY for c in continuations]

    def _warm_impl(self, prefix: str) -> None:
        self.warmed.append(prefix)


def _in_format(prompt: str, text: str) -> str:
    """A scripted native call or reply, as the action format asks for it (module docstring)."""
    try:
        call = parse_call(text)
    except ValueError:
        call = None
    if prompt.endswith(ACTION_OPEN):
        if call is not None:
            return f'{call[0]}"'
        return text if _ACTION.match(text) else f'{REPLY}"'
    if call is not None and prompt.endswith('"arguments": '):
        return json.dumps(call[1], ensure_ascii=False)
    _, head, forced = prompt.rpartition('"arguments": ')
    if head and forced and "\n" not in forced:  # the prompt holds the arguments' start
        arguments = json.dumps(call[1], ensure_ascii=False) if call is not None else text
        if arguments.startswith(forced):
            return arguments[len(forced) :]
    return text
