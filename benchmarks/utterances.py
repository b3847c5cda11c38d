"""The labelled caller utterances of benchmarks/data/utterances.yaml: load, check, score.

The benchmark script runs each case through a model and asks `score()` whether it picked the
right tool and the right arguments. This module holds no model and does no timing, so the
data can be checked in the unit tests (`check()` validates every expected call against the
function's JSON Schema) and scoring can be tested on its own.

Scoring rules, decided once here so that every model is judged the same way:
- A call is the right tool when its name matches; `end_call` is matched by an end of call.
  For `no_call` (reply or ask), the right tool is *no* call.
- Arguments are compared after filling schema defaults on both sides, so leaving out
  `priority: medium` equals saying it. The set of arguments must match exactly: an invented
  extra argument (an order id the caller never gave) is wrong.
- Identifiers compare without case, spaces or dashes; integers accept "3" for 3; dates and
  times exactly (after the engine's own resolution). Free text (`title`, `issue`, `message`)
  is right when every significant word of the label appears in the model's text ("buy milk"
  matches "Buy some milk"). `any_value` arguments only need to be present.
- For `no_call` and `end_call` cases, right arguments equals right tool.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from voicetools.dialogue.dates import is_date_parameter, is_time_parameter
from voicetools.dialogue.grounding import identifier_kind, tokens
from voicetools.spec.model import Agent

DATA = Path(__file__).parent / "data" / "utterances.yaml"
AGENTS = Path(__file__).parent.parent / "agents"
MINIMUMS: Mapping[str, int] = {
    "tool": 60, "choice": 30, "no_tool": 30, "missing": 20,
    "goodbye": 10, "dates": 25, "numbers": 10,
}  # fmt: skip
"""How many cases each category must hold (issue 4, Deliver 7)."""
_STOPWORDS = {"a", "an", "the", "to", "my", "for", "of", "and", "please", "some", "me", "i"}

ExpectKind = Literal["call", "reply", "ask", "end_call"]


@dataclass(frozen=True)
class Expect:
    """What the agent should do after the utterance."""

    kind: ExpectKind
    name: str = ""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    any_value: tuple[str, ...] = ()
    """Arguments the caller left open: any valid value is right."""
    asks_for: tuple[str, ...] = ()
    """For `ask`: the missing arguments."""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    """The expected function's JSON Schema, filled in by `attach()`; used for scoring."""


@dataclass(frozen=True)
class Turn:
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
    prior: tuple[Turn, ...] = ()

    @property
    def caller_turns(self) -> list[str]:
        """Everything the caller said, oldest first, this utterance last."""
        return [t.text for t in self.prior if t.role == "caller"] + [self.utterance]


@dataclass(frozen=True)
class Outcome:
    """What a model did: called a function, replied (or asked), or ended the call."""

    kind: Literal["call", "reply", "end_call"]
    name: str = ""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""


class Score(NamedTuple):
    """A NamedTuple, so `right_tool, right_arguments = score(...)` reads naturally."""

    right_tool: bool
    right_arguments: bool


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _turn(raw: Mapping[str, Any]) -> Turn:
    if "caller" in raw:
        return Turn("caller", text=str(raw["caller"]))
    if "agent" in raw:
        return Turn("agent", text=str(raw["agent"]))
    call = raw.get("call") or {}
    return Turn("tool", name=str(call.get("name", "")), arguments=dict(call.get("arguments") or {}),
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
            problems += [f"{where}: {p}" for p in _schema_problems(agent, expect.name, expect.arguments)]
        unknown = set(expect.any_value) - set(expect.arguments)
        if unknown:
            problems.append(f"{where}: any_value names arguments not given: {sorted(unknown)}")
        params = {p for f in agent.functions for p in f.properties}
        if expect.kind == "ask" and (not expect.asks_for or set(expect.asks_for) - params):
            problems.append(f"{where}: asks_for must name parameters of the agent's functions")
        for turn in case.prior:
            if turn.role == "tool":
                problems += [f"{where}: prior {p}" for p in _schema_problems(agent, turn.name, turn.arguments)]
    return problems


def attach(case: Case, agent: Agent) -> Case:
    """`case` with the expected function's schema in `expect.parameters` (for `score`)."""
    function = agent.function(case.expect.name) if case.expect.name else None
    if function is None:
        return case
    expect = Expect(**{**case.expect.__dict__, "parameters": dict(function.parameters)})
    return Case(**{**case.__dict__, "expect": expect})


def _filled(parameters: Mapping[str, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    props = parameters.get("properties") or {}
    defaults = {k: s["default"] for k, s in props.items() if isinstance(s, Mapping) and "default" in s}
    return {**defaults, **{k: v for k, v in arguments.items() if v is not None}}


def _words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in _STOPWORDS}


def _same(name: str, schema: Mapping[str, Any], expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int) and not isinstance(actual, bool):
        return str(actual).strip() == str(expected)
    if not isinstance(actual, str):
        return False
    kind = identifier_kind(name, schema)
    if kind is not None:
        norm = (lambda s: re.sub(r"[\s\-().]", "", s)) if kind in ("digits", "phone") else _squash
        return norm(actual).casefold() == norm(str(expected)).casefold()
    free = not ({"enum", "const", "pattern", "format"} & set(schema))
    if free and not (is_date_parameter(name, schema) or is_time_parameter(name, schema)):
        return _words(str(expected)) <= _words(actual)
    return actual.strip().casefold() == str(expected).strip().casefold()


def _squash(text: str) -> str:
    return re.sub(r"[^\w]", "", text)


def score(expected: Expect, actual: Outcome) -> Score:
    """Right tool and right arguments for one case (rules in the module docstring)."""
    if expected.kind in ("reply", "ask"):
        ok = actual.kind == "reply"
        return Score(ok, ok)
    if expected.kind == "end_call":
        ok = actual.kind == "end_call" or (actual.kind == "call" and actual.name == "end_call")
        return Score(ok, ok)
    if actual.kind != "call" or actual.name != expected.name:
        return Score(False, False)
    want = _filled(expected.parameters, expected.arguments)
    got = _filled(expected.parameters, actual.arguments)
    if set(want) != set(got):
        return Score(True, False)
    props = expected.parameters.get("properties") or {}
    right = all(
        name in expected.any_value or _same(name, props.get(name) or {}, value, got[name])
        for name, value in want.items()
    )
    return Score(True, right)
