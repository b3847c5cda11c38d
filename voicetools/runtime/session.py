"""Build what a conversation needs (model, tool runner, engine) from command-line choices.

Kept apart from argument parsing: `chat`, `test`, `call` and the benchmarks
all build sessions the same way, and tests build them with a scripted LLM.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from voicetools.backends.base import LLM
from voicetools.backends.models import ENV_MODEL, Progress
from voicetools.dialogue import Clock, Decider, Engine, EngineOptions
from voicetools.spec import load_agent
from voicetools.spec.model import Agent
from voicetools.tools import Redactor


def build_llm(
    model: str | None = None,
    *,
    llm_url: str | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> LLM:
    """The LLM for `--model NAME|PATH` or `--llm-url URL`.

    Without either: $VOICETOOLS_MODEL, else `model`/`llm_url` in the nearest pyproject.toml's
    `[tool.voicetools]`, else the packaged default model.
    """
    if model is None and llm_url is None and not os.environ.get(ENV_MODEL):
        model, llm_url = configured_model()
    if llm_url:
        from voicetools.backends.openai_compat import OpenAICompatLLM

        return OpenAICompatLLM(llm_url, model=model)
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.llama import LlamaLLM

    return LlamaLLM(resolve_model(model, progress=progress), seed=seed)


def configured_model(start: Path | None = None) -> tuple[str | None, str | None]:
    """(model, llm_url) from the nearest `[tool.voicetools]` table, if any."""
    from voicetools.spec.config import find_pyproject, load_project_config

    found = find_pyproject(start or Path.cwd())
    if found is None:
        return None, None
    config = load_project_config(found)
    return config.model, config.llm_url


def build_engine(
    agent: Agent | str | Path,
    *,
    llm: LLM | None = None,
    model: str | None = None,
    llm_url: str | None = None,
    mock_tools: bool = False,
    mocks: Mapping[str, Any] | None = None,
    today: date | None = None,
    seed: int = 0,
    warm: bool = True,
    decider: Decider | None = None,
    clock: Clock | None = None,
    options: EngineOptions | None = None,
    **runner_options: Any,
) -> Engine:
    """An engine for `agent` (a loaded agent or a path), ready for its first turn.

    `mock_tools` answers every call with its mock (from `mocks`, the agent's `mock:`, else
    `{"ok": true}`) and touches nothing. `warm` evaluates the system prompt now, so the first
    turn pays only for its own tokens. `clock` and `options` (the text chat's by default; a
    call's from `VoiceOptions.engine_options()`) go to the engine, with `seed` for sampling.
    Extra keywords go to the `ToolRunner`.
    """
    from voicetools.tools import ToolRunner

    loaded = agent if isinstance(agent, Agent) else load_agent(agent)
    model_llm = llm if llm is not None else build_llm(model, llm_url=llm_url, seed=seed)
    runner = ToolRunner(loaded, mocks=mocks, mock_all=mock_tools, **runner_options)
    base = options or EngineOptions()
    engine = Engine(
        loaded,
        model_llm,
        runner,
        today=today or date.today(),
        clock=clock,
        options=replace(base, generation=replace(base.generation, seed=seed)),
        decider=decider,
    )
    if warm:
        engine.warm()
    return engine


def engine_redactor(engine: Engine) -> Redactor:
    """The redactor of the session's tool runner (built once from the agent and its env), for
    every sink outside the runner."""
    return engine.runner.redactor
