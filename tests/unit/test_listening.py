"""Listening with context: the recognizer's prompt and the end-of-turn wait follow the answer
the agent's last question expects (`runtime.listening`), on fakes and a virtual clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from voice_support import drive

from voicetools.audio.hallucination import copied_prompt
from voicetools.audio.vad import Endpointer, energy_probability
from voicetools.dialogue import ExpectedAnswer
from voicetools.dialogue.clock import VirtualClock
from voicetools.dialogue.engine import Engine
from voicetools.runtime.listening import hear, listening_for, stt_prompt
from voicetools.runtime.speaker import inline
from voicetools.runtime.voice_loop import VoiceLoop, VoiceOptions
from voicetools.spec import load_agent
from voicetools.testing.fake_audio import FakeSTT, FakeTTS, tone
from voicetools.testing.scripted_llm import ScriptedLLM
from voicetools.tools.runner import ToolRunner

AGENTS = Path(__file__).resolve().parents[2] / "agents"
RATE = 16_000
VOCABULARY = ("order status", "support ticket", "call")
DIGITS = ExpectedAnswer("digits", ("order_id",), "order number", (), VOCABULARY)


def test_the_prompt_holds_the_domain_words_then_the_answers_form() -> None:
    assert stt_prompt(DIGITS) == "Order number: 2 8 0 6 3."  # no domain words: the form alone
    date = ExpectedAnswer("date", ("date",), "date", (), VOCABULARY)
    assert stt_prompt(date) == "Order status, support ticket, call. Date: Friday, May 8th."
    enum = ExpectedAnswer("enum", ("service",), "service", ("checkup", "followup"), ("x ray",))
    assert stt_prompt(enum) == "X ray. Checkup, followup."
    assert stt_prompt(ExpectedAnswer("none", vocabulary=VOCABULARY)) == (
        "Order status, support ticket, call."
    )
    assert stt_prompt(ExpectedAnswer("free")) is None


@pytest.mark.parametrize(
    ("kind", "silence"),
    [("digits", 1200), ("phone", 1200), ("code", 1200), ("enum", 500), ("none", 500)],
)
def test_the_end_of_turn_wait_is_longer_only_for_digits_and_codes(kind: Any, silence: int) -> None:
    listening = listening_for(ExpectedAnswer(kind), min_silence_ms=500, digits_silence_ms=1200)
    assert (listening.expected, listening.min_silence_ms) == (kind, silence)


def test_the_longer_wait_never_shortens_a_longer_setting_and_can_be_off() -> None:
    assert listening_for(DIGITS, min_silence_ms=1500, digits_silence_ms=1200).min_silence_ms == 1500
    assert listening_for(DIGITS, min_silence_ms=500, digits_silence_ms=None).min_silence_ms == 500
    assert (
        listening_for(DIGITS, min_silence_ms=500, digits_silence_ms=1200, prompt=False).prompt
        is None
    )


@pytest.mark.parametrize(
    ("text", "copied"),
    [
        ("2 8 0 6 3.", "28063"),
        ("It's 28063", "28063"),
        ("Order number: 2 8 0 6 3.", "28063"),
        ("44719", None),
        ("I'd like an order status update", None),
        ("Call me about order 280", None),
    ],
)
def test_a_transcript_that_copies_its_prompt(text: str, copied: str | None) -> None:
    assert copied_prompt(text, stt_prompt(DIGITS)) == copied


def test_a_copied_run_of_domain_words() -> None:
    prompt = "Order status, support ticket, call."
    said = "Order status, support ticket, call."
    assert copied_prompt(said, prompt) == "order status support ticket"
    assert copied_prompt("I need a support ticket", prompt) is None


def test_a_copied_prompt_is_decoded_again_without_it() -> None:
    stt = FakeSTT(["Order number: 2 8 0 6 3.", "4471 9"])
    prompt = stt_prompt(DIGITS)
    text, verdict = hear(stt, tone(440, 1.0), prompt)
    assert (text, verdict.safe) == ("4471 9", True)
    assert stt.prompts == [prompt, None]
    stt = FakeSTT(["44719"])
    assert hear(stt, tone(440, 1.0), prompt)[0] == "44719" and stt.prompts == [prompt]


def test_the_endpointer_takes_a_new_silence_between_turns() -> None:
    endpointer = Endpointer(energy_probability(), min_silence_ms=500)
    speech_and_pause = np.concatenate([tone(440, 0.5), np.zeros(round(0.8 * RATE), np.float32)])
    kinds = [e.kind for e in endpointer.push(speech_and_pause)]
    assert kinds == ["speech_start", "speech_end"]
    endpointer.set_min_silence(1200)
    assert [e.kind for e in endpointer.push(speech_and_pause)] == ["speech_start"]


# -- the loop --------------------------------------------------------------------------------

WORDS = {440.0: "Where is my order?", 770.0: "What are your hours?"}
GROUPS = ((550.0, "four four seven"), (660.0, "one nine"))
"""The caller's digit groups, as tones: a turn holding both is heard as the whole number."""


