"""Ending a turn by its words vs by silence alone: turn-end latency, voice-to-voice, cut-offs.

    taskset -c 1 python benchmarks/turn_end.py --threads 1          # ~5 minutes on 1 core

Callers of agents/order_support.yaml, synthesised in two voices (Piper joe, espeak-ng en-us;
`--voices 4` adds Piper x1.25 and espeak-ng en-gb), run through `VoiceLoop` in fast mode with
the real models (Whisper base, Qwen2.5-Coder-0.5B, Piper, Silero), twice each: with
`VoiceOptions(turn_end=False)` (the baseline: 500 ms of silence ends a turn) and with the
early end (`runtime.early_end`). Three kinds of caller:

- whole: one sentence, no pause inside;
- pauser: a sentence broken by 0.6-0.7 s of silence ("Do you ship to" ... "Canada?");
- digits: "Where is my order?", then, once the agent has asked for the number, the number in
  two groups with 0.7-0.8 s between them.

Reported, p50 / p95 in seconds: the turn end (the caller's last word -> the endpointer's
decision) and the answer or filler (the caller's last word -> the first agent audio that is
not a keep-alive line), over the turns that were heard whole; and false cut-offs: an
utterance the loop split into more than one turn (a turn ended before the words were done).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.latency import AGENT, MOCKS, piper_voice  # noqa: E402
from benchmarks.make_caller_audio import RATE, utterance  # noqa: E402
from voicetools.backends.base import LLM  # noqa: E402
from voicetools.runtime.call_clock import CallClock  # noqa: E402
from voicetools.runtime.session import build_engine  # noqa: E402
from voicetools.runtime.stats import percentile  # noqa: E402
from voicetools.runtime.voice_latency import TurnLatency  # noqa: E402
from voicetools.runtime.voice_loop import VoiceOptions  # noqa: E402
from voicetools.runtime.voice_session import SpeechStack, build_voice_loop  # noqa: E402

Voice = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class Caller:
    """One call: utterances, each in parts said with a silence between them."""

    kind: str
    """whole, pauser or digits: the row of the table it counts in."""
    utterances: tuple[tuple[str, ...], ...]
    """Each utterance's parts; a pause of `gap_s` between parts."""
    gap_s: float = 0.0
    measured: int = 0
    """The utterance whose turn is measured (digits: the second, the number)."""


CALLERS = (
    Caller("whole", (("What's the status of order 4521?",),)),
    Caller("whole", (("Do you ship to Canada?",),)),
    Caller("whole", (("Hi, can you tell me where my order is?",),)),
    Caller("whole", (("I'd like to open a support ticket, my parcel arrived damaged.",),)),
    Caller("pauser", (("Hi, can you tell me", "where my order is?"),), 0.6),
    Caller("pauser", (("Do you ship to", "Canada?"),), 0.6),
    Caller("pauser", (("I'd like to open a ticket because", "my parcel is damaged."),), 0.7),
    Caller("pauser", (("What's the status of my order", "number four five two one?"),), 0.6),
    Caller("digits", (("Where is my order?",), ("four four seven", "one nine")), 0.8, 1),
    Caller("digits", (("Where is my order?",), ("two eight oh", "six three")), 0.7, 1),
)
MODES = {"silence": False, "words": True}
"""Column -> `VoiceOptions.turn_end`."""
GREETING_S = 5.5
ANSWER_S = 9.0
"""Silence after an utterance, for the agent's answer (fast mode skips it when idle)."""


def voices(count: int) -> dict[str, Voice]:
    found: dict[str, Voice] = {
        "piper joe": piper_voice(1.0),
        "espeak en-us": lambda text: utterance(text, "en-us"),
    }
    if count > 2:
        found["piper joe x1.25"] = piper_voice(1.25)
        found["espeak en-gb"] = lambda text: utterance(text, "en-gb")
    return found


def trimmed(speech: np.ndarray, level: float = 0.5) -> np.ndarray:
    """The clip without its leading and trailing near-silence, peak at `level`: the parts'
    silences are then exactly the gaps asked for."""
    loud = np.flatnonzero(np.abs(speech) > 0.02 * (float(np.abs(speech).max()) or 1.0))
    clip = speech[loud[0] : loud[-1] + 1] if loud.size else speech
    peak = float(np.abs(clip).max()) or 1.0
    return (clip * (level / peak)).astype(np.float32)


def caller_audio(caller: Caller, say: Voice) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The recording and each utterance's (start, end) in seconds."""
    parts: list[np.ndarray] = [np.zeros(round(GREETING_S * RATE), np.float32)]
    spans: list[tuple[float, float]] = []
    at = GREETING_S
    for index, said in enumerate(caller.utterances):
        if index:
            parts.append(np.zeros(round(ANSWER_S * RATE), np.float32))
            at += ANSWER_S
        start = at
        for number, text in enumerate(said):
            if number:
                parts.append(np.zeros(round(caller.gap_s * RATE), np.float32))
                at += caller.gap_s
            clip = trimmed(say(text))
            parts.append(clip)
            at += len(clip) / RATE
        spans.append((start, at))
    parts.append(np.zeros(round(ANSWER_S * RATE), np.float32))
    return np.concatenate(parts), spans


@dataclass
class Outcome:
    """One call in one mode."""

    kind: str
    cut: int
    """Utterances the loop split into more than one turn."""
    latency: TurnLatency | None
    """The measured utterance's turn, when it was heard whole."""
    how: str
    """How that turn ended: early, held, or silence."""
    expected: str
    heard: list[str]
    verdict: str
    """How the measured turn ended, with the verdict's reason and probability."""


