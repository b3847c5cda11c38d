"""The text call: caller lines in, engine events out (printed, written, counted).

The same engine the voice loop drives; here each caller turn is a line of text, read from a
terminal prompt or from piped stdin (one line per turn, ending at EOF or when the agent ends
the call). Rendering is a callback so the CLI owns how it looks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

from voicetools.dialogue import Engine, Event
from voicetools.runtime.stats import SessionStats
from voicetools.runtime.transcript import TranscriptWriter

Show = Callable[[Event], None]


async def run_text_call(
    engine: Engine,
    lines: Iterator[str] | Callable[[], str | None],
    show: Show,
    *,
    transcript: TranscriptWriter | None = None,
    stats: SessionStats | None = None,
) -> None:
    """Greet, then one turn per caller line until the lines run out or the call ends.

    `lines` is an iterator of lines, or a function returning the next line (None at EOF) that
    may block (a terminal prompt): it is called in a worker thread.
    """
    start = engine.clock.now()

    def emit(event: Event, turn_start: float) -> None:
        show(event)
        if transcript is not None:
            transcript.write(event, offset_s=turn_start - start)
        if stats is not None:
            stats.add(event)

    for event in engine.greet():
        emit(event, start)
    while not engine.ended:
        line = await _next_line(lines)
        if line is None:
            break
        text = line.strip()
        if not text:
            continue
        turn_start = engine.clock.now()
        async for event in engine.turn(text):
            emit(event, turn_start)


async def _next_line(lines: Iterator[str] | Callable[[], str | None]) -> str | None:
    if callable(lines):
        return await asyncio.to_thread(lines)
    return next(lines, None)
