"""Run Python handlers: `file.py:function` (next to the agent file) or `package.module:function`.

Why it looks the way it does:
- Handlers run in worker processes (`worker_pool`), never in the CLI's own: a handler that
  holds the GIL, blocks its event loop, exits, forks or prints cannot stall the conversation
  or write into its output. The deadline is enforced here: at `timeout_s` the call is a
  `handler_timeout` result and the worker running it is killed (a thread cannot be stopped;
  a process can), so the next call gets a fresh worker.
- A handler is imported once per worker, inside the deadline (a module's top level is user
  code). Sync handlers run on the worker's main thread, async ones on its event loop.
- Arguments are passed as keywords. Arguments the handler does not accept (a model inventing an
  extra field) are dropped and logged, unless it takes `**kwargs`.
- What the model gets is capped at `RESULT_BYTES`, like an HTTP tool's `max_response_bytes`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from voicetools.spec.model import Function, HttpSpec
from voicetools.tools.base import ErrorCategory, ToolCall, ToolError, ToolResult, error_result
from voicetools.tools.daemon import in_daemon_thread
from voicetools.tools.handler_worker import HandlerNotFound
from voicetools.tools.outcome import result_from_exception, result_from_value
from voicetools.tools.redact import NO_SECRETS, Redactor
from voicetools.tools.response import cap_json, cut
from voicetools.tools.worker_pool import WorkerDied, WorkerPool, WorkerProcess

log = logging.getLogger(__name__)

RETRY_PAUSES_S = (0.1, 0.3)
"""Pauses before the retries of a handler that reported a temporary failure."""
RESULT_BYTES = HttpSpec.max_response_bytes
"""What the model receives from a handler is capped like an HTTP tool's default response."""
TRANSFER_BYTES = 4 * RESULT_BYTES
"""A worker sends at most this much of a value; a larger one arrives already truncated."""


def split_reference(reference: str) -> tuple[str, str]:
    """`"handlers/x.py:fn"` -> ("handlers/x.py", "fn"); HandlerNotFound when malformed."""
    target, sep, name = reference.rpartition(":")
    if not sep or not target or not name.isidentifier():
        raise HandlerNotFound(f"{reference!r} is not `file.py:function` or `module:function`")
    return target, name


def is_file_reference(target: str) -> bool:
    return target.endswith(".py") or "/" in target or "\\" in target


@dataclass
class _Attempt:
    """One call's claim on a worker, shared by the awaiting task and the thread doing it."""

    lock: threading.Lock
    abandoned: bool = False
    worker: WorkerProcess | None = None
    """Set while the request is with the worker: the one to kill if the deadline passes."""


