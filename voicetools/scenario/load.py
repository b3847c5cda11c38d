"""Read a scenario file: every problem at its file:line:col, with a did-you-mean hint.

Reading reuses `voicetools.spec.load.read_document`, so positions are those an editor shows.
The shape is checked against `SCENARIO_SCHEMA`; what needs the agent (function names in
`mocks`, `faults` and `calls`, argument names) is checked against the loaded agent, because a
misspelt function name would otherwise fail at run time as "expected call ... got: no call",
which reads like the model's fault. All problems are collected before anything is raised.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from voicetools.errors import Location, SpecError
from voicetools.files import SCENARIO_FILE_CAP
from voicetools.scenario.model import Expect, ExpectedCall, Scenario, ScenarioFile, ScenarioTurn
from voicetools.scenario.schema import SCENARIO_SCHEMA
from voicetools.spec.load import Document, JsonPath, read_document
from voicetools.spec.model import Agent
from voicetools.tools import Fault

_VALIDATOR = Draft202012Validator(SCENARIO_SCHEMA)
_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "list",
    dict: "mapping",
    type(None): "null",
}


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario file."""

    location: Location
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {self.message}{hint}"


class ScenarioError(SpecError):
    """A scenario file cannot be run; `problems` holds every problem found, in file order."""

    def __init__(self, problems: Iterable[ScenarioProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.location.line, p.location.col)))
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        hint = f" ({first.hint})" if first.hint else ""
        super().__init__(f"{first.message}{hint}{more}", first.location)


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def load_scenario_file(path: str | Path) -> ScenarioFile:
    """Read, check and build one scenario file; `SpecError`/`ScenarioError` on any problem."""
    return build_scenario_file(read_scenario_document(path))


def read_scenario_document(path: str | Path) -> Document:
    """Parse a scenario file, read under the scenario cap (special files refused)."""
    return read_document(path, cap=SCENARIO_FILE_CAP, what="a scenario file")


def build_scenario_file(doc: Document) -> ScenarioFile:
    """Build from a parsed document (data, not only paths: tests pass YAML text)."""
    data = doc.data
    if not isinstance(data, dict):
        what = "empty" if data is None else "not a mapping"
        raise ScenarioError([ScenarioProblem(doc.locate(()), f"the scenario file is {what}")])
    problems = [_translate(doc, e) for e in _VALIDATOR.iter_errors(data)]
    flat = [p for group in problems for p in group]
    flat += [  # a repeated key silently drops a turn or an expectation: never what was meant
        ScenarioProblem(Location(doc.path, p.mark.line, p.mark.col), p.message)
        for p in doc.problems
        if p.code == "Y102"
    ]
    if flat:
        raise ScenarioError(flat)
    agent_path = doc.base_dir / data["agent"]
    agent = _load_agent(doc, agent_path)
    checks = list(_check_against(doc, agent)) + list(_check_values(doc))
    if checks:
        raise ScenarioError(checks)
    return ScenarioFile(
        path=doc.path,
        agent_path=agent_path,
        scenarios=tuple(_scenario(doc, i, s) for i, s in enumerate(data["scenarios"])),
        today=date.fromisoformat(data["today"]) if "today" in data else None,
        mock_tools=bool(data.get("mock_tools", False)),
    )


def _translate(doc: Document, error: ValidationError) -> list[ScenarioProblem]:
    path: JsonPath = tuple(error.absolute_path)
    field = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "this value"
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        return [
            ScenarioProblem(
                doc.locate((*path, extra), key=True),
                f"unknown field `{extra}`",
                did_you_mean(extra, allowed),
            )
            for extra in sorted(set(error.instance) - set(allowed))
        ]
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return [ScenarioProblem(doc.locate(path), f"missing required field `{missing}`")]
    if kind == "type":
        wanted = str(error.validator_value).replace("object", "mapping")
        got = _TYPES.get(type(error.instance), type(error.instance).__name__)
        # `user: yes` is a boolean in YAML 1.1: the reader's note says so and how to fix it
        note = next((p.message for p in doc.problems if p.path == path), None)
        return [ScenarioProblem(doc.locate(path), f"{field} must be a {wanted}, not {got}", note)]
    if kind == "anyOf":
        why = error.schema.get("description", "the value does not fit")
        return [ScenarioProblem(doc.locate(path), f"{field} is invalid: {why}")]
    if kind in {"minimum", "maximum"}:
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return [ScenarioProblem(doc.locate(path), f"{field} must be within {low}..{high}")]
    if kind == "pattern":
        return [ScenarioProblem(doc.locate(path), f"{field} must be a date written YYYY-MM-DD")]
    if kind in {"minItems", "minLength", "minProperties"}:
        return [ScenarioProblem(doc.locate(path), f"{field} must not be empty")]
    return [ScenarioProblem(doc.locate(path), f"{field}: {error.message}")]


