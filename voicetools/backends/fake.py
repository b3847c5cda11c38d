"""`ScriptedLLM`: a fake model scripted by input text, shipped for unit tests and for users.

The dialogue engine's logic (grounding, confirmation, filler, retries) is tested without a
model: a test says "when the caller says *order 4521*, the model calls get_order_status" and
checks what the engine does with it. Rules match the last user message of the ChatML prompt
(a regex, case-insensitive when given as text) or the whole prompt (a callable); the first
rule that matches wins. Output streams in small pieces, so streaming consumers are exercised.

Everything the fake was given is recorded (`requests`, `prompts`, `grammars`, `warmed`) so a
test can assert that a grammar was used or that the system prompt was warmed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias

from voicetools.backends.base import BaseLLM, Request
from voicetools.dialogue.prompt import call_text, last_user_message

Matcher: TypeAlias = str | re.Pattern[str] | Callable[[str], str | None]
"""A regex on the last user message, or a callable given the whole prompt that returns the
output (None when it does not apply)."""


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

    def add(self, when: Matcher, then: str) -> ScriptedLLM:
        """Add a rule (after the existing ones); returns self so rules can be chained."""
        if isinstance(when, str):
            when = re.compile(when, re.IGNORECASE)
        self._rules.append((when, then))
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
        text = self.answer(request.prompt)
        cuts = [i for i in (text.find(s) for s in request.stop if s) if i >= 0]
        if cuts:
            text = text[: min(cuts)]
        size = max(1, self.piece_size)
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        yield from pieces[: request.max_tokens]

    def _warm_impl(self, prefix: str) -> None:
        self.warmed.append(prefix)
