"""The voice loop with fakes on a virtual clock: caller tones in, agent audio on the timeline.

A caller "utterance" is a sine (FakeSTT maps its pitch to words), the VAD is an energy gate,
the agent's voice is FakeTTS (15 characters per second), tools sleep on the virtual clock. The
driver moves virtual time only while no model thread is working, so the model takes no virtual
time and positions are exact to the driver's 10 ms step.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from voice_support import drive

from benchmarks.baselines import WholeReply
from voicetools.audio.vad import energy_probability
from voicetools.dialogue import SAY_AGAIN
from voicetools.dialogue.clock import VirtualClock
from voicetools.dialogue.engine import Engine
from voicetools.language import clean_transcript
from voicetools.runtime.speaker import inline
from voicetools.runtime.voice_loop import STILL_THERE, CallResult, VoiceLoop, VoiceOptions
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.testing.fake_audio import FakeSTT, FakeTTS, tone
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
RATE = 16_000
TONES = {
    440.0: "What's the status of order 4,521?",
    660.0: "Thanks, goodbye.",
    880.0: "",
    550.0: "What are your hours?",
    770.0: "Wait, stop.",
}


class SlowRunner(ToolRunner):
    """The real runner (mocks), after `seconds` of virtual time; records what ran."""

    def __init__(self, clock: VirtualClock, seconds: float, agent: Agent, **options: Any) -> None:
        super().__init__(agent, **options)
        self.clock, self.seconds = clock, seconds
        self.ran: list[str] = []

    async def run(self, call: ToolCall) -> ToolResult:
        await self.clock.sleep(self.seconds)
        self.ran.append(call.name)
        return await super().run(call)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), np.float32)


def make_loop(
    llm: ScriptedLLM,
    tool_s: float = 0.0,
    *,
    tones: dict[float, str] = TONES,
    vad_dbfs: float = -40.0,
    **options: Any,
) -> tuple[VoiceLoop, VirtualClock, SlowRunner, list[dict[str, Any]]]:
    clock = VirtualClock()
    agent = load_agent(AGENTS / "order_support.yaml")
    mocks = {"get_order_status": {"order_id": "4521", "status": "shipped"}}
    runner = SlowRunner(clock, tool_s, agent, mocks=mocks, mock_all=True)
    voice = VoiceOptions(**options)
    engine = Engine(
        agent,
        llm,
        runner,
        today=date(2026, 5, 1),
        clock=clock,
        options=voice.engine_options(),
    )
    records: list[dict[str, Any]] = []
    loop = VoiceLoop(
        engine,
        FakeSTT(tones=tones),
        FakeTTS(tone_hz=1000.0),
        energy_probability(vad_dbfs),
        clock=clock,
        options=voice,
        emit=records.append,
        blocking=inline,
    )
    loop.prepare()
    return loop, clock, runner, records


def order_llm() -> ScriptedLLM:
    llm = ScriptedLLM().on_call("order 4521", "get_order_status", order_id="4521")
    llm.add("tool_response", "Your order has shipped. It should arrive on Friday.")
    llm.on_call("goodbye", "end_call")
    llm.add("hours", "We open at eight in the morning. We close at six in the evening.")
    return llm


def of(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == kind]


def test_thousands_separators_are_removed_and_empty_text_ignored() -> None:
    assert clean_transcript(" Order 4,521, please. ") == "Order 4521, please."
    assert clean_transcript("1,234,567 and 3, 4") == "1234567 and 3, 4"
    assert clean_transcript(" ... ") == ""


def test_an_utterance_becomes_a_turn_with_timeline_positions() -> None:
    # the silence alone ends the turn here (test_turn_end.py has the early end)
    loop, clock, runner, records = make_loop(order_llm(), turn_end=False)
    audio = np.concatenate(
        [silence(4.0), tone(440, 1.5), silence(8.0), tone(660, 1.0), silence(1.0)]
    )
    result = drive(loop, clock, audio)
    users = of(records, "user")
    assert [u["text"] for u in users] == ["What's the status of order 4521?", "Thanks, goodbye."]
    assert users[0]["speech_start"] == pytest.approx(4.0, abs=0.05)
    assert users[0]["speech_end"] == pytest.approx(5.5, abs=0.05)
    assert [c["arguments"] for c in of(records, "tool_call")][0] == {"order_id": "4521"}
    greeting, *agent = of(records, "agent")
    assert greeting["audio_start"] == 0.0 and greeting["role"] == "greeting"
    answer = agent[0]
    assert answer["text"] == "Your order has shipped."
    assert answer["audio_start"] >= users[0]["speech_end"] + 0.5  # after endpointing
    assert answer["audio_end"] == pytest.approx(
        answer["audio_start"] + len(answer["text"]) / 15, abs=0.01
    )
    assert agent[1]["audio_start"] == pytest.approx(answer["audio_end"], abs=0.01)  # back to back
    assert agent[-1]["role"] == "goodbye" and result.ended == "end_call"
    first = result.latencies[0]
    assert first.endpointing_s == pytest.approx(0.5, abs=0.04)
    (filler,) = of(records, "filler")  # on a call the tool's filler plays at once, even fast
    assert filler["audio_start"] == pytest.approx(of(records, "tool_call")[0]["t"], abs=0.02)
    assert filler["audio_end"] <= answer["audio_start"]
    assert first.voice_to_voice_s == pytest.approx(filler["audio_start"] - 5.5, abs=0.05)
    stats = of(records, "stats")
    assert stats[0]["latency"]["voice_to_voice_s"] == pytest.approx(first.voice_to_voice_s)
    # the call as it sounded: the agent's tone only where the agent spoke
    mixed = result.audio()
    start = round((answer["audio_start"] + 0.2) * RATE)
    assert np.abs(mixed[start : start + 800]).max() > 0.2
    assert np.abs(result.audio(stereo_out=True)[start : start + 800, 0]).max() == 0.0


def test_the_filler_is_heard_before_the_answer_of_a_slow_tool() -> None:
    loop, clock, _, records = make_loop(order_llm(), tool_s=2.0)
    result = drive(loop, clock, np.concatenate([silence(4.0), tone(440, 1.5), silence(12.0)]))
    filler, *more = of(records, "filler")
    answer = of(records, "agent")[1]
    assert filler["text"] == "Let me check that for you..."
    tool_at = of(records, "tool_call")[0]["t"]
    assert filler["audio_start"] == pytest.approx(tool_at, abs=0.03)  # prepared: no TTS wait
    assert all(f["audio_end"] <= answer["audio_start"] for f in [filler, *more])
    latency = result.latencies[0]
    assert latency.filler_start_s is not None and latency.dead_air_s is not None
    assert latency.filler_start_s < answer["audio_start"] - 5.5
    assert latency.dead_air_s < answer["audio_start"] - 5.5  # the filler broke the silence


def test_barge_in_cuts_playback_and_marks_the_unheard_rest() -> None:
    loop, clock, runner, records = make_loop(order_llm())
    # "what are your hours" ends at 5.0; the reply starts at ~5.5; the caller speaks at 7.0
    audio = np.concatenate(
        [silence(4.0), tone(550, 1.0), silence(2.0), tone(770, 0.8), silence(6.0)]
    )
    result = drive(loop, clock, audio)
    (barge,) = of(records, "barge_in")
    cut_at = barge["t"]
    assert cut_at == pytest.approx(7.1, abs=0.05)  # 100 ms of speech to be sure
    first = of(records, "agent")[1]
    assert first["interrupted"] and first["audio_end"] == pytest.approx(cut_at, abs=0.01)
    assert 0 < len(first["heard"].split()) < len(first["text"].split())
    heard = [s for s in result.track.segments if s.turn == 1 and s.heard]
    assert heard and all(s.end_s <= cut_at + 1e-6 for s in heard)  # the rest is dropped
    history = [m.content for m in loop.engine.conversation.history if m.role == "assistant"]
    assert f"{first['heard']} —" in history  # what was heard, cut off
    assert "We close at six" not in " ".join(history)


def test_barge_in_while_the_model_decides_runs_no_tool() -> None:
    llm = order_llm()
    loop, clock, runner, records = make_loop(llm)
    release = threading.Event()
    original = llm._stream_impl

    def slow(request: Any) -> Any:  # the model is still deciding when the caller speaks again
        release.wait(5)
        yield from original(request)

    llm._stream_impl = slow  # type: ignore[method-assign]
    audio = np.concatenate([silence(4.0), tone(440, 1.0), silence(0.6), tone(770, 0.5)])

    async def main() -> CallResult:
        task = asyncio.ensure_future(loop.run(audio))
        while not of(records, "barge_in"):
            await asyncio.sleep(0)
            clock.advance(0.005)
        release.set()
        while not task.done():
            await asyncio.sleep(0.001)
            clock.advance(0.01)
        return task.result()

    result = asyncio.run(main())
    assert runner.ran == [] and of(records, "tool_call") == []
    assert result.latencies[0].interrupted
    assert not any(m.content.startswith("<tool_call>") for m in loop.engine.conversation.history)


def test_long_silence_asks_once_then_ends_politely() -> None:
    loop, clock, _, records = make_loop(order_llm(), silence_s=5.0, hangup_at_end=False)
    result = drive(loop, clock, silence(30.0))
    said = [r["text"] for r in of(records, "agent")]
    assert said[1] == STILL_THERE and said.count(STILL_THERE) == 1
    prompt = of(records, "agent")[1]
    greeting_end = of(records, "agent")[0]["audio_end"]
    assert prompt["audio_start"] == pytest.approx(greeting_end + 5.0, abs=0.05)
    assert of(records, "agent")[-1]["role"] == "goodbye"
    assert result.ended == "silence" and of(records, "end")[0]["reason"] == "silence"


def test_an_empty_transcript_is_ignored() -> None:
    loop, clock, _, records = make_loop(order_llm())
    result = drive(loop, clock, np.concatenate([silence(4.0), tone(880, 0.5), silence(2.0)]))
    assert of(records, "user") == [] and len(of(records, "ignored")) == 1
    assert len(loop.engine.conversation.history) == 1  # the greeting only
    assert result.ended == "hangup"


def test_a_60_second_turn_is_cut_and_answered_and_tts_junk_is_not_fatal() -> None:
    llm = ScriptedLLM([("hours", "🎉🎉 **<b></b>**"), ("goodbye", "Bye!")])
    loop, clock, _, records = make_loop(llm, max_speech_s=10.0)
    audio = np.concatenate([silence(4.0), tone(550, 14.0), silence(1.0)])
    drive(loop, clock, audio)
    user, rest = of(records, "user")  # cut at the limit; the caller's next words: a new turn
    assert user["speech_end"] - user["speech_start"] == pytest.approx(10.0, abs=0.05)
    assert rest["speech_end"] == pytest.approx(18.0, abs=0.05)
    assert any(r.get("silent") for r in of(records, "agent"))  # nothing speakable, no crash


def test_a_pause_starts_the_turn_early_and_the_confirmed_turn_reuses_that_work() -> None:
    llm = order_llm()
    loop, clock, runner, records = make_loop(llm)
    stt = loop.stt
    assert isinstance(stt, FakeSTT)
    result = drive(loop, clock, np.concatenate([silence(4.0), tone(440, 1.5), silence(8.0)]))
    assert len(stt.heard) == 1  # transcribed once, at the pause
    assert result.latencies[0].preempted
    assert result.latencies[0].stt_s == pytest.approx(0.0, abs=0.02)
    first_decisions = [p for p in llm.decisions if "tool_response" not in p]
    assert len(first_decisions) == 1  # the model decided once: the head start was adopted
    assert runner.ran == ["get_order_status"]
    assert of(records, "agent")[1]["text"] == "Your order has shipped."


def test_speech_after_the_pause_discards_the_early_work_and_runs_no_tool_from_it() -> None:
    llm = order_llm().unfinished("order 4521$")  # else the turn would end at the pause
    loop, clock, runner, records = make_loop(llm)
    stt = loop.stt
    assert isinstance(stt, FakeSTT)
    # "order 4521" (a tool turn), a 300 ms pause (> 200 ms preempt, < 500 ms end), then more
    # speech that makes it a question about hours: the early decision (a call) must not run
    audio = np.concatenate(
        [silence(4.0), tone(440, 0.8), silence(0.3), tone(550, 1.6), silence(8.0)]
    )
    result = drive(loop, clock, audio)
    assert len(stt.heard) == 2  # at each pause: the first part, then the whole turn
    assert any("order 4521" in p for p in llm.decisions)  # the early decision did start
    assert runner.ran == [] and of(records, "tool_call") == []
    assert [u["text"] for u in of(records, "user")] == ["What are your hours?"]
    assert not any(
        m.content.startswith("<tool_call>") or "4521" in m.content
        for m in loop.engine.conversation.history
    )
    assert result.latencies[0].preempted  # the second pause's work, on the whole turn
    assert of(records, "agent")[1]["text"].startswith("We open at eight")


def test_without_preemption_the_turn_waits_for_the_full_silence() -> None:
    loop, clock, _, records = make_loop(order_llm(), preempt_ms=None)
    result = drive(loop, clock, np.concatenate([silence(4.0), tone(550, 1.0), silence(6.0)]))
    assert not result.latencies[0].preempted
    assert of(records, "agent")[1]["audio_start"] >= 5.0 + 0.5


@pytest.mark.parametrize("tool_s", [0.0, 1.0, 4.0, 7.0])
def test_no_agent_silence_longer_than_max_gap_before_the_answer(tool_s: float) -> None:
    loop, clock, runner, records = make_loop(order_llm(), tool_s=tool_s, max_gap_s=0.8)
    result = drive(loop, clock, np.concatenate([silence(4.0), tone(440, 1.5), silence(20.0)]))
    latency = result.latencies[0]
    assert runner.ran == ["get_order_status"]
    assert latency.dead_air_s is not None and latency.dead_air_s <= 0.8 + 0.05
    fillers = [f["text"] for f in of(records, "filler")]
    assert all(a != b for a, b in zip(fillers, fillers[1:], strict=False))  # never twice in a row
    answer = of(records, "agent")[1]
    assert answer["text"] == "Your order has shipped."
    assert all(f["audio_end"] <= answer["audio_start"] for f in of(records, "filler"))
    if tool_s >= 4.0:  # a slow tool: more than one line, and they stop once the result is in
        assert len(fillers) >= (2 if tool_s < 7.0 else 4)
        assert all(f["audio_start"] <= 5.5 + 0.5 + tool_s + 0.9 for f in of(records, "filler"))


def test_without_max_gap_a_slow_tool_gets_only_the_plans_first_line() -> None:
    loop, clock, _, records = make_loop(order_llm(), tool_s=4.0, max_gap_s=None)
    result = drive(loop, clock, np.concatenate([silence(4.0), tone(440, 1.5), silence(20.0)]))
    assert len(of(records, "filler")) == 1
    assert result.latencies[0].dead_air_s is not None and result.latencies[0].dead_air_s > 2.0


def test_a_reply_starts_with_its_first_clause_on_a_call_only() -> None:
    from voicetools.dialogue.turn import first_clause

    assert first_clause("Sure, I can check", 4) == ([], "Sure, I can check")
    assert first_clause("Your order 4,521 has shipped, and it", 4) == (
        ["Your order 4,521 has shipped,"],
        "and it",
    )
    # a date is said in one breath: "May 8," and "2026." apart sound like two answers
    for written in ("Your order 4521 shipped on May 8, 2026", "Your order shipped on May 8, "):
        assert first_clause(written, 4) == ([], written)  # the year may come in the next piece
    llm = ScriptedLLM([("hours", "We are open every weekday, from eight to six. Thanks!")])
    loop, clock, _, records = make_loop(llm)
    drive(loop, clock, np.concatenate([silence(4.0), tone(550, 1.0), silence(6.0)]))
    said = [r["text"] for r in of(records, "agent")][1:]
    assert said == ["We are open every weekday,", "from eight to six.", "Thanks!"]
    history = [m.content for m in loop.engine.conversation.history if m.role == "assistant"]
    assert history[-1] == "We are open every weekday, from eight to six. Thanks!"


def test_a_tool_that_speaks_for_itself_gets_no_keep_alive_filler() -> None:
    loop, clock, _, records = make_loop(order_llm(), max_gap_s=0.3)
    drive(loop, clock, np.concatenate([silence(4.0), tone(660, 1.0), silence(3.0)]))
    assert [c["name"] for c in of(records, "tool_call")] == ["end_call"]
    assert of(records, "filler") == []  # end_call's goodbye comes alone
    assert of(records, "agent")[-1]["role"] == "goodbye"


def test_a_microphone_that_starts_late_is_put_on_the_call_clock_and_closed_at_the_end() -> None:
    loop, clock, _, records = make_loop(order_llm(), hangup_at_end=False)
    audio = np.concatenate([silence(3.0), tone(440, 1.0), silence(8.0), tone(660, 0.8)])
    closed = []

    async def microphone() -> Any:
        opened = 1.0  # after the greeting was synthesised, say
        try:
            for i in range(0, len(audio) + 10 * RATE, 512):
                # a block arrives once it has been recorded, on the sound card's clock
                await clock.sleep(opened + (i + 512) / RATE - clock.now())
                yield np.pad(audio[i : i + 512], (0, 512))[:512]
        finally:
            closed.append(True)

    async def main() -> CallResult:
        task = asyncio.ensure_future(loop.run(microphone()))
        while not task.done():
            for _ in range(10):
                await asyncio.sleep(0)
            clock.advance(0.01)
        return task.result()

    result = asyncio.run(main())
    greeting = of(records, "agent")[0]
    assert greeting["audio_end"] < 4.0 and not greeting.get("interrupted")
    assert of(records, "barge_in") == []  # by its sample count the caller spoke at 3.0 s
    first = of(records, "user")[0]
    assert first["speech_start"] == pytest.approx(4.0, abs=0.1)  # the clock's 4.0 s
    assert result.ended == "end_call" and closed == [True]  # the microphone was released


def test_the_goodbye_plays_to_its_end_whatever_the_caller_says_over_it() -> None:
    loop, clock, _, records = make_loop(order_llm())
    # "Thanks, goodbye." ends at 4.8; the goodbye starts ~5.3; "Wait, stop." at 6.0
    audio = np.concatenate(
        [silence(4.0), tone(660, 0.8), silence(1.2), tone(770, 1.0), silence(4.0)]
    )
    result = drive(loop, clock, audio)
    goodbye = [r for r in of(records, "agent") if r.get("role") == "goodbye"]
    assert goodbye and not goodbye[0].get("interrupted"), records
    assert goodbye[0]["audio_start"] < 6.0 < goodbye[0]["audio_end"]  # it was spoken over
    assert of(records, "barge_in") == [] and result.ended == "end_call"


def _hours_answer(**options: Any) -> list[dict[str, Any]]:
    """The two-sentence hours reply, each sentence taking 1 s of (virtual) synthesis."""
    loop, clock, _, records = make_loop(order_llm(), filler=False, preempt_ms=None, **options)
    tts = loop.speaker.tts
    assert isinstance(tts, FakeTTS)
    tts.on_sentence = lambda sentence: clock.advance(1.0)
    drive(loop, clock, np.concatenate([silence(4.0), tone(550, 1.5), silence(8.0)]))
    return [r for r in of(records, "agent") if r.get("role") != "greeting"]


def test_the_naive_baseline_plays_nothing_before_the_whole_reply_is_synthesised() -> None:
    streamed = _hours_answer()
    whole = _hours_answer(delivery=WholeReply())
    assert [r["text"] for r in whole] == [r["text"] for r in streamed]
    assert len(whole) == 2
    # streamed: the first sentence plays once it is made; whole: once both are
    delay = whole[0]["audio_start"] - streamed[0]["audio_start"]
    assert delay == pytest.approx(1.0, abs=0.05)


LOOPED = "Order 4521 " + " ".join(["please"] * 27)
"""A repetition loop that still names an order: the engine would look it up if it saw it."""


@pytest.mark.parametrize("preempt_ms", [200.0, None])
def test_a_looped_transcript_is_dropped_and_the_caller_asked_to_repeat(
    preempt_ms: float | None,
) -> None:
    llm = order_llm()
    loop, clock, runner, records = make_loop(
        llm, tones={**TONES, 330.0: LOOPED}, preempt_ms=preempt_ms
    )
    audio = np.concatenate(
        [silence(4.0), tone(330, 2.0), silence(6.0), tone(440, 1.5), silence(8.0)]
    )
    result = drive(loop, clock, audio)
    (dropped,) = of(records, "ignored")
    assert dropped["check"] == "repetition" and dropped["text"] == LOOPED
    assert dropped["reason"] == "repetition loop: 'please' x27"
    assert dropped["speech_start"] == pytest.approx(4.0, abs=0.05)
    said = [r["text"] for r in of(records, "agent")]
    assert said[1] == SAY_AGAIN  # asked at once, as a prepared phrase
    assert of(records, "agent")[1]["audio_start"] == pytest.approx(6.5, abs=0.05)
    # nothing was decided or run on it: the model first heard the caller's next turn
    assert not any("please please" in p for p in llm.decisions)
    assert runner.ran == ["get_order_status"]
    (call,) = of(records, "tool_call")
    assert call["t"] > 11.5  # the second utterance's, not the loop's
    assert [u["text"] for u in of(records, "user")] == ["What's the status of order 4521?"]
    history = loop.engine.conversation.history
    assert not any("please please" in m.content for m in history)
    assert [m.content for m in history if m.role == "assistant"][1] == SAY_AGAIN
    assert said[2] == "Your order has shipped."  # the call went on
    assert result.latencies[0].voice_to_voice_s == pytest.approx(0.5, abs=0.05)


def test_a_normal_transcript_passes_the_judge() -> None:
    loop, clock, runner, records = make_loop(order_llm())
    drive(loop, clock, np.concatenate([silence(4.0), tone(440, 1.5), silence(8.0)]))
    assert of(records, "ignored") == []
    assert SAY_AGAIN not in [r["text"] for r in of(records, "agent")]
    assert runner.ran == ["get_order_status"]


def test_text_over_near_silence_is_dropped() -> None:
    # a VAD that fires on line noise (-70 dBFS), and a recognizer that hears "Thank you." in
    # it, as Whisper does; then a caller who says "goodbye" at a normal level
    llm = order_llm()
    faint = {300.0: "Thank you. Goodbye."}
    loop, clock, runner, records = make_loop(llm, tones={**TONES, **faint}, vad_dbfs=-70.0)
    noise = tone(300, 1.5, amplitude=10 ** (-60 / 20))  # -63 dBFS RMS
    audio = np.concatenate([silence(4.0), noise, silence(6.0), tone(660, 1.0), silence(4.0)])
    result = drive(loop, clock, audio)
    (dropped,) = of(records, "ignored")
    assert dropped["check"] == "near_silence" and dropped["text"] == "Thank you. Goodbye."
    assert "loudest -63 dBFS" in dropped["reason"]
    assert [r["text"] for r in of(records, "agent")][1] == SAY_AGAIN
    assert [u["text"] for u in of(records, "user")] == ["Thanks, goodbye."]
    assert not any("Thank you. Goodbye." in p for p in llm.decisions)
    assert result.ended == "end_call"  # by the real goodbye, later
    (call,) = of(records, "tool_call")
    assert call["t"] > 11.0


def test_a_looped_yes_does_not_answer_a_confirmation_question() -> None:
    # a looped "yes" is still a yes to a naive reader: it must not run the call it would confirm
    llm = ScriptedLLM().on_call("ticket", "create_support_ticket", issue="broken lid")
    llm.add("tool_response", "Done, your ticket is open.")
    lines = {
        350.0: "Please open a ticket, the lid is broken.",
        500.0: " ".join(["Yes."] * 9),
        620.0: "Yes, please.",
    }
    loop, clock, _, records = make_loop(llm, tones=lines)
    audio = np.concatenate(
        [
            silence(4.0),
            tone(350, 1.5),
            silence(8.0),
            tone(500, 1.5),
            silence(6.0),
            tone(620, 0.8),
            silence(8.0),
        ]
    )
    drive(loop, clock, audio)
    said = [r["text"] for r in of(records, "agent")]
    assert said[1:3] == ['Should I open a ticket about "broken lid"?', SAY_AGAIN]
    (dropped,) = of(records, "ignored")
    assert dropped["check"] == "repetition" and dropped["speech_start"] == pytest.approx(13.5, 0.05)
    results = [(r["t"], r["result"].get("status")) for r in of(records, "tool_result")]
    assert [status for _, status in results] == ["confirmation_required", None]
    assert results[1][0] > 19.5  # run by the real "Yes, please.", not by the loop
    assert loop.engine.conversation.pending is None
    assert said[-1] == "Done, your ticket is open."
