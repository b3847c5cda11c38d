"""Decision quality and latency: every labelled caller utterance through every setup, one run.

    python -m benchmarks.decisions [--setups baseline,grammar,route] [--limit N]
        [--agents order_support,weather] [--models qwen2.5-coder-0.5b] [--out results.json]

For each installed model and each setup (benchmarks/setups.py) it prints right-tool and
right-arguments rates (benchmarks/scoring.py) overall, per category and per half of the data
(even / odd case index: a bias tuned on one half is checked on the other), and latency:
`routed` is the time to the routing decision (reply, or which function) for setups that route,
`first` the time to the first thing the engine can act on (a reply's first piece, or the whole
call), `decision` the time to the end of the decision (replies capped at --reply-tokens),
`call ready` the same over the cases decided as a call, and `free args` how many of those
calls' arguments were written without a grammar (the rest fell back to it; `route` vs
`route-grammar-args`).
`routed` is the "first token of a decision": the action is the first thing the model decides.
Before each case, the prompt a live session would already have cached is evaluated untimed:
the system prompt (warmed at start-up) and the case's earlier turns (kept in the KV cache from
the previous turn), for every setup alike. It prints tables; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.baselines import GrammarDecider
from benchmarks.setups import (
    Run,
    history,
    run_baseline,
    run_pipeline,
    template_prefix,
    template_renderer,
)
from benchmarks.utterances import AGENTS, MINIMUMS, Case, attach, load_cases, score
from voicetools.dialogue.context import session_instructions
from voicetools.dialogue.decision.decider import Decider
from voicetools.dialogue.decision.generation import warm_locked
from voicetools.dialogue.decision.prompt import system_message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.spec import load_agent
from voicetools.spec.model import Agent

CATEGORIES = tuple(MINIMUMS)
PIPELINES: dict[str, Callable[[], Decider]] = {
    "grammar": GrammarDecider,
    "route": RouteDecider,
    "route-nobias": lambda: RouteDecider(reply_bias=0.0, after_result_bias=0.0),
    "route-raw": lambda: RouteDecider(check_values=False),
    "route-grammar-args": lambda: RouteDecider(free_arguments=False),
    "route-free-nojump": lambda: RouteDecider(jump_forward=False),
}
"""Decider setups by name; `baseline` is the model's own template (no decider)."""


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def warm_prefix(setup: str, decider: Decider | None, case: Case, agent: Agent, llm: Any) -> str:
    """The prompt text a live session has cached when the caller says `case.utterance`: the
    system prompt (warmed at start-up) and every earlier turn (the previous decision's prompt
    and output stay in llama.cpp's KV cache, so a turn pays only for its new tokens)."""
    if decider is None:
        return template_prefix(llm.model.metadata["tokenizer.chat_template"], case, agent)
    system = system_message(session_instructions(agent, case.today), agent.functions)
    earlier = history(case, agent)[0][:-1]
    return decider.prefix(system, agent.functions, earlier)


def run_setup(setup: str, llm: Any, cases: Sequence[Case], agents: dict[str, Agent],
              reply_tokens: int) -> list[Run]:  # fmt: skip
    decider = PIPELINES[setup]() if setup != "baseline" else None
    chat_template = llm.model.metadata["tokenizer.chat_template"]
    render_template = template_renderer(chat_template) if decider is None else None
    runs: list[Run] = []
    for case in cases:
        agent = agents[case.agent]
        warm_locked(llm, warm_prefix(setup, decider, case, agent, llm))  # untimed, as live
        if decider is None:
            assert render_template is not None
            runs.append(run_baseline(llm, render_template, case, agent, reply_tokens))
        else:
            runs.append(asyncio.run(run_pipeline(decider, llm, case, agent, reply_tokens)))
    return runs


def table(rows: list[dict[str, Any]]) -> str:
    head = ["model", "setup", "right tool", "right args", "args (half A / B)",
            *CATEGORIES, "routed p50/p95 s", "first p50/p95 s", "decision p50/p95 s",
            "call ready p50/p95 s", "free args"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(str(row[h]) for h in head) + " |")
    return "\n".join(lines)


