"""Preemptive turn start: transcribe (and let the model decide) while the caller only paused.

The endpointer needs `min_silence_ms` of silence to be sure a turn is over, but most of that
wait is spent on a turn that is in fact over. So at `speech_pause` (a shorter silence) the loop
starts a `Speculation` on the audio so far: STT in a worker thread, then the engine's first
decision as a `HeadStart` (`voicetools.dialogue.head_start`), which only reads the
conversation. Then:

- `speech_resume` (the caller goes on): `discard()`; the transcript and the decision are
  dropped; nothing was said, run or written to the history, so there is nothing to undo;
- `speech_end` with the very same audio (`matches`): the turn reuses the transcript and hands
  the head start to `engine.turn`, which adopts it only if the conversation has not changed;
- `speech_end` with other audio (a forced cut, a resumed turn): `discard()` and start afresh.

The decision starts only when no earlier turn is still running or being cleaned up (`idle`),
because the history it reads may still change; the transcript is always worth having.

With `judge_end`, the transcript is first judged for whether the caller's words sound finished
(`Engine.turn_end`, before the decision, whose prompt starts with the same tokens): the loop
then ends the turn at once or holds it open (`runtime.early_end`). The model is asked only
when idle, for the same reason as the decision; otherwise the rules alone answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from voicetools.audio.hallucination import Verdict
from voicetools.backends.speech import STT
from voicetools.dialogue import Clock, Engine, HeadStart, TurnEnd
from voicetools.runtime.listening import hear
from voicetools.runtime.speaker import Blocking

log = logging.getLogger(__name__)


class Speculation:
    """STT and a first decision on a paused utterance; see the module docstring."""

    def __init__(
        self,
        start_s: float,
        end_s: float,
        pcm: np.ndarray,
        *,
        engine: Engine,
        stt: STT,
        blocking: Blocking,
        clock: Clock,
        idle: Callable[[], bool],
        after: asyncio.Future[Any] | None = None,
        prompt: str | None = None,
        judge_end: bool = False,
    ) -> None:
        self.start_s, self.end_s, self.pcm = start_s, end_s, pcm
        self.judge_end = judge_end
        """Judge whether the words sound finished (`turn_end`) before deciding."""
        self.turn_end: TurnEnd | None = None
        """With `judge_end`: the verdict on the transcript, once ready."""
        self.prompt = prompt
        """The recognizer's prompt for this turn (`runtime.listening`)."""
        self.engine, self.stt, self.blocking, self.clock = engine, stt, blocking, clock
        self.idle = idle
        self.began_s = clock.now()
        self.stt_done_s: float | None = None
        """Timeline position when the transcript was ready."""
        self.text: str | None = None
        """The cleaned transcript, once ready."""
        self.verdict: Verdict | None = None
        """Whether the transcript may be acted on (`audio.hallucination`), once ready."""
        self.head_start: HeadStart | None = None
        self.discarded = False
        self.task = asyncio.ensure_future(self._run(after))
        self.task.add_done_callback(_retrieve)

    async def _run(self, after: asyncio.Future[Any] | None) -> None:
        if after is not None:  # one STT at a time: the CPU has no room for two
            await asyncio.wait({after})
        if self.discarded:  # voided while waiting for the earlier STT: skip this one
            return
        self.text, self.verdict = await self.blocking(lambda: hear(self.stt, self.pcm, self.prompt))
        self.stt_done_s = self.clock.now()
        log.debug(
            "%.2f speculation on %.2f-%.2f heard %r (%s)",
            self.stt_done_s,
            self.start_s,
            self.end_s,
            self.text,
            self.verdict.check,
        )
        heard = bool(self.text) and self.verdict.safe and not self.discarded
        if self.judge_end:
            self.turn_end = await self._judge_end() if heard else TurnEnd(None, "nothing heard")
        # a line the turn will drop is not worth a decision (nor the CPU it takes)
        if heard and not self.discarded and self.idle():
            self.head_start = self.engine.speculate(self.text)

    async def _judge_end(self) -> TurnEnd:
        """The verdict on the transcript; a model that fails gives none (the transcript is
        still good, and the turn must not fail with the probe)."""
        try:
            return await self.engine.turn_end(self.text or "", model=self.idle())
        except Exception:  # noqa: BLE001 - the usual silence then ends the turn
            log.exception("the turn-end probe failed")
            return TurnEnd(None, "probe failed")

    @property
    def busy(self) -> bool:
        """Still transcribing (the head start's decision runs on its own)."""
        return not self.task.done()

    def matches(self, start_s: float, end_s: float, pcm: np.ndarray) -> bool:
        """Whether the confirmed utterance is exactly the audio this speculation heard."""
        return (
            not self.discarded
            and (start_s, end_s) == (self.start_s, self.end_s)
            and np.array_equal(pcm, self.pcm)
        )

    async def transcript(self) -> tuple[str, Verdict | None]:
        """The cleaned transcript and its verdict (waits for STT if it is still running)."""
        await asyncio.wait({self.task})
        self.task.result()  # STT errors surface in the turn, as without a speculation
        return self.text or "", self.verdict

    def take_head_start(self) -> HeadStart | None:
        """The decision for the turn to adopt (once; None if none was started)."""
        head, self.head_start = self.head_start, None
        return head

    def discard(self) -> None:
        """The caller went on: drop everything (the STT thread finishes on its own)."""
        self.discarded = True
        if self.head_start is not None:
            self.head_start.cancel()
            self.head_start = None


class Preemptor:
    """The voice loop's one current `Speculation`: started at a pause, voided by a resume."""

    def __init__(
        self,
        engine: Engine,
        stt: STT,
        blocking: Blocking,
        clock: Clock,
        *,
        idle: Callable[[], bool],
    ) -> None:
        self.engine, self.stt, self.blocking, self.clock, self.idle = (
            engine,
            stt,
            blocking,
            clock,
            idle,
        )
        self.current: Speculation | None = None

    @property
    def busy(self) -> bool:
        """Transcribing or deciding: real work, which fast mode must not skip over."""
        spec = self.current
        if spec is None:
            return False
        return spec.busy or (spec.head_start is not None and not spec.head_start.done)

    def pause(
        self,
        start_s: float,
        end_s: float,
        pcm: np.ndarray,
        prompt: str | None = None,
        *,
        judge_end: bool = False,
    ) -> Speculation:
        """The caller paused: start on the audio so far (after any earlier STT is done),
        heard with the turn's recognizer `prompt`, its end judged if `judge_end`."""
        previous = self.current
        self.discard()
        self.current = Speculation(
            start_s,
            end_s,
            pcm,
            engine=self.engine,
            stt=self.stt,
            blocking=self.blocking,
            clock=self.clock,
            idle=self.idle,
            after=previous.task if previous else None,
            prompt=prompt,
            judge_end=judge_end,
        )
        return self.current

    def discard(self) -> None:
        """The caller went on: the current speculation is void."""
        if self.current is not None:
            self.current.discard()
            self.current = None

    def take(self) -> Speculation | None:
        """Hand the current speculation to the turn the endpointer just confirmed."""
        spec, self.current = self.current, None
        return spec


def _retrieve(task: asyncio.Task[None]) -> None:
    """Mark a discarded speculation's failure as seen (a kept one re-raises in the turn)."""
    if not task.cancelled():
        task.exception()