class PythonExecutor:
    """Calls handler functions; one instance per agent session (it owns the workers)."""

    def __init__(self, base_dir: Path, *, redactor: Redactor = NO_SECRETS) -> None:
        self.base_dir = base_dir
        self.redactor = redactor
        """Masks a result before it is capped, so the cap cannot leave half a secret behind."""
        self.pool = WorkerPool()

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        """One call, retried while the handler itself reports a temporary failure.

        A handler that returns `{"error": "temporary"}` (or raises ToolError with TEMPORARY)
        says the attempt changed nothing, so trying again is safe. A timeout is never retried:
        the killed attempt may already have had effects.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        result = await self._attempt(function, call, timeout_s)
        attempts = 1
        for pause in RETRY_PAUSES_S:
            handler_said_temporary = (
                result.category is ErrorCategory.TEMPORARY
                and result.payload.get("error") != "handler_timeout"
            )
            if not handler_said_temporary or loop.time() + pause >= deadline:
                break
            await asyncio.sleep(pause)
            result = await self._attempt(function, call, deadline - loop.time())
            attempts += 1
        return replace(result, attempts=attempts)

    async def aclose(self) -> None:
        """Stop every worker (and what its handlers started)."""
        self.pool.close()

    async def _attempt(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        try:
            target, name = split_reference(function.python or "")
        except HandlerNotFound as exc:
            return _not_found(call, str(exc))
        is_file = is_file_reference(target)
        request = {
            "target": str((self.base_dir / target).resolve()) if is_file else target,
            "is_file": is_file,
            "name": name,
            "arguments": dict(call.arguments),
            "limit": TRANSFER_BYTES,
        }
        attempt = _Attempt(threading.Lock())
        work = asyncio.ensure_future(
            in_daemon_thread(lambda: self._exchange(attempt, request), name="voicetools-handler")
        )
        try:
            reply, output = await asyncio.wait_for(asyncio.shield(work), timeout_s)
        except asyncio.CancelledError:  # the conversation moved on: stop the handler too
            self._abandon(attempt, work)
            raise
        except TimeoutError:
            output = self._abandon(attempt, work)
            result = error_result(
                call,
                "handler_timeout",
                ErrorCategory.TEMPORARY,
                detail=f"the handler did not answer within {timeout_s:g} s",
            )
            return _with_output(result, output)
        except WorkerDied as exc:
            result = error_result(call, "handler_crashed", ErrorCategory.UNKNOWN, detail=str(exc))
            return _with_output(result, exc.output)
        return _with_output(_result(call, function, reply, self.redactor), output)

    def _abandon(self, attempt: _Attempt, work: asyncio.Future[Any]) -> str:
        """Give up on `attempt`: kill its worker if it has the request; what it printed."""
        with attempt.lock:
            attempt.abandoned = True
            running, attempt.worker = attempt.worker, None
        work.add_done_callback(_quiet)
        if running is None:
            return ""
        self.pool.discard(running)
        return running.output_after_kill()

    def _exchange(self, attempt: _Attempt, request: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """In a daemon thread: take a worker (maybe starting one), send the call, read the reply."""
        worker = self.pool.acquire()
        with attempt.lock:
            if attempt.abandoned:  # the deadline passed while waiting for a worker
                self.pool.release(worker)
                return {}, ""
            attempt.worker = worker
        try:
            answer = worker.call(request, TRANSFER_BYTES)
        except WorkerDied:
            self.pool.discard(worker)
            raise
        with attempt.lock:
            mine = attempt.worker is worker  # else the deadline passed and it was killed
            attempt.worker = None
        if mine:
            self.pool.release(worker)
        return answer


def _quiet(work: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned attempt's outcome, so asyncio does not log it as never retrieved."""
    if not work.cancelled():
        work.exception()


def _not_found(call: ToolCall, problem: str) -> ToolResult:
    result = error_result(call, "handler_not_found", ErrorCategory.UNKNOWN)
    return replace(result, detail={"problem": problem})


def _with_output(result: ToolResult, output: str) -> ToolResult:
    return replace(result, detail={**result.detail, "output": output}) if output else result


def _result(
    call: ToolCall, function: Function, reply: dict[str, Any], redactor: Redactor
) -> ToolResult:
    """The result for a worker's reply (see `handler_worker` for its shapes), masked before
    it is capped."""
    if reply.get("dropped"):
        log.info("handler %s does not take %s; dropped", function.python, reply["dropped"])
    if "value" in reply:
        result = result_from_value(call, reply["value"])
        if result.ok:
            payload, truncated = cap_json(redactor.value(result.payload), RESULT_BYTES)
            if truncated:
                log.info("handler %s answered more than %d bytes", function.python, RESULT_BYTES)
            result = replace(result, payload=payload)
        return result
    if "too_large" in reply:
        payload = {"truncated": True, "total_bytes": reply["too_large"]}
        payload["partial"] = cut(redactor.cut_tail(str(reply.get("partial", ""))), RESULT_BYTES)
        return ToolResult(call, payload)
    if "invalid" in reply:
        return error_result(
            call,
            "invalid_result",
            ErrorCategory.UNKNOWN,
            detail=f"the handler returned {reply['invalid']}",
        )
    if "not_found" in reply:
        return _not_found(call, str(reply["not_found"]))
    if "tool_error" in reply:
        fields = reply["tool_error"]
        error = ToolError(fields["message"], fields["category"], code=fields["code"])
        return result_from_exception(call, error)
    name = str(reply.get("exception", "Exception"))
    result = error_result(call, "handler_failed", ErrorCategory.UNKNOWN, detail=name)
    return replace(result, detail={"exception": name, "traceback": reply.get("traceback", "")})
