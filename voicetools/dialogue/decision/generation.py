"""One model decision, streamed: a reply sentence by sentence, or one whole tool call.

The LLM seam is synchronous (llama.cpp blocks while it computes), so generation runs in a
daemon thread that hands pieces to the event loop; the loop stays free to time fillers and to
notice a barge-in. Under the decision grammar the first character tells the two apart: a reply
can never start with `<`, a call always does.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from voicetools.backends.base import LLM
from voicetools.dialogue.decision.prompt import STOP

_DONE = object()
THREAD = "voicetools-llm"
"""The name of every thread that runs the model (tests wait while one is alive)."""
_T = TypeVar("_T")
_LOCKS: weakref.WeakKeyDictionary[object, threading.Lock] = weakref.WeakKeyDictionary()
"""One generation at a time per model: llama.cpp contexts are not thread-safe, and a stopped
generation's thread may still be finishing its last token when the next one starts."""


def _lock_for(llm: LLM) -> threading.Lock:
    lock = _LOCKS.get(llm)
    if lock is None:
        lock = _LOCKS[llm] = threading.Lock()
    return lock


@dataclass(frozen=True)
class GenerationOptions:
    """Sampling settings for every decision of a session (deterministic by default)."""

    max_reply_tokens: int = 120
    """A spoken reply is one or two sentences; cut off a model that rambles."""
    max_call_tokens: int = 256
    temperature: float = 0.0
    seed: int = 0


def warm_locked(llm: LLM, prefix: str) -> None:
    """`llm.warm(prefix)` (blocking) once no generation is running: a stopped stream's thread
    may still be finishing its last token, and llama.cpp aborts on two decodes at once."""
    with _lock_for(llm):
        llm.warm(prefix)


async def run_locked(llm: LLM, work: Callable[[], _T]) -> _T:
    """`work()` (a blocking call on `llm`, e.g. scoring) in a worker thread, under the model's
    lock, so it never overlaps a generation still finishing in another thread.

    The thread is named like a generation's (`THREAD`), so every moment the model works shows
    as one kind of thread: the tests' virtual clocks stand still then (in a pool thread waiting
    for the GIL, virtual time ran on by 0.4 s once the turn-end probe came before a decision).
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[_T] = loop.create_future()
    lock = _lock_for(llm)

    def settle(value: object, failed: bool) -> None:
        if done.done():  # the awaiting task was cancelled
            return
        if failed:
            done.set_exception(value)  # type: ignore[arg-type]
        else:
            done.set_result(value)  # type: ignore[arg-type]

    def locked() -> None:
        try:
            with lock:
                value: object = work()
            failed = False
        except BaseException as exc:  # noqa: BLE001 - re-raised in the event loop
            value, failed = exc, True
        try:
            loop.call_soon_threadsafe(settle, value, failed)
        except RuntimeError:  # the loop has closed: nobody awaits the result
            pass

    threading.Thread(target=locked, name=THREAD, daemon=True).start()
    return await done


async def stream_pieces(
    llm: LLM,
    prompt: str,
    grammar: str | None,
    max_tokens: int,
    options: GenerationOptions,
    stop_at: tuple[str, ...] = STOP,
) -> AsyncIterator[str]:
    """The model's pieces, generated in a worker thread; closing the iterator stops the model."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue()
    stop = threading.Event()
    lock = _lock_for(llm)  # taken here, in the event loop's thread, so creating it cannot race

    def work() -> None:
        with lock:
            generate()

    def post(item: object) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop has closed: a stopped stream's reader is long gone
            pass

    def generate() -> None:
        pieces: Iterator[str] = llm.stream(
            prompt,
            grammar=grammar,
            max_tokens=max_tokens,
            stop=stop_at,
            temperature=options.temperature,
            seed=options.seed,
        )
        try:
            for piece in pieces:
                post(piece)
                if stop.is_set():
                    break
        except BaseException as exc:  # noqa: BLE001 - re-raised in the event loop below
            post(exc)
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
            post(_DONE)

    threading.Thread(target=work, name=THREAD, daemon=True).start()
    try:
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, str)
            yield item
    finally:
        stop.set()
