"""A public check no one here wrote: a sample of BFCL v4's live cases, raw model against ours.

    pip download bfcl-eval --no-deps -d /tmp/bfcl
    python -m benchmarks.bfcl --data /tmp/bfcl [--models qwen2.5-coder-0.5b,qwen2.5-coder-1.5b]
        [--sample 50] [--seed 0] [--threads 2] [--out results.json]

For each model it runs `--sample` cases of each of live_simple, live_multiple and
live_irrelevance (picked with `--seed`, the same cases for every model and setup) through two
setups in one run (benchmarks/bfcl_run.py): `raw`, the model with its own chat template, and
`voicetools`, our decision path. Scores follow BFCL's AST matching (benchmarks/bfcl_match.py).
It prints a table, model x setup x category; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.bfcl_data import CATEGORIES, BfclCase, MissingData, find_wheel, load_category
from benchmarks.bfcl_data import sample as pick
from benchmarks.bfcl_run import SETUPS, Result, run_case, template_renderer


def load_sample(data: Path | None, n: int, seed: int) -> list[BfclCase]:
    """`n` cases per category from the wheel (MissingData when there is none)."""
    wheel = find_wheel(data)
    return [case for c in CATEGORIES for case in pick(load_category(wheel, c), n, seed)]


def run_model(llm: Any, chat_template: str, cases: Sequence[BfclCase],
              setups: Sequence[str] = SETUPS, *,
              progress: bool = False) -> dict[str, list[Result]]:  # fmt: skip
    """Every case through every setup with one loaded model (a line per case on stderr when
    `progress`, since a full run takes hours)."""
    render = template_renderer(chat_template)
    results: dict[str, list[Result]] = {}
    for setup in setups:
        results[setup] = []
        for n, case in enumerate(cases, 1):
            results[setup].append(run_case(setup, llm, render, case))
            if progress:
                got = results[setup][-1]
                print(f"{setup} {n}/{len(cases)} {case.id}: {'right' if got.right else 'wrong'}"
                      f" ({got.seconds:.1f} s)", file=sys.stderr, flush=True)  # fmt: skip
    return results


def _rate(results: Sequence[Result]) -> str:
    if not results:
        return "-"
    hits = sum(r.right for r in results)
    return f"{hits}/{len(results)} ({100 * hits / len(results):.0f}%)"


def row(model: str, setup: str, cases: Sequence[BfclCase], results: Sequence[Result]) -> list[str]:
    """One table row: the rate per category, overall, and how many cases failed to run."""
    by_category = [
        _rate([r for c, r in zip(cases, results, strict=True) if c.category == category])
        for category in CATEGORIES
    ]
    errors = sum(r.error for r in results)
    return [model, setup, *by_category, _rate(results), str(errors)]


def table(rows: Sequence[Sequence[str]]) -> str:
    head = ["model", "setup", *CATEGORIES, "overall", "errors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="the bfcl-eval wheel or its folder ($BFCL_DATA)")
    parser.add_argument("--models", default="qwen2.5-coder-0.5b,qwen2.5-coder-1.5b")
    parser.add_argument("--sample", type=int, default=50, help="cases per category (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write every case's calls as JSON")
    args = parser.parse_args(argv)
    try:
        cases = load_sample(args.data, args.sample, args.seed)
    except MissingData as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.llama import LlamaLLM

    rows, detail = [], []
    for model in [m for m in args.models.split(",") if m]:
        try:  # a long live_multiple prompt needs more than the default 4096 tokens
            llm = LlamaLLM(resolve_model(model), n_ctx=8192, n_threads=args.threads)
        except Exception as exc:  # noqa: BLE001 - a model that is not installed is skipped
            print(f"skipping {model}: {exc}")
            continue
        chat_template = llm.model.metadata["tokenizer.chat_template"]
        results = run_model(llm, chat_template, cases, progress=True)
        for setup, got in results.items():
            rows.append(row(model, setup, cases, got))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
            detail += [{"model": model, "setup": setup, "case": c.id, **asdict(r)}
                       for c, r in zip(cases, got, strict=True)]  # fmt: skip
    print(f"\n{len(cases)} cases ({args.sample or 'all'} per category, seed {args.seed})\n")
    print(table(rows))
    if args.out:
        args.out.write_text(json.dumps(detail, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
