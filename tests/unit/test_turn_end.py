"""Ending a turn by its words (`dialogue.turn_end`, `runtime.early_end`): the rules, the
model's probability, the endpointer's hold, and the loop on fakes and a virtual clock."""

from __future__ import annotations

import asyncio
import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from engine_support import turn
from voice_support import drive

from voicetools.audio.vad import Endpointer, energy_probability
from voicetools.dialogue.clock import VirtualClock
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.turn_end import (
    ENDINGS,
    TurnEnd,
    by_rules,
    finished_probability,
    judge,
    probe_prompt,
    verdict,
)
from voicetools.runtime.speaker import inline
from voicetools.runtime.voice_loop import VoiceLoop, VoiceOptions
from voicetools.spec import load_agent
from voicetools.testing.fake_audio import FakeSTT, FakeTTS, tone
from voicetools.testing.scripted_llm import UNLIKELY, ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
RATE = 16_000


# -- the verdict -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["I want to book a table for", "Hi, I'd like to...", "It's for my", "Um, so, and", "the"],
)
def test_a_line_ending_in_a_dangling_word_is_never_finished(text: str) -> None:
    assert by_rules(text, confirming=False) == TurnEnd(False, "dangling word")
    assert by_rules(text, confirming=True) == TurnEnd(False, "dangling word")


@pytest.mark.parametrize(
    "text", ["Can you tell me where my order is?", "I'd like that.", "I think so", "Who is it"]
)
def test_words_that_can_end_a_sentence_are_left_to_the_model(text: str) -> None:
    assert by_rules(text, confirming=False) is None


def test_a_yes_or_no_is_finished_only_when_a_confirmation_is_pending() -> None:
    for said in ("Yes.", "Yes, please", "No, don't.", "Nope"):
        assert by_rules(said, confirming=True) == TurnEnd(True, "yes or no")
        assert by_rules(said, confirming=False) is None  # the model decides
    assert by_rules("Yes, but change the date to", confirming=True) == TurnEnd(
        False, "dangling word"
    )
    assert by_rules("Can you read it again", confirming=True) is None
    assert by_rules(" ... ", confirming=True) == TurnEnd(None, "no words")


def test_the_probability_is_cut_in_three() -> None:
    assert verdict(0.2) == TurnEnd(True, "model", 0.2)
    assert verdict(0.01).finished is True
    assert verdict(0.005) == TurnEnd(None, "model", 0.005)
    assert verdict(0.0019).finished is False
    assert finished_probability([math.log(0.3), math.log(0.2), UNLIKELY]) == pytest.approx(0.5)
    assert finished_probability([0.0, 0.0]) == 1.0


def test_the_probe_is_the_decisions_prompt_start_with_the_words_unpunctuated() -> None:
    prefix = "<|im_start|>system\nS<|im_end|>\n"
    assert probe_prompt(prefix, "Do you ship to Canada?") == (
        f"{prefix}<|im_start|>user\nDo you ship to Canada"
    )
    assert probe_prompt(prefix, "a table for... ").endswith("user\na table for")


def test_the_model_is_asked_for_the_endings_and_only_when_the_rules_cannot_tell() -> None:
    llm = ScriptedLLM().unfinished("for two$")
    said = asyncio.run(judge(llm, "P", "Do you ship to Canada?"))
    assert (said.finished, said.why) == (True, "model")
    assert llm.scored == [("P<|im_start|>user\nDo you ship to Canada", ENDINGS)]
    assert asyncio.run(judge(llm, "P", "A table for two.")).finished is False
    assert asyncio.run(judge(llm, "P", "A table for")).why == "dangling word"
    assert len(llm.scored) == 2  # the rule answered without the model
    assert asyncio.run(judge(None, "P", "Do you ship to Canada?")) == TurnEnd(None, "no model")


def test_the_engine_judges_against_the_conversation_and_changes_nothing() -> None:
    agent = load_agent(AGENTS / "order_support.yaml")
    llm = ScriptedLLM()
    engine = Engine(agent, llm, ToolRunner(agent, mock_all=True), today=date(2026, 5, 1))
    engine.greet()
    before = list(engine.conversation.history)
    assert asyncio.run(engine.turn_end("Where is my order?")).finished is True
    prompt = llm.scored[-1][0]
    assert prompt.startswith(engine.prefix) and prompt.endswith("user\nWhere is my order")
    assert asyncio.run(engine.turn_end("Where is my order?", model=False)).finished is None
    assert engine.conversation.history == before


