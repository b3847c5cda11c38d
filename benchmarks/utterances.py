"""The labelled caller utterances of benchmarks/data/utterances.yaml: load, check, score.

The benchmark script runs each case through a model and asks `score()` whether it picked the
right tool and the right arguments. This module holds no model and does no timing, so the
data can be checked in the unit tests (`check()` validates every expected call against the
function's JSON Schema) and scoring can be tested on its own.

Scoring rules live in `benchmarks.scoring` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from benchmarks.scoring import Expect, Outcome, Score, score
from voicetools.spec.model import Agent

__all__ = ["Case", "Expect", "Outcome", "Score", "PriorTurn", "attach", "check", "load_cases",
           "parse_cases", "score"]  # fmt: skip

DATA = Path(__file__).parent / "data" / "utterances.yaml"
AGENTS = Path(__file__).parent.parent / "agents"
MINIMUMS: Mapping[str, int] = {
    "tool": 60, "choice": 30, "no_tool": 30, "missing": 20,
    "goodbye": 10, "dates": 25, "numbers": 10,
}  # fmt: skip
"""How many cases each category must hold (issue 4, Deliver 7)."""


@dataclass(frozen=True)
class PriorTurn:
    """A prior turn: the caller, the agent, or a tool call with its result."""

    role: Literal["caller", "agent", "tool"]
    text: str = ""
    name: str = ""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    result: Any = None


@dataclass(frozen=True)
class Case:
    id: str
    agent: str
    """The agent file's name in agents/."""
    category: str
    today: date
    utterance: str
    expect: Expect
    prior: tuple[PriorTurn, ...] = ()

    @property
    def caller_turns(self) -> list[str]:
        """Everything the caller said, oldest first, this utterance last."""
        return [t.text for t in self.prior if t.role == "caller"] + [self.utterance]


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _turn(raw: Mapping[str, Any]) -> PriorTurn:
    if "caller" in raw:
        return PriorTurn("caller", text=str(raw["caller"]))
    if "agent" in raw:
        return PriorTurn("agent", text=str(raw["agent"]))
    call = raw.get("call") or {}
    arguments = dict(call.get("arguments") or {})
    return PriorTurn("tool", name=str(call.get("name", "")), arguments=arguments,
                     result=raw.get("result"))  # fmt: skip


def _expect(raw: Mapping[str, Any]) -> Expect:
    if "call" in raw:
        call = raw["call"] or {}
        return Expect("call", str(call.get("name", "")), dict(call.get("arguments") or {}),
                      tuple(call.get("any_value") or ()))  # fmt: skip
    if raw.get("end_call") is True:
        return Expect("end_call", "end_call")
    kind = raw.get("no_call")
    if kind not in ("reply", "ask"):
        raise ValueError(f"expect must be call, no_call: reply|ask or end_call: true, not {raw}")
    return Expect(kind, asks_for=tuple(raw.get("asks_for") or ()))


def parse_cases(data: Mapping[str, Any]) -> list[Case]:
    """Cases from the parsed YAML document; ValueError on a malformed entry."""
    default_today = _date(data.get("today", "2026-11-18"))
    cases: list[Case] = []
    for index, raw in enumerate(data.get("cases") or []):
        try:
            cases.append(Case(
                id=str(raw.get("id") or f"{index + 1:03d}-{raw['category']}"),
                agent=str(raw["agent"]),
                category=str(raw["category"]),
                today=_date(raw.get("today", default_today)),
                utterance=str(raw["utterance"]),
                expect=_expect(raw["expect"]),
                prior=tuple(_turn(t) for t in raw.get("prior") or ()),
            ))  # fmt: skip
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ValueError(f"case {index + 1}: {exc!r}") from exc
    return cases


def load_cases(path: Path = DATA) -> list[Case]:
    """Read and parse the utterance file."""
    return parse_cases(yaml.safe_load(path.read_text(encoding="utf-8")))


def _schema_problems(agent: Agent, name: str, arguments: Mapping[str, Any]) -> list[str]:
    function = agent.function(name)
    if function is None:
        return [f"{agent.name} has no function {name!r}"]
    validator = Draft202012Validator(dict(function.parameters), format_checker=FormatChecker())
    return [f"{name}: {e.message}" for e in validator.iter_errors(dict(arguments))]


def check(cases: Sequence[Case], agents: Mapping[str, Agent]) -> list[str]:
    """Every problem with the data: unknown agents, functions or categories, invalid arguments."""
    problems: list[str] = []
    seen: set[str] = set()
    for case in cases:
        where = f"{case.id} ({case.utterance!r})"
        if case.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(case.id)
        agent = agents.get(case.agent)
        if agent is None:
            problems.append(f"{where}: unknown agent {case.agent}")
            continue
        if case.category not in MINIMUMS:
            problems.append(f"{where}: unknown category {case.category}")
        if not case.utterance.strip():
            problems.append(f"{where}: empty utterance")
        expect = case.expect
        if expect.kind in ("call", "end_call"):
            problems += [
                f"{where}: {p}" for p in _schema_problems(agent, expect.name, expect.arguments)
            ]
        unknown = set(expect.any_value) - set(expect.arguments)
        if unknown:
            problems.append(f"{where}: any_value names arguments not given: {sorted(unknown)}")
        params = {p for f in agent.functions for p in f.properties}
        if expect.kind == "ask" and (not expect.asks_for or set(expect.asks_for) - params):
            problems.append(f"{where}: asks_for must name parameters of the agent's functions")
        for turn in case.prior:
            if turn.role == "tool":
                problems += [
                    f"{where}: prior {p}"
                    for p in _schema_problems(agent, turn.name, turn.arguments)
                ]
    return problems


def attach(case: Case, agent: Agent) -> Case:
    """`case` with the expected function's schema in `expect.parameters` (for `score`)."""
    function = agent.function(case.expect.name) if case.expect.name else None
    if function is None:
        return case
    expect = Expect(**{**case.expect.__dict__, "parameters": dict(function.parameters)})
    return Case(**{**case.__dict__, "expect": expect})
