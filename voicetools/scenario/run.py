"""Run scenarios: a fresh engine per scenario, turns in order, expectations checked per turn.

Every scenario gets its own `ToolRunner` (its `mocks` and `faults`, `mock_tools` from the file
or the command line) and its own engine, so nothing leaks between scenarios but the model's
prompt cache (which only makes later runs faster). Generation is greedy with seed 0
(`build_engine(seed=0)`), so a run repeats exactly on the same model file.

A scenario stops at its first failing turn: later turns build on the conversation so far, and
their failures would only be echoes. A turn after the call ended fails as such.

Example handlers that keep state find it in a fresh scratch folder per scenario:
each variable of `SCRATCH_FILES` (e.g. TASKS_DB for agents/handlers/tasks.py) that is not set
in the environment is pointed at a new file there for the scenario's duration, so scenarios
start from an empty store and never touch the user's own data.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from voicetools.backends.base import LLM
from voicetools.dialogue import Event, ToolRunning
from voicetools.errors import VoicetoolsError
from voicetools.scenario.check import check_turn
from voicetools.scenario.model import Scenario, ScenarioFile
from voicetools.scenario.results import ScenarioResult, TurnResult
from voicetools.spec.model import Agent
from voicetools.tools import redacting

SCRATCH_FILES = {"TASKS_DB": "tasks.sqlite"}
"""Environment variables of the example handlers, each given a fresh file per scenario."""


class EngineLike(Protocol):
    """What the runner needs of `voicetools.dialogue.engine.Engine`."""

    @property
    def ended(self) -> bool: ...

    @property
    def runner(self) -> ToolRunning: ...

    def greet(self) -> list[Event]: ...

    def turn(self, text: str) -> AsyncIterator[Event]: ...

    async def aclose(self) -> None: ...


EngineFactory = Callable[..., EngineLike]
"""Called like `runtime.session.build_engine(agent, llm=..., mocks=..., faults=..., ...)`."""


@dataclass(frozen=True)
class RunOptions:
    """Choices from the command line that apply to every scenario file."""

    mock_tools: bool = False
    """Answer every call with its mock, whatever the files say."""
    today: date | None = None
    """The date for files without `today:` (default: the real date)."""
    select: str = ""
    """Only scenarios whose "file::name" contains this, ignoring case (`-k`)."""


def selected(files: Sequence[ScenarioFile], select: str) -> list[tuple[ScenarioFile, int]]:
    """(file, scenario index) for every scenario `-k` keeps, in file order."""
    wanted = select.casefold()
    return [
        (f, i)
        for f in files
        for i, s in enumerate(f.scenarios)
        if wanted in f"{f.path}::{s.name}".casefold()
    ]


@contextmanager
def scratch_env() -> Iterator[None]:
    """Point unset `SCRATCH_FILES` variables at a fresh temporary folder for one scenario."""
    unset = [name for name in SCRATCH_FILES if name not in os.environ]
    if not unset:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="voicetools-scenario-") as folder:
        for name in unset:
            os.environ[name] = os.path.join(folder, SCRATCH_FILES[name])
        try:
            yield
        finally:
            for name in unset:
                os.environ.pop(name, None)


def default_factory(agent: Agent, **options: Any) -> EngineLike:
    from voicetools.runtime.session import build_engine

    return build_engine(agent, **options)


async def run_scenario(
    file: ScenarioFile,
    scenario: Scenario,
    agent: Agent,
    llm: LLM,
    options: RunOptions = RunOptions(),
    make_engine: EngineFactory = default_factory,
) -> ScenarioResult:
    """Run one scenario to its end or its first failing turn."""
    start = time.perf_counter()
    turns: list[TurnResult] = []
    error = ""
    with scratch_env():
        engine = make_engine(
            agent,
            llm=llm,
            mock_tools=file.mock_tools or options.mock_tools,
            mocks=scenario.mocks,
            faults=scenario.faults,
            today=file.today or options.today or date.today(),
            seed=0,
        )
        mask = engine.runner.redactor  # results leave this function redacted: every report is safe
        with redacting(mask):
            try:
                engine.greet()
                for index, turn in enumerate(scenario.turns):
                    if engine.ended:
                        ended = "the call had already ended before this turn"
                        user = mask.text(turn.user)
                        turns.append(TurnResult(index, user, turn.line, (ended,)))
                        break
                    events = [event async for event in engine.turn(turn.user)]
                    failures = check_turn(turn.expect, events, engine.ended, mask)
                    transcript = tuple(mask.value(e.to_json()) for e in events)
                    said = tuple(mask.text(failure) for failure in failures)
                    user = mask.text(turn.user)
                    turns.append(TurnResult(index, user, turn.line, said, transcript))
                    if failures:
                        break
            except VoicetoolsError as exc:  # the model or its server broke: say so, run the rest
                error = mask.text(str(exc))
            except Exception as exc:  # noqa: BLE001 - one broken scenario must not end the suite
                error = mask.text(f"internal error ({type(exc).__name__}: {exc})")
            finally:
                await engine.aclose()
    return ScenarioResult(
        file=file.path,
        name=scenario.name,
        line=scenario.line,
        turns=tuple(turns),
        duration_s=time.perf_counter() - start,
        error=error,
        skipped_turns=len(scenario.turns) - len(turns),
    )


async def run_all(
    work: Sequence[tuple[ScenarioFile, int]],
    llm: LLM,
    options: RunOptions = RunOptions(),
    make_engine: EngineFactory = default_factory,
    on_result: Callable[[ScenarioResult], None] | None = None,
) -> list[ScenarioResult]:
    """Run the scenarios in this process, one after another, sharing one model."""
    from voicetools.spec import load_agent

    agents: dict[str, Agent] = {}
    results = []
    for file, index in work:
        key = str(file.agent_path)
        if key not in agents:
            agents[key] = load_agent(file.agent_path)
        result = await run_scenario(
            file, file.scenarios[index], agents[key], llm, options, make_engine
        )
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results
