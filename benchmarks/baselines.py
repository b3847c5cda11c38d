"""What the product is measured against; nothing in `voicetools` uses these.

- `GrammarDecider` (`benchmarks/decisions.py`, setup `grammar`): one generation under a grammar
  that allows a plain reply or one schema-valid call in the model's native `<tool_call>`
  format, and lets the model choose. The product routes first (`RouteDecider`) because with
  this one the small model almost never calls.
- `WholeReply` (`benchmarks/latency.py`, mode `naive`): a voice turn that keeps every line
  back until the engine's turn is over, then synthesises all of them, then plays them: the
  loop without streaming.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Callable, Sequence

from voicetools.backends.base import LLM
from voicetools.backends.speech import AudioChunk
from voicetools.dialogue.decision.decider import Call, Item, Malformed, Situation
from voicetools.dialogue.decision.generation import GenerationOptions, stream_pieces
from voicetools.dialogue.decision.prompt import Message, parse_call, render
from voicetools.dialogue.events import Say
from voicetools.dialogue.grammar.schema import decision_grammar, reply_only_grammar
from voicetools.errors import VoicetoolsError
from voicetools.runtime.speaker import Speaker, Spoken
from voicetools.spec.model import Function

log = logging.getLogger(__name__)


class GrammarDecider:
    """One generation under the reply-or-call grammar; the model picks."""

    def __init__(self) -> None:
        self._grammars: dict[tuple[str, ...], str] = {}

    def grammar(self, functions: Sequence[Function], allow_calls: bool) -> str:
        key = tuple(f.name for f in functions) if allow_calls and functions else ()
        if key not in self._grammars:
            chosen = decision_grammar(functions) if key else reply_only_grammar()
            self._grammars[key] = chosen.text
        return self._grammars[key]

    def prefix(
        self, system: str, functions: Sequence[Function], history: Sequence[Message] = ()
    ) -> str:
        """The plain system turn, then `history`: this decider's prompt starts that way."""
        return render([Message("system", system), *history], generation_prompt=False)

    async def decide(
        self, llm: LLM, situation: Situation, options: GenerationOptions
    ) -> AsyncGenerator[Item, None]:
        grammar = self.grammar(situation.functions, situation.allow_calls)
        prompt = render([Message("system", situation.system), *situation.history])
        limit = options.max_call_tokens if situation.allow_calls else options.max_reply_tokens
        text, is_call = "", None
        async for piece in stream_pieces(llm, prompt, grammar, limit, options):
            text += piece
            if is_call is None and text.strip():
                # Under the grammar a reply can never start with "<" and a call always does.
                is_call = text.lstrip().startswith("<")
            if is_call is False:
                yield piece
        if is_call:
            try:
                parsed = parse_call(text)
            except ValueError as exc:
                raise Malformed(str(exc)) from None
            if parsed is None:
                raise Malformed("output is neither a reply nor a call")
            yield Call(*parsed)


class WholeReply:
    """The naive delivery: hold every line, then synthesise them all, then start playing."""

    def holds(self, say: Say) -> bool:
        return True

    async def speak_held(
        self, speaker: Speaker, says: Sequence[Say], turn: int, t: float
    ) -> list[Spoken]:
        began = speaker.clock.now()
        made: list[tuple[Spoken, list[AudioChunk]]] = []
        for say in says:
            try:
                chunks = await speaker.blocking(_whole(speaker, say.text))
            except VoicetoolsError as exc:
                log.warning("TTS failed on %r: %s", say.text, exc)
                chunks = []
            made.append((Spoken(say, t, turn, []), chunks))
        for spoken, chunks in made:
            spoken.first_chunk_s = speaker.clock.now() - began
            for chunk in chunks:
                speaker.place(spoken, chunk)
        return [spoken for spoken, _ in made]


def _whole(speaker: Speaker, text: str) -> Callable[[], list[AudioChunk]]:
    return lambda: list(speaker.tts.synthesize(text))
