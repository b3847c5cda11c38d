"""`--jobs N`: scenarios spread over worker processes, each with its own model.

llama.cpp generation holds one process's cores and its model is not shareable across
processes, so parallelism means processes (`ProcessPoolExecutor`), each loading the model
once in its initializer. On a 2-core machine one job is usually fastest (two models fight
over the same cores); this is for bigger machines and for `--llm-url` servers that batch.

A unit of work is one scenario, named by (file path, index), so workers re-read the small
scenario file instead of receiving live objects; results come back as plain frozen data.
The model is resolved (and assembled, once) by the parent before any worker starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from voicetools.backends.base import LLM
from voicetools.scenario.load import load_scenario_file
from voicetools.scenario.model import ScenarioFile
from voicetools.scenario.results import ScenarioResult
from voicetools.scenario.run import RunOptions, run_all

LLMFactory = Callable[[], LLM]


@dataclass(frozen=True)
class ModelChoice:
    """How each worker makes its model: a picklable recipe, not a model."""

    model: str | None = None
    """A GGUF path (resolved by the parent) or a registry name."""
    llm_url: str | None = None
    factory: LLMFactory | None = field(default=None, compare=False)
    """A module-level function returning an LLM (tests: a scripted fake)."""

    def make(self) -> LLM:
        if self.factory is not None:
            return self.factory()
        from voicetools.runtime.session import build_llm

        return build_llm(self.model, llm_url=self.llm_url, seed=0)


_worker_llm: LLM | None = None
_worker_files: dict[str, ScenarioFile] = {}


def _init_worker(choice: ModelChoice) -> None:
    global _worker_llm
    _worker_llm = choice.make()


def _run_one(path: str, index: int, options: RunOptions) -> ScenarioResult:
    assert _worker_llm is not None, "the worker initializer did not run"
    file = _worker_files.get(path)
    if file is None:
        file = _worker_files[path] = load_scenario_file(path)
    return asyncio.run(run_all([(file, index)], _worker_llm, options))[0]


def run_parallel(
    work: Sequence[tuple[ScenarioFile, int]],
    choice: ModelChoice,
    options: RunOptions,
    jobs: int,
    on_result: Callable[[ScenarioResult], None] | None = None,
) -> list[ScenarioResult]:
    """Run `work` on `jobs` processes; results in the order of `work`."""
    results: dict[int, ScenarioResult] = {}
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(choice,)
    ) as pool:
        futures = {
            pool.submit(_run_one, file.path, index, options): position
            for position, (file, index) in enumerate(work)
        }
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_result is not None:
                on_result(result)
    return [results[i] for i in range(len(work))]