def heard(pcm: np.ndarray) -> str:
    """FakeSTT's rule: the words of every tone in the utterance, in order."""
    spectrum = np.abs(np.fft.rfft(pcm))
    hz = np.fft.rfftfreq(len(pcm), 1 / RATE)

    def present(pitch: float) -> bool:
        near = spectrum[np.abs(hz - pitch) < 5]
        return near.size > 0 and near.max() > 0.2 * spectrum.max()

    opening = [text for pitch, text in WORDS.items() if present(pitch)]
    return " ".join(opening + [text for pitch, text in GROUPS if present(pitch)])


def run_call(first: float) -> tuple[list[str], FakeSTT]:
    """The caller says `first`'s line, then "four four seven" (0.8 s) "one nine"."""
    clock = VirtualClock()
    agent = load_agent(AGENTS / "order_support.yaml")
    llm = ScriptedLLM().on_call("where is my order", "get_order_status", order_id="123456789")
    llm.on_call("44719", "get_order_status", order_id="44719")
    llm.add("hours", "We open at eight.")
    llm.add("tool_response", "It has shipped.")
    options = VoiceOptions()
    runner = ToolRunner(agent, mock_all=True)
    engine = Engine(
        agent, llm, runner, today=date(2026, 5, 1), clock=clock, options=options.engine_options()
    )
    stt = FakeSTT(rule=heard)
    records: list[dict[str, Any]] = []
    loop = VoiceLoop(
        engine,
        stt,
        FakeTTS(tone_hz=1000.0),
        energy_probability(-40.0),
        clock=clock,
        options=options,
        emit=records.append,
        blocking=inline,
    )
    loop.prepare()
    quiet = lambda seconds: np.zeros(round(seconds * RATE), np.float32)  # noqa: E731
    audio = np.concatenate(
        [quiet(4.0), tone(first, 1.2), quiet(8.0), tone(550, 1.0), quiet(0.8), tone(660, 0.8)]
        + [quiet(6.0)]
    )

    drive(loop, clock, audio)
    return [str(r["text"]) for r in records if r["type"] == "user"], stt


def test_a_caller_may_pause_between_digit_groups_when_digits_were_asked_for() -> None:
    users, stt = run_call(440.0)  # "Where is my order?" -> "What's your order number?"
    assert users == ["Where is my order?", "four four seven one nine"]
    assert stt.prompts[0] == "Order status, support ticket, call."
    assert stt.prompts[-1] == "Order number: 2 8 0 6 3."


def test_the_same_pause_ends_the_turn_when_nothing_was_asked_for() -> None:
    users, stt = run_call(770.0)  # "What are your hours?" -> a reply, no question
    assert users == ["What are your hours?", "four four seven", "one nine"]
    assert set(stt.prompts) == {"Order status, support ticket, call."}
