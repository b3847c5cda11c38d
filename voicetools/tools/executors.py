"""Which executor runs a function, made on first use and shared for the whole session.

A function is mocked when `mock_all` is set, when `mocks` has an answer for it, or when it only
has a `mock:`. Built-ins stay simulated even under `mock_all`, unless `mocks` names them: they
touch nothing anyway, and the chat and voice loops need their end-call and transfer actions.
Executors are imported lazily, so an agent without HTTP tools never imports httpx.
A function named in `faults` gets its executor wrapped in a `FaultyExecutor` (scenario tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from voicetools.spec.model import Agent, Function
from voicetools.tools.base import Executor
from voicetools.tools.redact import NO_SECRETS, Redactor

if TYPE_CHECKING:
    from voicetools.tools.faults import Fault


class Executors:
    """The executors of one session with one agent."""

    def __init__(
        self,
        agent: Agent,
        *,
        env: Mapping[str, str],
        allow_private: bool,
        mocks: Mapping[str, Any] | None = None,
        mock_all: bool = False,
        faults: Mapping[str, Fault] | None = None,
        redactor: Redactor = NO_SECRETS,
    ) -> None:
        self.agent = agent
        self.redactor = redactor
        self.env = env
        self.allow_private = allow_private
        self.mocks = dict(mocks or {})
        self.mock_all = mock_all
        self.faults = dict(faults or {})
        self._made: dict[str, Executor] = {}

    def kind(self, function: Function) -> str:
        """ "http", "python", "builtin", "mock", or "none" (no executor)."""
        if function.kind == "builtin" and function.name not in self.mocks:
            return "builtin"
        if self.mock_all or function.name in self.mocks or function.kind == "mock":
            return "mock"
        return function.kind

    def get(self, function: Function) -> Executor | None:
        """The executor for `function`, made on first use; None for kind "none"."""
        kind = self.kind(function)
        if kind not in self._made:
            made = self._make(kind)
            if made is None:
                return None
            self._made[kind] = made
        fault = self.faults.get(function.name)
        if fault is not None:
            from voicetools.tools.faults import FaultyExecutor

            return FaultyExecutor(self._made[kind], fault)
        return self._made[kind]

    def _make(self, kind: str) -> Executor | None:
        if kind == "python":
            from voicetools.tools.python import PythonExecutor

            return PythonExecutor(self.agent.base_dir, redactor=self.redactor)
        if kind == "builtin":
            from voicetools.tools.builtin import BuiltinExecutor

            return BuiltinExecutor(self.agent.variables)
        if kind == "mock":
            from voicetools.tools.mock import MockExecutor

            return MockExecutor(self.mocks)
        if kind == "http":
            from voicetools.tools.http import HttpExecutor

            return HttpExecutor(
                variables=self.agent.variables,
                env=self.env,
                allow_private=self.allow_private,
                redactor=self.redactor,
            )
        return None

    async def aclose(self) -> None:
        """Close the executors that hold connections (the HTTP client's pool)."""
        made, self._made = list(self._made.values()), {}
        for executor in made:
            close = getattr(executor, "aclose", None)
            if close is not None:
                await close()