def summarise(model: str, setup: str, cases: Sequence[Case], runs: Sequence[Run],
              agents: dict[str, Agent], index: dict[str, int]) -> dict[str, Any]:  # fmt: skip
    scores = [
        score(attach(c, agents[c.agent]).expect, r.outcome)
        for c, r in zip(cases, runs, strict=True)
    ]
    n = len(cases)
    row: dict[str, Any] = {"model": model, "setup": setup}
    row["right tool"] = f"{100 * sum(s.right_tool for s in scores) / n:.0f}%"
    row["right args"] = f"{100 * sum(s.right_arguments for s in scores) / n:.0f}%"
    halves = []
    for parity in (0, 1):
        picked = [s for c, s in zip(cases, scores, strict=True) if index[c.id] % 2 == parity]
        halves.append(f"{100 * sum(s.right_arguments for s in picked) / max(1, len(picked)):.0f}%")
    row["args (half A / B)"] = " / ".join(halves)
    for category in CATEGORIES:
        picked = [s for c, s in zip(cases, scores, strict=True) if c.category == category]
        row[category] = f"{sum(s.right_arguments for s in picked)}/{len(picked)}"
    first = [r.first_s for r in runs]
    total = [r.total_s for r in runs]
    routed = [r.routed_s for r in runs if r.routed_s is not None]
    row["routed p50/p95 s"] = (
        f"{percentile(routed, 0.5):.2f} / {percentile(routed, 0.95):.2f}" if routed else "-"
    )
    row["first p50/p95 s"] = f"{percentile(first, 0.5):.2f} / {percentile(first, 0.95):.2f}"
    row["decision p50/p95 s"] = f"{percentile(total, 0.5):.2f} / {percentile(total, 0.95):.2f}"
    calls = [r.call_s for r in runs if r.call_s is not None]
    row["call ready p50/p95 s"] = (
        f"{percentile(calls, 0.5):.2f} / {percentile(calls, 0.95):.2f}" if calls else "-"
    )
    paths = [r.arguments_path for r in runs if r.arguments_path is not None]
    row["free args"] = f"{paths.count('free')}/{len(paths)}" if paths else "-"
    return row


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--setups", default="baseline,grammar,route")
    parser.add_argument("--models", default="", help="comma-separated; default: every installed")
    parser.add_argument("--agents", default="", help="comma-separated agent names")
    parser.add_argument("--limit", type=int, default=0, help="at most N cases (spread evenly)")
    parser.add_argument("--reply-tokens", type=int, default=48)
    parser.add_argument("--out", type=Path, help="write every case's outcome as JSON")
    args = parser.parse_args(argv)

    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.llama import LlamaLLM
    from voicetools.backends.models import MODELS

    all_cases = load_cases()
    index = {c.id: i for i, c in enumerate(all_cases)}
    wanted = {a.removesuffix(".yaml") for a in args.agents.split(",") if a}
    cases = [c for c in all_cases if not wanted or c.agent.removesuffix(".yaml") in wanted]
    if args.limit and args.limit < len(cases):
        step = len(cases) / args.limit
        cases = [cases[int(i * step)] for i in range(args.limit)]
    cases.sort(key=lambda c: (c.agent, str(c.today)))  # stable: file order within an agent
    agents = {name: load_agent(AGENTS / name) for name in {c.agent for c in cases}}
    llms = [name for name, spec in MODELS.items() if spec.kind == "llm"]
    models = [m for m in args.models.split(",") if m] or llms
    rows, detail = [], []
    for model in models:
        try:
            llm = LlamaLLM(resolve_model(model))
        except Exception as exc:  # noqa: BLE001 - a model that is not installed is skipped
            print(f"skipping {model}: {exc}")
            continue
        for setup in [s for s in args.setups.split(",") if s]:
            runs = run_setup(setup, llm, cases, agents, args.reply_tokens)
            rows.append(summarise(model, setup, cases, runs, agents, index))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
            detail += [{"model": model, "setup": setup, "case": c.id, "category": c.category,
                        "half": "AB"[index[c.id] % 2], **asdict(r)}
                       for c, r in zip(cases, runs, strict=True)]  # fmt: skip
    print(f"\n{len(cases)} cases\n")
    print(table(rows))
    if args.out:
        args.out.write_text(json.dumps(detail, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