def run_call(llm: LLM, speech: SpeechStack, caller: Caller, audio: np.ndarray,
             spans: list[tuple[float, float]], words: bool) -> Outcome:  # fmt: skip
    options = VoiceOptions(fast=True, turn_end=words)
    clock = CallClock()
    engine = build_engine(
        AGENT,
        llm=llm,
        mock_tools=True,
        mocks=MOCKS,
        clock=clock,
        options=options.engine_options(),
    )
    loop = build_voice_loop(engine, speech, clock=clock, options=options)
    result = asyncio.run(loop.run(audio))
    turns = [r for r in result.records if r["type"] in ("user", "ignored")]
    per_span = [
        [t for t in turns if start - 0.4 <= t["speech_start"] <= end + 0.1] for start, end in spans
    ]
    cut = sum(len(found) > 1 for found in per_span)
    measured = per_span[caller.measured]
    latency = None
    how = expected = "-"
    if len(measured) == 1:
        index = turns.index(measured[0])
        latency = result.latencies[index] if index < len(result.latencies) else None
        how = str(measured[0].get("turn_end", "silence"))
        if "turn_end_why" in measured[0]:
            why = measured[0]["turn_end_why"]
            p = measured[0].get("turn_end_p")
            shown = f"{how} ({why}{'' if p is None else f' {p:.4f}'})"
        else:
            shown = how
        expected = str(measured[0].get("expected", "none"))
    else:
        shown = "-"
    heard = [str(t.get("text")) for t in turns]
    return Outcome(caller.kind, cut, latency, how, expected, heard, shown)


def cell(values: Sequence[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(list(values), 50):.2f} / {percentile(list(values), 95):.2f}"


def ratio(base: Sequence[float], new: Sequence[float]) -> str:
    if not base or not new:
        return "-"
    return f"{percentile(list(new), 50) / percentile(list(base), 50):.2f}"


def values(outcomes: list[Outcome], kinds: tuple[str, ...], name: str) -> list[float]:
    """`name` of the measured turns of callers of `kinds` that were heard whole."""
    return [
        v
        for o in outcomes
        if o.kind in kinds and o.latency is not None
        if (v := getattr(o.latency, name)) is not None
    ]


def table(results: dict[str, list[Outcome]]) -> str:
    base, new = results["silence"], results["words"]
    lines = [
        "| (p50 / p95 s, or count) | silence only (baseline) | by the words | p50 ratio |",
        "|---|---|---|---|",
    ]
    groups = (("whole", ("whole",)), ("pauser", ("pauser",)), ("digits", ("digits",)),
              ("all", ("whole", "pauser", "digits")))  # fmt: skip
    for metric, name in (("turn end", "endpointing_s"), ("answer or filler", "first_answer_s")):
        for label, kinds in groups:
            b, n = values(base, kinds, name), values(new, kinds, name)
            lines.append(f"| {metric}, {label} | {cell(b)} | {cell(n)} | {ratio(b, n)} |")
    for label, kinds in groups[:3]:

        def cuts(outcomes: list[Outcome], kinds: tuple[str, ...] = kinds) -> str:
            chosen = [o for o in outcomes if o.kind in kinds]
            return f"{sum(o.cut for o in chosen)}/{len(chosen)}"

        lines.append(f"| false cut-offs, {label} | {cuts(base)} | {cuts(new)} | |")

    def ended(outcomes: list[Outcome], how: str) -> str:
        return f"{sum(o.how == how for o in outcomes)}/{len(outcomes)}"

    for how in ("early", "held"):
        lines.append(f"| measured turns ended {how} | {ended(base, how)} | {ended(new, how)} | |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="CPU threads per model")
    parser.add_argument("--voices", type=int, default=2, choices=(2, 4))
    parser.add_argument("--kinds", default="whole,pauser,digits")
    args = parser.parse_args(argv)
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.llama import LlamaLLM
    from voicetools.backends.piper import PiperTTS
    from voicetools.backends.silero import SileroVAD
    from voicetools.backends.whisper import WhisperSTT

    began = time.perf_counter()
    llm = LlamaLLM(resolve_model(None), n_threads=args.threads)
    speech = SpeechStack(WhisperSTT(cpu_threads=args.threads), PiperTTS(), SileroVAD(), 0.0)
    kinds = set(args.kinds.split(","))
    results: dict[str, list[Outcome]] = {mode: [] for mode in MODES}
    for voice_name, say in voices(args.voices).items():
        for caller in CALLERS:
            if caller.kind not in kinds:
                continue
            audio, spans = caller_audio(caller, say)
            for mode, words in MODES.items():
                outcome = run_call(llm, speech, caller, audio, spans, words)
                results[mode].append(outcome)
                lat = outcome.latency
                shown: dict[str, Any] = {
                    "end": None if lat is None else lat.endpointing_s,
                    "answer": None if lat is None else lat.first_answer_s,
                }
                numbers = " ".join(
                    f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in shown.items()
                )
                print(
                    f"{mode:8s} {voice_name:13s} {caller.kind:7s} {outcome.verdict:22s} "
                    f"cut {outcome.cut} {numbers} expected {outcome.expected} "
                    f"heard {outcome.heard}",
                    flush=True,
                )
    print()
    print(table(results))
    print(f"\n{args.threads} thread(s) per model; total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