def _load_agent(doc: Document, agent_path: Path) -> Agent:
    from voicetools.spec import load_agent

    where = doc.locate(("agent",))
    if not agent_path.exists():  # a device or FIFO exists, and load_agent says what it is
        raise ScenarioError([ScenarioProblem(where, f"agent file not found: {doc.data['agent']}")])
    try:
        return load_agent(agent_path)
    except SpecError as exc:
        note = f"in the agent file: {exc.message}"
        raise ScenarioError([ScenarioProblem(exc.location or where, note)]) from None


def _check_against(doc: Document, agent: Agent) -> Iterator[ScenarioProblem]:
    """Function and argument names must exist in the agent."""
    names = [f.name for f in agent.functions]
    for i, item in enumerate(doc.data["scenarios"]):
        for section in ("mocks", "faults"):
            for name in item.get(section, {}):
                if agent.function(name) is None:
                    yield ScenarioProblem(
                        doc.locate(("scenarios", i, section, name), key=True),
                        f"the agent has no function `{name}`",
                        did_you_mean(name, names),
                    )
        for t, turn in enumerate(item["turns"]):
            for c, call in enumerate(turn.get("expect", {}).get("calls", [])):
                path: JsonPath = ("scenarios", i, "turns", t, "expect", "calls", c)
                function = agent.function(call["name"])
                if function is None:
                    yield ScenarioProblem(
                        doc.locate((*path, "name")),
                        f"the agent has no function `{call['name']}`",
                        did_you_mean(call["name"], names),
                    )
                    continue
                for arg in call.get("arguments", {}):
                    if arg not in function.properties:
                        yield ScenarioProblem(
                            doc.locate((*path, "arguments", arg), key=True),
                            f"`{function.name}` has no parameter `{arg}`",
                            did_you_mean(arg, function.properties),
                        )


def _check_values(doc: Document) -> Iterator[ScenarioProblem]:
    """What the schema cannot say: a real date, one failure per fault, no contradictions."""
    data = doc.data
    if "today" in data:
        try:
            date.fromisoformat(data["today"])
        except ValueError:
            yield ScenarioProblem(doc.locate(("today",)), f"`today` is not a date: {data['today']}")
    for i, item in enumerate(data["scenarios"]):
        for name, fault in item.get("faults", {}).items():
            kinds = [k for k in ("status", "timeout", "invalid_json") if fault.get(k)]
            if len(kinds) > 1:
                yield ScenarioProblem(
                    doc.locate(("scenarios", i, "faults", name)),
                    f"a fault is one of status, timeout or invalid_json, not {' and '.join(kinds)}",
                )
        for t, turn in enumerate(item["turns"]):
            expect = turn.get("expect", {})
            if expect.get("calls") and expect.get("no_call") is True:
                yield ScenarioProblem(
                    doc.locate(("scenarios", i, "turns", t, "expect", "no_call"), key=True),
                    "`no_call: true` contradicts the `calls` expected in the same turn",
                )


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _scenario(doc: Document, index: int, data: dict[str, Any]) -> Scenario:
    turns = []
    for t, turn in enumerate(data["turns"]):
        expect = turn.get("expect", {})
        turns.append(
            ScenarioTurn(
                user=turn["user"],
                expect=Expect(
                    calls=tuple(
                        ExpectedCall(c["name"], dict(c.get("arguments", {})))
                        for c in expect.get("calls", [])
                    ),
                    no_call=expect.get("no_call"),
                    confirmation=expect.get("confirmation"),
                    filler=expect.get("filler"),
                    reply_contains=_texts(expect.get("reply_contains")),
                    reply_not_contains=_texts(expect.get("reply_not_contains")),
                    ended=expect.get("ended"),
                ),
                line=doc.mark_of(("scenarios", index, "turns", t)).line,
            )
        )
    return Scenario(
        name=data["name"],
        turns=tuple(turns),
        mocks=dict(data.get("mocks", {})),
        faults={name: Fault(**fault) for name, fault in data.get("faults", {}).items()},
        line=doc.mark_of(("scenarios", index)).line,
    )
