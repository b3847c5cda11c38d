"""Canned answers instead of real backends (`voicetools chat --mock-tools`, scenario files).

A mock touches nothing: no network, no handler import, no file. Its answer is, in order, the
one given for the function's name (a scenario's `mocks:`), the function's own `mock:` in the
agent file, or `{"ok": true}`. Answers go through the same interpretation as a Python
handler's return value, so a mocked `{error: not_found}` fails exactly like the real thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voicetools.spec.model import Function
from voicetools.tools.base import ToolCall, ToolResult
from voicetools.tools.outcome import result_from_value

DEFAULT_ANSWER: Mapping[str, Any] = {"ok": True}


class MockExecutor:
    """Answers from `mocks` (by function name), the function's `mock`, or {"ok": true}."""

    def __init__(self, mocks: Mapping[str, Any] | None = None) -> None:
        self.mocks: Mapping[str, Any] = dict(mocks or {})

    def answer_for(self, function: Function) -> Any:
        if function.name in self.mocks:
            return self.mocks[function.name]
        if function.mock is not None:
            return function.mock
        return DEFAULT_ANSWER

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        return result_from_value(call, self.answer_for(function))
