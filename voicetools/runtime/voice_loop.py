"""The voice call: caller audio in, one engine, agent audio placed on the call's timeline.

    caller frames -> Endpointer (Silero) -> speech_end -> VoiceTurn task: STT (thread)
      -> engine.turn(text) -> Say -> Speaker (prepared phrase, or TTS sentence by sentence)
      -> AgentTrack (the agent's side of the call, on the timeline)

The loop itself only listens and keeps order, one caller frame (32 ms) at a time:
- a `speech_end` starts a turn task; the loop keeps listening while it runs; a pause whose
  words sound finished ends the turn before the usual silence (`runtime.early_end`);
- a `speech_start` while the agent is talking (or about to: a turn is running) is a barge-in:
  playback stops there (`AgentTrack.cut`), the turn task is cancelled (its event stream is
  closed; running tools finish, none starts), then `engine.barge_in(heard)` marks the rest as
  not said; the next turn waits for that cleanup before it drives the engine;
- long silence: "Are you still there?" once, then a polite goodbye and the end of the call;
- a recording that ends is a caller who hung up (once the agent has finished speaking).
A turn that fails (a model error, a bug) is logged and recorded; the call goes on.

A recording (`numpy` array) is paced by the loop's clock: real time, or, with `fast`, idle
time skipped (`runtime.call_clock`). A live source (an async iterator of frames from the
microphone) paces itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any

import numpy as np

from voicetools.audio.echo import EchoCanceller
from voicetools.audio.vad import SpeechProbability, VadEvent
from voicetools.backends.speech import STT, STT_RATE, TTS
from voicetools.dialogue import SAY_AGAIN, Engine, Say
from voicetools.runtime.agent_track import AgentTrack
from voicetools.runtime.call_clock import Timeline
from voicetools.runtime.call_result import CallResult, spoken_record
from voicetools.runtime.early_end import EarlyEnd
from voicetools.runtime.preempt import Preemptor, Speculation
from voicetools.runtime.speaker import Blocking, Speaker, Spoken, in_thread, known_phrases
from voicetools.runtime.voice_latency import TurnLatency
from voicetools.runtime.voice_options import (
    SILENCE_GOODBYE,
    STILL_THERE,
    CallerInput,
    VoiceOptions,
)
from voicetools.runtime.voice_turn import Emit, Utterance, VoiceTurn

log = logging.getLogger(__name__)

LIVE_SLACK_S = 0.15
"""How far a microphone's sample count may trail the clock (a few blocks' jitter) unfixed."""

__all__ = ["STILL_THERE", "CallResult", "VoiceLoop", "VoiceOptions"]


class VoiceLoop:
    """Drives one engine with caller audio; see the module docstring. One call per instance.

    The engine must run on the call's `clock` and be built with `options.engine_options()`.
    """

    def __init__(
        self,
        engine: Engine,
        stt: STT,
        tts: TTS,
        vad: SpeechProbability,
        *,
        clock: Timeline,
        options: VoiceOptions | None = None,
        emit: Emit | None = None,
        on_latency: Callable[[TurnLatency], None] | None = None,
        blocking: Blocking = in_thread,
    ) -> None:
        self.options = options or VoiceOptions()
        if engine.clock is not clock:
            raise ValueError("the engine must run on the call's clock (build it with clock=...)")
        if engine.options != self.options.engine_options(engine.options):
            raise ValueError("build the call's engine with options=VoiceOptions.engine_options()")
        self.clock = clock
        self.engine = engine
        self.stt = stt
        self.blocking = blocking
        self.track = AgentTrack()
        self.speaker = Speaker(tts, self.track, self.clock, blocking=blocking)
        self.echo = EchoCanceller() if self.options.echo_cancel else None
        self.endpointer = self.options.endpointer(vad)
        self.listening = self.options.listening(engine.expected)
        """How the caller's next turn is heard: set after each turn (`runtime.listening`)."""
        self.records: list[dict[str, Any]] = []
        self._emit_to = emit
        self.on_latency = on_latency
        self.latencies: list[TurnLatency] = []
        self._unsettled: list[Spoken] = []
        self._turn: VoiceTurn | None = None
        self._task: asyncio.Task[None] | None = None
        self._cleanup: asyncio.Task[None] | None = None
        self.preemptor = Preemptor(engine, stt, blocking, self.clock, idle=self._idle)
        judged = self.options.turn_end and self.options.preempt_ms is not None
        self.early = (
            EarlyEnd(self.endpointer, unfinished_ms=self.options.unfinished_silence_ms)
            if judged
            else None
        )
        """Ends a turn at a pause by its words (`runtime.early_end`); None: by silence only."""
        self._quiet_since = 0.0
        self._prompted = False
        self._ended: str | None = None

    def prepare(self) -> None:
        """Synthesise every known phrase now, before the call (see `runtime.speaker`)."""
        extra = (STILL_THERE, SAY_AGAIN)
        phrases = known_phrases(self.engine.agent, self.engine.filler, extra)
        self.speaker.prepare([*phrases, SILENCE_GOODBYE])

    def emit(self, data: dict[str, Any]) -> None:
        self.records.append(data)
        if self._emit_to is not None:
            self._emit_to(data)

    # -- the call ----------------------------------------------------------------------------

    async def run(self, caller: np.ndarray | AsyncIterator[np.ndarray]) -> CallResult:
        """The whole call, from the greeting to its end; `caller` is 16 kHz mono float32."""
        self.clock.reset()
        heard: list[np.ndarray] = []
        for say in self.engine.greet():
            if isinstance(say, Say):
                await self._say(say)
        self._listen()
        pushed = 0
        source = CallerInput(caller, self.endpointer.frame_samples, self._flush)
        async with aclosing(source.frames()) as frames:  # closed now: the mic stops at the end
            async for frame, live in frames:
                if not live:
                    await self._until((pushed + len(frame)) / STT_RATE)
                gap = self._behind_the_clock(pushed + len(frame)) if live else None
                if self.echo is not None:  # the player tells it what the speaker played
                    frame = self.echo.process(frame)
                for block in (frame,) if gap is None else (gap, frame):
                    pushed += len(block)
                    heard.append(block)
                    for event in self.endpointer.push(block):
                        self._on_vad(event)
                for event in self.early.poll() if self.early is not None else ():
                    self._on_vad(event)  # the words at the pause are finished
                await self._tick(ended_input=not live and source.over)
                if self._ended is not None:
                    break
        self.preemptor.discard()  # a pause never confirmed: its decision must not linger
        if self._task is not None:  # a live source ran out mid-turn: let the turn finish
            await asyncio.wait({self._task})
        self._settle(final=True)
        caller_pcm = np.concatenate(heard) if heard else np.zeros(0, np.float32)
        return CallResult(
            caller_pcm,
            self.track,
            self.latencies,
            self._ended or "hangup",
            max(self.clock.now(), self.track.playhead_s),
            self.records,
        )

    def _behind_the_clock(self, samples_after: int) -> np.ndarray | None:
        """Silence that puts a live source back on the call's clock, or None.

        Caller times are sample counts; the agent's audio is placed by the clock. A microphone
        that starts after the clock, or loses blocks on a busy machine, falls behind: on the
        first live run (the microphone opened after the greeting) it was ~1 s, counted as STT
        time, and a barge-in would have cut the agent where it had been a second earlier. The
        gap is filled only between utterances, never inside one.
        """
        lag_s = self.clock.now() - samples_after / STT_RATE
        if lag_s < LIVE_SLACK_S or self.endpointer.speaking:
            return None
        return np.zeros(round(lag_s * STT_RATE), np.float32)

    async def _until(self, at_s: float) -> None:
        """Wait for timeline position `at_s`: skipped when idle in fast mode."""
        wait = at_s - self.clock.now()
        if wait <= 0:
            await asyncio.sleep(0)
        elif self.options.fast and not self._busy:
            self.clock.advance(wait)
            await asyncio.sleep(0)
        else:
            await self.clock.sleep(wait)

    def _flush(self) -> None:
        for event in self.endpointer.flush():
            self._on_vad(event)

    @property
    def _busy(self) -> bool:
        """Working (not idle time, which fast mode skips): a turn, its cleanup, a speculation."""
        return self.preemptor.busy or not self._idle()

    def _idle(self) -> bool:
        return all(t is None or t.done() for t in (self._task, self._cleanup))

    def _on_vad(self, event: VadEvent) -> None:
        if self.engine.ended:  # the goodbye plays to its end, whatever the caller says over it
            return
        if event.kind == "speech_start":
            self._prompted = False
            running = self._task is not None and not self._task.done()
            if self.track.sounding(event.at_s) or running:
                self._barge_in(event.at_s)
            return
        if event.kind == "speech_resume":  # the caller went on: the pause was not the end
            self.preemptor.discard()
            if self.early is not None:
                self.early.resume()
            return
        assert event.pcm is not None
        end_s = event.end_s or event.at_s
        if event.kind == "speech_pause":
            # digit groups sound finished one by one: they keep the longer silence instead
            judge = self.early is not None and not self.listening.spoken_digits
            prompt = self.listening.prompt
            spec = self.preemptor.pause(event.start_s, end_s, event.pcm, prompt, judge_end=judge)
            if judge and self.early is not None:
                self.early.pause(spec, self.listening.min_silence_ms)
            return
        turn_end = self.early.take() if self.early is not None else None
        self._start_turn(Utterance(event.start_s, end_s, event.at_s, event.pcm, turn_end))

    def _start_turn(self, utterance: Utterance) -> None:
        number = (self._turn.number if self._turn else 0) + 1
        turn = VoiceTurn(
            number,
            utterance,
            engine=self.engine,
            stt=self.stt,
            speaker=self.speaker,
            emit=self.emit,
            on_spoken=self._spoken,
            blocking=self.blocking,
            delivery=self.options.delivery,
            filler=self.options.filler,
            max_gap_s=self.options.max_gap_s,
            listening=self.listening,
        )
        self._turn = turn
        speculation = self.preemptor.take()
        self._task = asyncio.ensure_future(self._drive(turn, self._cleanup, speculation))

    async def _drive(
        self, turn: VoiceTurn, after: asyncio.Task[None] | None, speculation: Speculation | None
    ) -> None:
        try:
            await turn.run(after, speculation)
        except asyncio.CancelledError:
            self._finish(turn, interrupted=True)
            raise
        except Exception as exc:  # noqa: BLE001 - a failed turn must not end the call
            log.exception("turn %d failed", turn.number)
            self.emit({"type": "error", "t": round(self.clock.now(), 3), "message": str(exc)})
        self._finish(turn, interrupted=False)

    def _listen(self) -> None:
        """Hear the next turn as the agent's last question expects (`runtime.listening`)."""
        self.listening = self.options.listening(self.engine.expected)
        self.endpointer.set_min_silence(self.listening.min_silence_ms)

    def _finish(self, turn: VoiceTurn, *, interrupted: bool) -> None:
        self._listen()
        latency = turn.finish(self.track, interrupted=interrupted)
        self.latencies.append(latency)
        if self.on_latency is not None:
            self.on_latency(latency)

    def _barge_in(self, at_s: float) -> None:
        """The caller spoke over the agent: stop playback, drop the turn, tell the engine."""
        touched = self.track.cut(at_s)
        number = self._turn.number if self._turn else 0
        heard = " ".join(
            text
            for s in self.track.segments
            if s.turn == number and s.say.kind != "filler" and (text := s.heard_text())
        )
        self.emit(
            {
                "type": "barge_in",
                "t": round(at_s, 3),
                "heard": heard,
                "dropped": [s.text for s in touched],
            }
        )
        task, turn = self._task, self._turn
        told = bool(touched) or (turn is not None and turn.engine_started)

        async def cleanup() -> None:
            if task is not None and not task.done():
                task.cancel()
                await asyncio.wait({task})
            if told or (turn is not None and turn.engine_started):
                self.engine.barge_in(heard)

        self._cleanup = asyncio.ensure_future(cleanup())

    # -- silence, the end, the transcript ------------------------------------------------------

    async def _tick(self, *, ended_input: bool) -> None:
        now = self.clock.now()
        self._settle()
        if self._busy or self.endpointer.speaking or self.track.sounding(now):
            self._quiet_since = now
            return
        if self.engine.ended:
            self._ended = self._ended or "end_call"
        elif now >= self.options.max_call_s:
            self.emit({"type": "end", "reason": "max_duration", "t": round(now, 3)})
            self._ended = "max_duration"
        elif ended_input and self.options.hangup_at_end:
            self.emit({"type": "end", "reason": "hangup", "t": round(now, 3)})
            self._ended = "hangup"
        elif now - self._quiet_since >= self.options.silence_s:
            await self._on_silence()
            self._quiet_since = now

    async def _on_silence(self) -> None:
        if not self._prompted:
            self._prompted = True
            await self._say(self.engine.say_unprompted(STILL_THERE))
            return
        await self._say(self.engine.say_unprompted(SILENCE_GOODBYE, "goodbye"))
        self.engine.conversation.end()
        self.emit({"type": "end", "reason": "silence", "t": round(self.clock.now(), 3)})
        self._ended = "silence"

    def _spoken(self, spoken: Spoken) -> None:
        self._unsettled.append(spoken)

    async def _say(self, say: Say) -> None:
        number = self._turn.number if self._turn else 0
        self._unsettled.append(await self.speaker.speak(say, number, self.clock.now()))

    def _settle(self, *, final: bool = False) -> None:
        """Write each `Say` to the transcript once its audio is final (played, or cut)."""
        now = self.clock.now()
        keep: list[Spoken] = []
        for spoken in self._unsettled:
            segments = spoken.segments
            cut = any(s.cut_s is not None for s in segments)
            if final or cut or all(s.end_s <= now for s in segments):
                self.emit(spoken_record(spoken))
            else:
                keep.append(spoken)
        self._unsettled = keep
