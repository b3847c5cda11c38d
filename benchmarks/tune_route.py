"""Tune `RouteDecider`'s reply biases from a benchmark run's routing scores, without the model.

    python -m benchmarks.decisions --setups route-nobias --out run.json
    python -m benchmarks.tune_route run.json

`decisions.py --out` records, for each case, the log-probability of every action (reply and
each function) before any bias. A route is right when it names the expected function, or
"reply" for a reply, or, when the caller left out a detail, either "reply" or a function that
takes that detail (the engine then asks). For each bias on a grid this prints how many routes
are right on half A (even case index: used to choose) and on half B (odd: the check against
overfitting), separately for decisions right after a tool result and for the others.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.utterances import AGENTS, Case, load_cases
from voicetools.spec import load_agent

GRID = [x / 4 for x in range(-8, 17)]


def route_right(case: Case, route: str, takes: Mapping[str, set[str]]) -> bool:
    expect = case.expect
    if expect.kind in ("call", "end_call"):
        return route == expect.name
    if expect.kind == "reply":
        return route == "reply"
    return route == "reply" or bool(set(expect.asks_for) & takes.get(route, set()))


def chosen(scores: Mapping[str, float], bias: float) -> str:
    return max(scores, key=lambda n: scores[n] + (bias if n == "reply" else 0.0))


def sweep(rows: Sequence[dict[str, Any]], cases: Mapping[str, Case]) -> list[str]:
    agents = {c.agent: load_agent(AGENTS / c.agent) for c in cases.values()}
    takes = {a: {f.name: set(f.properties) for f in agent.functions} for a, agent in agents.items()}
    lines = []
    for after in (False, True):
        picked = [r for r in rows if r.get("route") and
                  bool(cases[r["case"]].prior and cases[r["case"]].prior[-1].role == "tool") == after]  # fmt: skip  # noqa: E501
        lines.append(f"\n{'after a tool result' if after else 'first decision of a turn'}: "
                     f"{len(picked)} cases\n| bias | half A | half B |\n|---|---|---|")  # fmt: skip
        for bias in GRID:
            counts = {"A": [0, 0], "B": [0, 0]}
            for row in picked:
                case = cases[row["case"]]
                right = route_right(case, chosen(row["route"], bias), takes[case.agent])
                counts[row["half"]][0] += right
                counts[row["half"]][1] += 1
            lines.append(f"| {bias:+.2f} | {counts['A'][0]}/{counts['A'][1]} | "
                         f"{counts['B'][0]}/{counts['B'][1]} |")  # fmt: skip
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--setup", default="route", help="whose routing scores to use")
    args = parser.parse_args(argv)
    rows = json.loads(args.results.read_text(encoding="utf-8"))
    rows = [r for r in rows if r["setup"] == args.setup]
    cases = {c.id: c for c in load_cases()}
    print("\n".join(sweep(rows, cases)))


if __name__ == "__main__":
    main()
