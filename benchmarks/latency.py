"""Voice-to-voice latency of the whole loop, naive baseline vs the real pipeline, in one run.

    python benchmarks/latency.py                 # all voices, both pipelines (~10 minutes)
    python benchmarks/latency.py --quick         # two voices
    python benchmarks/latency.py --quick --modes pipeline,no-preempt   # compare variants

Caller utterances to agents/order_support.yaml are synthesised in several voices (Piper joe at
two speaking rates, espeak-ng en-us and en-gb+f3), each put after a pause for the greeting, and
run through `VoiceLoop` in fast mode with the real models (Whisper base, Qwen2.5-Coder-0.5B,
Piper, Silero): idle time is skipped, every processing delay is the one measured here. Each
call is a fresh conversation on the same loaded models.

- naive: whole reply generated, then synthesised whole, then played (`baselines.WholeReply`);
  no filler, no work at the caller's pause; the model's prompt cache is spoiled before each
  call (no warm system prompt);
- pipeline: the product's defaults: STT and the first decision started at the caller's
  200 ms pause (`runtime.preempt`), streamed reply, prepared fillers, system prompt warmed;
- variants, only with `--modes`: no-preempt (the pipeline waiting for the full endpointing
  silence), clause-1 (speech starts at a reply's first comma even after one word: "Yes,"),
  pause-128 (the work at the pause starts after 128 ms of silence instead of 192 ms). Turns
  vary by about 0.1 s from run to run, so compare variants over several runs.

A tool turn is run too, with get_order_status made to take 4 s (`Fault(latency_ms=4000)`), to
measure dead air while a tool runs. Tools are mocked: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import WholeReply  # noqa: E402
from benchmarks.make_caller_audio import RATE, conversation, utterance  # noqa: E402
from voicetools.audio.pcm import resample  # noqa: E402
from voicetools.backends.base import LLM  # noqa: E402
from voicetools.dialogue.decision.generation import warm_locked  # noqa: E402
from voicetools.runtime.call_clock import CallClock  # noqa: E402
from voicetools.runtime.session import build_engine, build_llm  # noqa: E402
from voicetools.runtime.stats import percentile  # noqa: E402
from voicetools.runtime.voice_latency import STAGES, TurnLatency  # noqa: E402
from voicetools.runtime.voice_loop import VoiceOptions  # noqa: E402
from voicetools.runtime.voice_session import build_voice_loop, load_speech  # noqa: E402
from voicetools.spec import load_agent  # noqa: E402
from voicetools.spec.model import Agent  # noqa: E402
from voicetools.tools.faults import Fault  # noqa: E402

AGENT = Path(__file__).resolve().parents[1] / "agents" / "order_support.yaml"
UTTERANCES = (
    "What's the status of order 4521?",
    "Hi, can you tell me where my order is?",
    "Do you ship to Canada?",
)
TOOL_UTTERANCE = "Where is my order 1234?"
MOCKS = {
    "get_order_status": {"order_id": "4521", "status": "shipped", "eta_date": "2026-05-08"},
}
Voice = Callable[[str], np.ndarray]


def piper_voice(length_scale: float) -> Voice:
    from voicetools.backends.piper import PiperTTS

    tts = PiperTTS(length_scale=length_scale)

    def speak(text: str) -> np.ndarray:
        chunks = list(tts.synthesize(text, clean=False))
        return np.concatenate([resample(c.pcm, c.sample_rate, RATE) for c in chunks])

    return speak


def voices(quick: bool) -> dict[str, Voice]:
    found: dict[str, Voice] = {
        "piper joe x1.0": piper_voice(1.0),
        "espeak en-us": lambda text: utterance(text, "en-us"),
    }
    if not quick:
        found["piper joe x1.25"] = piper_voice(1.25)
        found["espeak en-gb+f3"] = lambda text: utterance(text, "en-gb+f3")
    return found


def slow_tool_agent() -> Agent:
    """order_support with room for a 4 s lookup (its own timeout is 3 s)."""
    agent = load_agent(AGENT)
    functions = tuple(
        dataclasses.replace(f, timeout_ms=8000) if f.name == "get_order_status" else f
        for f in agent.functions
    )
    return dataclasses.replace(agent, functions=functions)


MODES: dict[str, VoiceOptions] = {
    "naive": VoiceOptions(
        fast=True,
        delivery=WholeReply(),
        filler=False,
        preempt_ms=None,
        max_gap_s=None,
        first_clause_words=None,
    ),
    "pipeline": VoiceOptions(fast=True),
    "no-preempt": VoiceOptions(fast=True, preempt_ms=None),
    "clause-1": VoiceOptions(fast=True, first_clause_words=1),
    "pause-128": VoiceOptions(fast=True, preempt_ms=128),
}


def run_call(
    llm: LLM,
    speech: object,
    audio: np.ndarray,
    *,
    mode: str,
    agent: Agent | Path = AGENT,
    faults: dict[str, Fault] | None = None,
) -> TurnLatency | None:
    naive = mode == "naive"
    if naive:
        warm_locked(llm, "<|im_start|>system\nSomething else entirely.")
    options = MODES[mode]
    clock = CallClock()
    engine = build_engine(
        agent,
        llm=llm,
        mock_tools=True,
        mocks=MOCKS,
        warm=not naive,
        faults=faults or {},
        clock=clock,
        options=options.engine_options(),
    )
    loop = build_voice_loop(engine, speech, clock=clock, options=options)  # type: ignore[arg-type]
    result = asyncio.run(loop.run(audio))
    return result.latencies[0] if result.latencies else None


def table(results: dict[str, list[TurnLatency]], tool: dict[str, list[TurnLatency]]) -> str:
    def cell(turns: list[TurnLatency], name: str) -> str:
        values = [v for t in turns if (v := getattr(t, name)) is not None]
        if not values:
            return "-"
        return f"{percentile(values, 50):.2f} / {percentile(values, 95):.2f}"

    modes = list(results)
    lines = [
        "| stage (p50 / p95, s) | " + " | ".join(modes) + " |",
        "|---|" + "---|" * len(modes),
    ]
    for label, name in STAGES:
        lines.append(f"| {label} | " + " | ".join(cell(results[m], name) for m in modes) + " |")
    for label, name in (
        ("tool turn (4 s tool): voice-to-voice", "voice_to_voice_s"),
        ("tool turn (4 s tool): dead air", "dead_air_s"),
    ):
        lines.append(f"| {label} | " + " | ".join(cell(tool[m], name) for m in modes) + " |")
    used = " | ".join(f"{sum(t.preempted for t in results[m])}/{len(results[m])}" for m in modes)
    lines.append(f"| turns that reused work from the pause | {used} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two voices instead of four")
    parser.add_argument(
        "--modes", default="naive,pipeline", help=f"comma-separated columns, of: {', '.join(MODES)}"
    )
    parser.add_argument("--stt-model", default=None, help="Whisper name or directory")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if unknown := [m for m in modes if m not in MODES]:
        parser.error(f"unknown modes {unknown}; choose from {list(MODES)}")
    began = time.perf_counter()
    llm = build_llm()
    speech = load_speech(args.stt_model)
    callers = voices(args.quick)
    slow = slow_tool_agent()
    results: dict[str, list[TurnLatency]] = {m: [] for m in modes}
    tool: dict[str, list[TurnLatency]] = {m: [] for m in modes}
    for voice_name, speak in callers.items():
        for text in UTTERANCES:
            audio = conversation([(5.5, speak(text))], tail_s=10.0)
            for mode in modes:
                latency = run_call(llm, speech, audio, mode=mode)
                if latency is not None:
                    results[mode].append(latency)
                    print(
                        f"{mode:10s} {voice_name:16s} {text[:28]:28s} {latency.line()}", flush=True
                    )
        audio = conversation([(5.5, speak(TOOL_UTTERANCE))], tail_s=14.0)
        for mode in modes:
            latency = run_call(
                llm,
                speech,
                audio,
                mode=mode,
                agent=slow,
                faults={"get_order_status": Fault(latency_ms=4000)},
            )
            if latency is not None:
                tool[mode].append(latency)
                print(f"{mode:10s} {voice_name:16s} [4 s tool]  {latency.line()}", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(table(results, tool))
    print(
        f"\npeak memory (RSS, whole process): {peak_mb:.0f} MB; "
        f"{len(callers)} voices; total {time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