# -- the endpointer ----------------------------------------------------------------------------


def quiet(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), np.float32)


def test_a_paused_turn_ends_now_with_the_audio_of_the_pause() -> None:
    endpointer = Endpointer(energy_probability(), min_silence_ms=500, pause_ms=200)
    assert endpointer.end_now() == []  # nothing to end
    events = endpointer.push(np.concatenate([tone(440, 0.6), quiet(0.25)]))
    start, pause = events
    assert (start.kind, pause.kind, endpointer.paused) == ("speech_start", "speech_pause", True)
    (end,) = endpointer.end_now()
    assert end.kind == "speech_end" and not end.forced
    assert (end.start_s, end.end_s) == (pause.start_s, pause.end_s)
    assert end.pcm is not None and pause.pcm is not None
    assert np.array_equal(end.pcm, pause.pcm)  # the speculation's audio: its work is reused
    assert not endpointer.speaking and endpointer.end_now() == []
    assert endpointer.push(quiet(1.0)) == []  # the silence that follows ends nothing more


def test_a_hold_lengthens_this_turns_silence_only_until_the_caller_goes_on() -> None:
    endpointer = Endpointer(energy_probability(), min_silence_ms=500, pause_ms=200)
    endpointer.push(np.concatenate([tone(440, 0.6), quiet(0.25)]))
    endpointer.hold(900)
    assert endpointer.push(quiet(0.5)) == []  # 0.75 s of silence: held
    kinds = [e.kind for e in endpointer.push(quiet(0.2))]
    assert kinds == ["speech_end"]  # at 0.9 s
    endpointer.push(np.concatenate([tone(440, 0.6), quiet(0.25)]))
    endpointer.hold(900)
    kinds = [e.kind for e in endpointer.push(np.concatenate([tone(440, 0.3), quiet(0.6)]))]
    assert kinds == ["speech_resume", "speech_pause", "speech_end"]  # the hold went with it
    endpointer.push(np.concatenate([tone(440, 0.6), quiet(0.25)]))
    endpointer.hold(900)
    endpointer.push(quiet(0.4))
    endpointer.release()  # 0.65 s of silence already: the usual end is due at once
    assert [e.kind for e in endpointer.push(quiet(0.04))] == ["speech_end"]


# -- the loop ----------------------------------------------------------------------------------

LINES = {
    440.0: "Do you ship to Canada?",
    520.0: "I want to book a table for",
    600.0: "two.",
    680.0: "Where is my order?",
    550.0: "four four seven",
    660.0: "one nine",
}


def heard(pcm: np.ndarray) -> str:
    """FakeSTT's rule: the words of every tone in the audio, in order of pitch."""
    spectrum = np.abs(np.fft.rfft(pcm))
    hz = np.fft.rfftfreq(len(pcm), 1 / RATE)

    def present(pitch: float) -> bool:
        near = spectrum[np.abs(hz - pitch) < 5]
        return near.size > 0 and near.max() > 0.2 * spectrum.max()

    order = (440.0, 680.0, 520.0, 600.0, 550.0, 660.0)
    return " ".join(LINES[p] for p in order if present(p))


def run_call(
    parts: list[tuple[float, float]], model: type[ScriptedLLM] = ScriptedLLM, **options: Any
) -> tuple[list[dict[str, Any]], VoiceLoop]:
    """The caller's tones (pitch, seconds; pitch 0 is silence) after 4 s for the greeting."""
    clock = VirtualClock()
    agent = load_agent(AGENTS / "order_support.yaml")
    llm = model().on_call("where is my order", "get_order_status", order_id="123456789")
    llm.on_call("44719", "get_order_status", order_id="44719")
    llm.add("tool_response", "It has shipped.")
    llm.add("canada|table", "Sure.")
    voice = VoiceOptions(**options)
    runner = ToolRunner(agent, mock_all=True)
    engine = Engine(
        agent, llm, runner, today=date(2026, 5, 1), clock=clock, options=voice.engine_options()
    )
    records: list[dict[str, Any]] = []
    loop = VoiceLoop(
        engine,
        FakeSTT(rule=heard),
        FakeTTS(tone_hz=1000.0),
        energy_probability(-40.0),
        clock=clock,
        options=voice,
        emit=records.append,
        blocking=inline,
    )
    loop.prepare()
    pieces = [quiet(4.0)] + [tone(p, s) if p else quiet(s) for p, s in parts] + [quiet(6.0)]

    drive(loop, clock, np.concatenate(pieces))
    return records, loop


