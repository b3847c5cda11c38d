"""The LLM seam: one low-level protocol that the dialogue engine drives on every backend.

The engine builds the whole prompt text itself (`dialogue.decision.prompt`) and constrains the
output with a GBNF grammar (`dialogue.grammar.schema`), so a backend only has to turn text
into streamed text. That keeps local llama.cpp, an OpenAI-compatible server and the scripted fake
interchangeable, and keeps chat templates out of the backends.

`BaseLLM` owns what every backend needs the same way (livekit-agents style: a public method in
the base, `_stream_impl` in the subclass): timing (time to first piece, pieces per second) and
translating outside exceptions into `BackendError`, so a broken model or server never reaches
the user as a traceback.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from voicetools.errors import BackendError, VoicetoolsError

INSTALL_HINT = "pip install 'voicetools[llm]'"


@runtime_checkable
class LLM(Protocol):
    """Anything that continues a prompt, optionally under a grammar, as streamed text."""

    def stream(
        self,
        prompt: str,
        *,
        grammar: str | None = None,
        max_tokens: int = 256,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
        seed: int = 0,
    ) -> Iterator[str]:
        """Yield the continuation of `prompt` in pieces as they are generated.

        `stop` strings end generation and are not yielded; temperature 0 is greedy.
        """
        ...

    def warm(self, prefix: str) -> None:
        """Evaluate `prefix` now so later prompts starting with it pay only for new tokens."""
        ...


@runtime_checkable
class ScoresContinuations(Protocol):
    """Optional: an LLM that can say how likely each of a few continuations of a prompt is.

    Why: choosing between a handful of actions (reply, or one of the functions) by comparing
    their probabilities costs one prompt evaluation, lets code add a calibrated bias (a small
    model over-calls), and gives the benchmark a margin to tune. Backends without it (a plain
    OpenAI-compatible server) fall back to a grammar-constrained greedy choice
    (`voicetools.dialogue.decision.route`).
    """

    def score_continuations(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """Log-probability of each continuation after `prompt`, summed over its tokens up to
        and including the first token that tells it apart from every other continuation
        (the rest is then near-certain and not evaluated). One value per continuation."""
        ...


@dataclass(frozen=True)
class Request:
    """One generation, as `_stream_impl` receives it."""

    prompt: str
    grammar: str | None
    max_tokens: int
    stop: tuple[str, ...]
    temperature: float
    seed: int


@dataclass(frozen=True)
class GenerationStats:
    """Timing of one `stream` call (also of one `warm`, with no pieces)."""

    prompt_chars: int
    """Length of the prompt."""
    first_piece_s: float | None
    """Seconds from the call to the first piece; None when nothing was generated."""
    total_s: float
    """Seconds from the call to the last piece (or to the end of `warm`)."""
    pieces: int
    """Pieces yielded: one per token on llama.cpp and on most servers."""
    chars: int
    """Characters yielded."""
    finished: bool
    """False when the consumer stopped reading early or an error ended the stream."""


class BaseLLM(ABC):
    """Timing and error translation around a backend's `_stream_impl` and `_warm_impl`."""

    label = "llm"
    """Names the backend in error messages."""

    def __init__(self) -> None:
        self.last_stats: GenerationStats | None = None
        self.on_stats: Callable[[GenerationStats], None] | None = None
        """Called after each stream or warm, e.g. to feed the `--stats` summary."""

    def stream(
        self,
        prompt: str,
        *,
        grammar: str | None = None,
        max_tokens: int = 256,
        stop: Sequence[str] = (),
        temperature: float = 0.0,
        seed: int = 0,
    ) -> Iterator[str]:
        if max_tokens < 1:
            raise ValueError("max_tokens must be at least 1")
        request = Request(prompt, grammar, max_tokens, tuple(stop), temperature, seed)
        return self._timed(request)

    def complete(self, prompt: str, **options: object) -> str:
        """The whole continuation as one string (same options as `stream`)."""
        return "".join(self.stream(prompt, **options))  # type: ignore[arg-type]

    def warm(self, prefix: str) -> None:
        start = time.perf_counter()
        with self._translated():
            self._warm_impl(prefix)
        self._record(GenerationStats(len(prefix), None, time.perf_counter() - start, 0, 0, True))

    def _timed(self, request: Request) -> Iterator[str]:
        start = time.perf_counter()
        first: float | None = None
        pieces = chars = 0
        finished = False
        try:
            with self._translated():
                for piece in self._stream_impl(request):
                    if not piece:
                        continue
                    if first is None:
                        first = time.perf_counter() - start
                    pieces += 1
                    chars += len(piece)
                    yield piece
            finished = True
        finally:
            total = time.perf_counter() - start
            size = len(request.prompt)
            self._record(GenerationStats(size, first, total, pieces, chars, finished))

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Our own errors pass; any other exception becomes a `BackendError` naming the backend."""
        try:
            yield
        except VoicetoolsError:
            raise
        except Exception as exc:
            raise BackendError(f"{self.label}: {type(exc).__name__}: {exc}") from exc

    def _record(self, stats: GenerationStats) -> None:
        self.last_stats = stats
        if self.on_stats is not None:
            self.on_stats(stats)

    @abstractmethod
    def _stream_impl(self, request: Request) -> Iterator[str]:
        """Yield generated text pieces; honour grammar, stop, max_tokens, temperature, seed."""

    def _warm_impl(self, prefix: str) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Evaluate `prefix` ahead of time; backends without a prompt cache do nothing."""
