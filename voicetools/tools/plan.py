"""What a call would do, without doing it: the body of `voicetools tool run --dry-run`.

For an HTTP tool that is the exact request (method, full URL with its query string, headers,
body) as the HTTP executor would send it, secrets masked. For the other kinds it is what would be
called: the handler and its keyword arguments, the built-in's action, the mock's answer. The
arguments are validated first, as for a real run, so a dry run fails where the real one would.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from voicetools.tools.base import ErrorCategory, ToolCall, error_payload
from voicetools.tools.outcome import plain
from voicetools.tools.runner import ToolRunner


async def dry_run(runner: ToolRunner, call: ToolCall) -> tuple[bool, dict[str, Any]]:
    """(True, description) when the call would be made; (False, error payload) otherwise.

    Everything returned is redacted (secrets of the agent and card numbers).
    """
    ok, described = await _plan(runner, call)
    return ok, runner.redactor.value(described)


async def _plan(runner: ToolRunner, call: ToolCall) -> tuple[bool, dict[str, Any]]:
    function = runner.agent.function(call.name)
    if function is None:
        return False, error_payload(
            "unknown_function", ErrorCategory.UNKNOWN, f"there is no function named {call.name!r}"
        )
    problem = runner.argument_problem(function, call.arguments)
    if problem:
        return False, error_payload("invalid_arguments", ErrorCategory.INVALID_ARGUMENTS, problem)
    arguments = dict(call.arguments)
    kind = runner.executors.kind(function)
    executor = runner.executors.get(function)
    if kind == "http":
        from voicetools.tools.http import HttpExecutor
        from voicetools.tools.request import RequestRefused, describe

        assert isinstance(executor, HttpExecutor)
        try:
            prepared = executor.prepare(function, call.arguments)
        except RequestRefused as exc:
            return False, error_payload("request_refused", exc.category, exc.detail)
        return True, describe(prepared, runner.redactor)
    if kind == "python":
        return True, {"kind": "python", "handler": function.python, "arguments": arguments}
    if kind == "mock":
        from voicetools.tools.mock import MockExecutor

        assert isinstance(executor, MockExecutor)
        answer = plain(executor.answer_for(function))
        return True, {"kind": "mock", "answer": answer, "arguments": arguments}
    if kind == "builtin" and executor is not None:  # a simulation: running it shows its action
        result = await executor.execute(function, call, function.timeout_ms / 1000)
        if not result.ok:
            return False, dict(result.payload)
        actions = [asdict(a) for a in result.actions]
        return True, {"kind": "builtin", "builtin": function.builtin, "actions": actions}
    return False, error_payload(
        "not_implemented", ErrorCategory.UNKNOWN, f"{function.name} has no backend to call"
    )