def users(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == "user"]


def endpointing(records: list[dict[str, Any]]) -> list[float]:
    return [r["latency"]["endpointing_s"] for r in records if r["type"] == "stats"]


def test_a_finished_sentence_ends_at_the_early_pause() -> None:
    records, _ = run_call([(440.0, 1.2)])
    (user,) = users(records)
    assert (user["text"], user["turn_end"], user["turn_end_why"]) == (
        "Do you ship to Canada?",
        "early",
        "model",
    )
    (waited,) = endpointing(records)
    assert waited == pytest.approx(0.224, abs=0.04)  # the 192 ms pause and one frame
    records, _ = run_call([(440.0, 1.2)], turn_end=False)  # off: as before
    assert "turn_end" not in users(records)[0]
    assert endpointing(records) == [pytest.approx(0.5, abs=0.04)]


def test_a_caller_who_pauses_after_a_dangling_word_stays_one_turn() -> None:
    said = [(520.0, 1.2), (0.0, 0.7), (600.0, 0.5)]
    records, _ = run_call(said)
    assert [u["text"] for u in users(records)] == ["I want to book a table for two."]
    assert users(records)[0]["turn_end"] == "early"  # "... two" sounded finished
    records, _ = run_call(said, turn_end=False)  # the 500 ms silence cut it in two
    assert [u["text"] for u in users(records)] == ["I want to book a table for", "two."]


def test_a_turn_that_sounds_unfinished_waits_longer() -> None:
    records, _ = run_call([(520.0, 1.2)])
    (user,) = users(records)
    assert (user["turn_end"], user["turn_end_why"]) == ("held", "dangling word")
    assert endpointing(records) == [pytest.approx(0.9, abs=0.04)]


def test_digits_never_end_early() -> None:
    # "Where is my order?" -> "What's your order number?"; then the digits, in two groups
    said = [(680.0, 1.2), (0.0, 8.0), (550.0, 1.0), (0.0, 0.8), (660.0, 0.8)]
    records, loop = run_call(said)
    first, digits = users(records)
    assert first["turn_end"] == "early"
    assert digits["text"] == "four four seven one nine" and digits["expected"] == "digits"
    assert "turn_end" not in digits
    assert endpointing(records)[1] == pytest.approx(1.2, abs=0.04)
    llm = loop.engine.parts.llm
    assert isinstance(llm, ScriptedLLM)
    probes = [prompt for prompt, endings in llm.scored if endings == ENDINGS]
    assert probes and not any("four four seven" in prompt for prompt in probes)  # not asked


def test_the_hold_is_never_shorter_than_the_usual_silence() -> None:
    records, _ = run_call([(520.0, 1.2)], min_silence_ms=1500)
    assert endpointing(records) == [pytest.approx(1.5, abs=0.04)]


def test_a_yes_to_a_pending_confirmation_ends_the_turn_without_the_model(probe_log: Path) -> None:
    agent = load_agent(Path(__file__).resolve().parents[1] / "data" / "agents" / "consent.yaml")
    llm = ScriptedLLM(default="Anything else?").unfinished("yes")
    llm.on_call("delete the note milk", "delete_note", note="milk")
    engine = Engine(agent, llm, ToolRunner(agent), today=date(2026, 11, 18))
    assert asyncio.run(engine.turn_end("Yes.")).finished is False  # nothing pending: the model
    turn(engine, "please delete the note milk")
    assert engine.conversation.pending is not None
    scored = len(llm.scored)
    assert asyncio.run(engine.turn_end("Yes.")) == TurnEnd(True, "yes or no")
    assert asyncio.run(engine.turn_end("No, don't.")) == TurnEnd(True, "yes or no")
    assert len(llm.scored) == scored and probe_log.read_text() == ""


class FailingScorer(ScriptedLLM):
    """Scores nothing: every probe raises, as a broken backend would."""

    def score_continuations(self, prompt: str, continuations: Any) -> list[float]:
        if tuple(continuations) == ENDINGS:
            raise RuntimeError("scoring broke")
        return super().score_continuations(prompt, continuations)


def test_a_failing_probe_leaves_the_turn_to_the_silence() -> None:
    records, _ = run_call([(440.0, 1.2)], FailingScorer)
    (user,) = users(records)
    assert user["text"] == "Do you ship to Canada?" and "turn_end" not in user
    assert endpointing(records) == [pytest.approx(0.5, abs=0.04)]
