"""Multi-turn conversations through the real engine, scored on what ran and on what was said.

    python -m benchmarks.conversations [--models qwen2.5-coder-0.5b,qwen2.5-coder-1.5b]
        [--half dev|test|all] [--category corrections] [--limit N] [--threads 2]
        [--out results.json]

Every labelled conversation of benchmarks/data/conversations/ (benchmarks/conversation_data.py)
runs on a fresh engine with every tool mocked, as `voicetools test` runs a scenario
(benchmarks/conversation_run.py), and is scored by benchmarks/conversation_score.py. The table
has one row per model, category and half: conversations right, conversations whose calls were
right, calls that ran with an invented value, and claims of an action no call supports; then
the worst category per model. Tune on the dev half; the test half is only reported.
It prints tables; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.conversation_data import AGENTS, CATEGORIES, HALVES, Conversation
from benchmarks.conversation_data import load_conversations as load
from benchmarks.conversation_run import ConversationRun, run_conversation
from benchmarks.conversation_score import ConversationScore, score_conversation
from voicetools.backends.base import LLM
from voicetools.errors import VoicetoolsError
from voicetools.spec import load_agent

DEFAULT_MODELS = "qwen2.5-coder-0.5b,qwen2.5-coder-1.5b"


@dataclass(frozen=True)
class Outcome:
    model: str
    conversation: Conversation
    run: ConversationRun
    score: ConversationScore


def pick(
    conversations: Sequence[Conversation], half: str, category: str, limit: int
) -> list[Conversation]:
    """The conversations asked for; `limit` spreads evenly over them (every category shows)."""
    chosen = [
        c
        for c in conversations
        if half in ("all", c.half) and (not category or c.category == category)
    ]
    if limit and limit < len(chosen):
        step = len(chosen) / limit
        chosen = [chosen[int(i * step)] for i in range(limit)]
    return chosen


def _count(outcomes: Sequence[Outcome]) -> dict[str, str]:
    n = len(outcomes)
    right = sum(o.score.right for o in outcomes)
    return {
        "right": f"{right}/{n} ({100 * right / n:.0f}%)" if n else "-",
        "calls right": f"{sum(o.score.executed_right for o in outcomes)}/{n}",
        "invented-value calls": str(sum(len(o.score.invented) for o in outcomes)),
        "unsupported claims": str(sum(len(o.score.unsupported) for o in outcomes)),
    }


def table(outcomes: Sequence[Outcome]) -> str:
    """Rows per model x category x half, then each model's totals per half."""
    head = ["model", "category", "half", "right", "calls right", "invented-value calls",
            "unsupported claims"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    models = list(dict.fromkeys(o.model for o in outcomes))
    for model in models:
        for category in [*CATEGORIES, "all"]:
            for half in HALVES:
                group = [
                    o
                    for o in outcomes
                    if o.model == model
                    and o.conversation.half == half
                    and category in ("all", o.conversation.category)
                ]
                if group:
                    row = {"model": model, "category": category, "half": half, **_count(group)}
                    lines.append("| " + " | ".join(row[h] for h in head) + " |")
    return "\n".join(lines)


def worst_categories(outcomes: Sequence[Outcome]) -> list[str]:
    """For each model, the category with the lowest share of right conversations."""
    out = []
    for model in dict.fromkeys(o.model for o in outcomes):
        rates = {}
        for category in CATEGORIES:
            group = [
                o for o in outcomes if o.model == model and o.conversation.category == category
            ]
            if group:
                rates[category] = sum(o.score.right for o in group) / len(group)
        if rates:
            worst = min(rates, key=lambda c: rates[c])
            out.append(f"{model}: worst category {worst} ({100 * rates[worst]:.0f}% right)")
    return out


def detail(outcome: Outcome) -> dict[str, Any]:
    c = outcome.conversation
    return {
        "model": outcome.model, "id": c.id, "category": c.category, "half": c.half,
        "right": outcome.score.right, "problems": outcome.score.problems(),
        "error": outcome.run.error, "seconds": round(outcome.run.seconds, 2),
        "turns": [asdict(t) for t in outcome.run.turns],
    }  # fmt: skip


def load_model(model: str, threads: int) -> LLM | None:
    """The model by name, or None (said) when it is not installed."""
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.llama import LlamaLLM

    try:
        return LlamaLLM(resolve_model(model), n_threads=threads)
    except VoicetoolsError as exc:
        print(f"skipping {model}: {exc}")
        return None


def run_model(model: str, llm: LLM, conversations: Sequence[Conversation]) -> list[Outcome]:
    agents = {name: load_agent(AGENTS / name) for name in {c.agent for c in conversations}}
    outcomes = []
    # One agent's conversations in a row: the model's KV cache keeps the agent's system prefix
    # between them (llama.cpp reuses the longest common prefix), instead of evaluating it anew.
    for conversation in sorted(conversations, key=lambda c: c.agent):
        agent = agents[conversation.agent]
        run = asyncio.run(run_conversation(conversation, agent, llm))
        score = score_conversation(conversation, run.turns, agent)
        outcomes.append(Outcome(model, conversation, run, score))
        mark = "right" if score.right else "; ".join(score.problems()) or run.error
        print(f"{model} {conversation.id} ({run.seconds:.0f} s): {mark}", flush=True)
    return outcomes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--models", default=DEFAULT_MODELS, help="comma-separated model names")
    parser.add_argument("--half", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--category", default="", choices=["", *CATEGORIES])
    parser.add_argument("--limit", type=int, default=0, help="at most N conversations per model")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads")
    parser.add_argument("--out", type=Path, help="write every conversation's run as JSON")
    args = parser.parse_args(argv)

    conversations = pick(load(), args.half, args.category, args.limit)
    outcomes: list[Outcome] = []
    for model in [m for m in args.models.split(",") if m]:
        llm = load_model(model, args.threads)
        if llm is not None:
            outcomes += run_model(model, llm, conversations)
    print(f"\n{len(conversations)} conversations per model\n")
    print(table(outcomes))
    print("\n" + "\n".join(worst_categories(outcomes)))
    if args.out:
        args.out.write_text(
            json.dumps([detail(o) for o in outcomes], indent=1, default=str), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
