"""One voice turn: the caller's utterance -> STT -> `engine.turn(text)` -> speech on the timeline.

The voice loop (`runtime.voice_loop`) runs each turn as a task, so it can keep listening and
cancel the task on barge-in. Cancelling is safe by construction: the engine's event stream is
closed in `finally` (a generation still running stops, and the engine never runs a call from a
decision it did not finish reading), while a tool already running finishes (`dialogue.calling`
shields it). Everything the turn learns about timing lives on the `VoiceTurn` object, so an
interrupted turn still reports the latency it had.

A transcript is judged against its audio before the engine sees it (`audio.hallucination`): a
repetition loop, words on near-silence or more words than the audio could hold never reach the
engine as the caller's words. The agent asks the caller to say it again instead (`SAY_AGAIN`,
kept in the history like any line), and the record `ignored` keeps the dropped text and the
reason; nothing is decided or run on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from voicetools.audio.hallucination import Verdict
from voicetools.backends.speech import STT
from voicetools.dialogue import (
    SAY_AGAIN,
    Clock,
    Engine,
    Event,
    Say,
    ToolCalled,
    ToolReturned,
    TurnEnd,
    TurnStats,
    UserTurn,
)
from voicetools.runtime.agent_track import AgentTrack
from voicetools.runtime.keep_alive import KeepAlive
from voicetools.runtime.listening import Listening, hear
from voicetools.runtime.speaker import Blocking, Delivery, Speaker, Spoken
from voicetools.runtime.voice_latency import TurnLatency

if TYPE_CHECKING:
    from voicetools.dialogue import HeadStart
    from voicetools.runtime.preempt import Speculation

Emit = Callable[[dict[str, Any]], None]
"""Receives each transcript record (a JSON-ready dict) as it becomes final."""


@dataclass(frozen=True)
class Utterance:
    """One caller turn, as the endpointer closed it (timeline seconds)."""

    start_s: float
    end_s: float
    """Where the speech stopped."""
    decided_s: float
    """Where the endpointer decided the turn was over."""
    pcm: np.ndarray
    turn_end: TurnEnd | None = None
    """The verdict on the words at the caller's pause that ended the turn early or held it
    open (`runtime.early_end`); None: the silence alone ended it."""


class VoiceTurn:
    """State and timing of one turn; `run()` is the task the loop may cancel."""

    def __init__(
        self,
        number: int,
        utterance: Utterance,
        *,
        engine: Engine,
        stt: STT,
        speaker: Speaker,
        emit: Emit,
        on_spoken: Callable[[Spoken], None],
        blocking: Blocking,
        delivery: Delivery | None = None,
        filler: bool = True,
        max_gap_s: float | None = None,
        listening: Listening | None = None,
    ) -> None:
        self.number = number
        self.utterance = utterance
        self.engine = engine
        self.stt = stt
        self.speaker = speaker
        self.emit = emit
        self.on_spoken = on_spoken
        self.blocking = blocking
        self.delivery = delivery
        """Holds lines back to the end of the turn (a benchmark's baseline); None: none."""
        self.filler = filler
        self.max_gap_s = max_gap_s
        """Longest agent silence allowed once a tool is called (None: no keep-alive fillers)."""
        self.listening = listening
        """How this turn was heard: the recognizer's prompt, the silence that ended it."""
        self.latency = TurnLatency(number, endpointing_s=utterance.decided_s - utterance.end_s)
        self.text = ""
        self.verdict: Verdict | None = None
        """Whether `text` may be acted on; None until transcribed."""
        self.spoken: list[Spoken] = []
        self.kept_alive: list[Spoken] = []
        """The keep-alive lines among `spoken` (`runtime.keep_alive`)."""
        self.final: Spoken | None = None
        """The first non-filler speech after the last tool result: the answer."""
        self.stats: TurnStats | None = None
        self.engine_started = False
        """Whether the engine got this turn (a barge-in before that leaves it untouched)."""

    @property
    def clock(self) -> Clock:
        return self.speaker.clock

    async def run(
        self, after: asyncio.Future[Any] | None = None, speculation: Speculation | None = None
    ) -> None:
        """Transcribe, wait for `after` (the previous turn's barge-in cleanup: one loop drives
        the engine at a time), then drive the engine and speak. An empty transcript ends here.

        A `speculation` started at the caller's pause (`runtime.preempt`) is reused when it
        heard exactly this utterance: its transcript, and its decision if the engine adopts it.
        """
        u = self.utterance
        if speculation is not None and speculation.matches(u.start_s, u.end_s, u.pcm):
            self.latency.preempted = True
            self.text, self.verdict = await speculation.transcript()
            head_start = speculation.take_head_start()
            try:
                await self._drive(after, head_start)
            finally:  # not handed to the engine (empty text, cancelled): stop the model
                if head_start is not None and not self.engine_started:
                    head_start.cancel()
            return
        if speculation is not None:
            speculation.discard()
            await asyncio.wait({speculation.task})  # its STT thread: one at a time
        prompt = self.listening.prompt if self.listening else None
        self.text, self.verdict = await self.blocking(lambda: hear(self.stt, u.pcm, prompt))
        await self._drive(after, None)

    async def _drive(self, after: asyncio.Future[Any] | None, head_start: HeadStart | None) -> None:
        """Wait for `after`, then drive the engine with `self.text` and speak its events."""
        # STT time the turn waited for: 0 when a speculation had it ready before the decision
        self.latency.stt_s = max(0.0, self.clock.now() - self.utterance.decided_s)
        if after is not None:
            await asyncio.wait({after})
        now = self.clock.now()
        if not self.text:
            self._ignored("empty transcript", now)
            return
        if self.verdict is not None and not self.verdict.safe:
            await self._say_again(self.verdict, now)
            return
        start = now
        waiting: list[Say] = []
        answer_next = True
        keeper = self._keep_alive()
        stream = self.engine.turn(self.text, head_start)
        self.engine_started = True
        try:
            async for event in stream:
                t = start + getattr(event, "at_s", 0.0)
                if isinstance(event, Say):
                    if event.kind == "filler" and not self.filler:
                        continue
                    if self.delivery is not None and self.delivery.holds(event):
                        waiting.append(event)
                        continue
                    if event.kind != "filler" and keeper is not None:
                        keeper.stop()  # the answer (or an error, a question) is here
                    spoken = await self.speaker.speak(event, self.number, t)
                    self._spoken(spoken, answer_next)
                    answer_next = answer_next and event.kind == "filler"
                    continue
                if isinstance(event, ToolCalled) and keeper is not None and self._fills(event):
                    keeper.start()
                if isinstance(event, ToolReturned):
                    answer_next, self.final = True, None
                if isinstance(event, TurnStats):
                    self.stats = event
                    continue
                self._record(event, t)
            if waiting and self.delivery is not None:
                held = await self.delivery.speak_held(self.speaker, waiting, self.number, start)
                for spoken in held:
                    self._spoken(spoken, answer_next and spoken.say.kind != "filler")
        finally:
            if keeper is not None:
                keeper.stop()
            await stream.aclose()  # stop it now, not when it is collected

    def _ignored(self, reason: str, now: float, **more: Any) -> None:
        """Record an utterance the engine was not given."""
        self.emit(
            {
                "type": "ignored",
                "reason": reason,
                **more,
                "t": round(now, 3),
                "speech_start": round(self.utterance.start_s, 3),
                "speech_end": round(self.utterance.end_s, 3),
            }
        )

    async def _say_again(self, verdict: Verdict, now: float) -> None:
        """Drop a transcript judged unsafe: record it, and ask the caller to repeat."""
        self._ignored(verdict.reason, now, check=verdict.check, text=self.text)
        say = self.engine.say_unprompted(SAY_AGAIN)
        self._spoken(await self.speaker.speak(say, self.number, now), True)

    def _fills(self, called: ToolCalled) -> bool:
        """Whether fillers suit this tool: not one that stays silent (end_call, transfer_call:
        they speak for themselves at once, and "Still on it." before a goodbye is wrong)."""
        function = self.engine.agent.function(called.name)
        return function is not None and bool(self.engine.filler.phrases_for(function))

    def _keep_alive(self) -> KeepAlive | None:
        """Fillers that bound the silence once a tool is called (`runtime.keep_alive`)."""
        if not (self.filler and self.max_gap_s is not None):
            return None
        return KeepAlive(
            speaker=self.speaker,
            track=self.speaker.track,
            planner=self.engine.filler,
            turn=self.number,
            quiet_from_s=self.utterance.end_s,
            max_gap_s=self.max_gap_s,
            on_spoken=self._kept_alive,
        )

    def _kept_alive(self, spoken: Spoken) -> None:
        self.kept_alive.append(spoken)
        self._spoken(spoken, False)

    def _spoken(self, spoken: Spoken, is_answer: bool) -> None:
        self.spoken.append(spoken)
        if spoken.first_chunk_s is not None and self.latency.tts_first_chunk_s is None:
            if spoken.say.kind != "filler":
                self.latency.tts_first_chunk_s = spoken.first_chunk_s
        if is_answer and spoken.say.kind != "filler" and self.final is None:
            self.final = spoken
        self.on_spoken(spoken)

    def _record(self, event: Event, t: float) -> None:
        data = event.to_json()
        data["t"] = round(t, 3)
        if isinstance(event, UserTurn):
            data["speech_start"] = round(self.utterance.start_s, 3)
            data["speech_end"] = round(self.utterance.end_s, 3)
            data["stt_s"] = round(self.latency.stt_s or 0.0, 3)
            if self.listening is not None and self.listening.expected != "none":
                data["expected"] = self.listening.expected  # heard as that kind of answer
            judged = self.utterance.turn_end
            if judged is not None and judged.finished is not None:
                data["turn_end"] = "early" if judged.finished else "held"
                data["turn_end_why"] = judged.why
                if judged.probability is not None:
                    data["turn_end_p"] = round(judged.probability, 4)
        self.emit(data)

    def finish(self, track: AgentTrack, *, interrupted: bool = False) -> TurnLatency:
        """Complete the latency figures from what was placed (and heard) on the timeline."""
        lat = self.latency
        lat.interrupted = interrupted
        end = self.utterance.end_s
        if self.stats is not None:
            lat.llm_first_token_s = self.stats.llm_first_piece_s
            lat.tool_s = self.stats.tool_s if self.stats.tool_s > 0 else None
        heard = [s for spoken in self.spoken for s in spoken.segments if s.heard]
        if heard:
            lat.voice_to_voice_s = min(s.start_s for s in heard) - end
        own = [
            s.start_s
            for spoken in self.spoken
            if not any(spoken is k for k in self.kept_alive)
            for s in spoken.segments
            if s.heard
        ]
        if own:
            lat.first_answer_s = min(own) - end
        fillers = [s.start_s for s in heard if s.say.kind == "filler"]
        if fillers:
            lat.filler_start_s = min(fillers) - end
        answer = [s.start_s for s in (self.final.segments if self.final else []) if s.heard]
        if answer:
            lat.dead_air_s = track.longest_gap(end, min(answer))
        data: dict[str, Any] = self.stats.to_json() if self.stats else {"type": "stats"}
        data.update({"t": round(self.clock.now(), 3), "latency": lat.to_json()})
        self.emit(data)
        return lat
