"""Run Python handlers: `file.py:function` (next to the agent file) or `package.module:function`.

Why it looks the way it does:
- A handler is imported once and cached. A module loaded from a file gets a unique module name
  (derived from its resolved path), so two agents with a `handlers/tasks.py` each never clash
  and never shadow an installed package called `tasks`.
- Sync handlers run in a daemon thread of their own, not `asyncio.to_thread`: a handler that
  hangs cannot be killed, and a pool thread would keep `asyncio.run` (and the interpreter) from
  exiting until it returns. A daemon thread is abandoned at the deadline and the result
  returns on time. Async handlers are awaited under `asyncio.wait_for` (an async handler that
  blocks the event loop cannot be cut off; write it with `await`).
- Import happens inside the deadline too, since a module's top level is user code.
- Arguments are passed as keywords. Arguments the handler does not accept (a model inventing an
  extra field) are dropped and logged, unless it takes `**kwargs`.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import importlib
import importlib.util
import inspect
import logging
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from voicetools.files import HANDLER_SOURCE_CAP, UnreadableFile, check_regular
from voicetools.spec.model import Function
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult, error_result
from voicetools.tools.outcome import result_from_exception, result_from_value

log = logging.getLogger(__name__)

RETRY_PAUSES_S = (0.1, 0.3)
"""Pauses before the retries of a handler that reported a temporary failure."""


class HandlerNotFound(Exception):
    """The `python:` reference cannot be resolved to a callable (a configuration error)."""


def split_reference(reference: str) -> tuple[str, str]:
    """`"handlers/x.py:fn"` -> ("handlers/x.py", "fn"); HandlerNotFound when malformed."""
    target, sep, name = reference.rpartition(":")
    if not sep or not target or not name.isidentifier():
        raise HandlerNotFound(f"{reference!r} is not `file.py:function` or `module:function`")
    return target, name


def is_file_reference(target: str) -> bool:
    return target.endswith(".py") or "/" in target or "\\" in target


def _load_file(path: Path) -> Any:
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    module_name = f"voicetools_handlers.{path.stem}_{digest}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    try:  # a FIFO would block the import forever, a device would never end
        check_regular(path, HANDLER_SOURCE_CAP, "a handler file")
    except UnreadableFile as exc:
        raise HandlerNotFound(str(exc)) from None
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise HandlerNotFound(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


class PythonExecutor:
    """Calls handler functions; one instance per agent (it caches what it imported)."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir
        self._handlers: dict[str, Callable[..., Any]] = {}
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def resolve(self, reference: str) -> Callable[..., Any]:
        """The callable behind `reference`, imported on first use; HandlerNotFound if none."""
        with self._lock:
            cached = self._handlers.get(reference)
            if cached is not None:
                return cached
            # One lock per reference: a module whose import hangs blocks only its own handlers.
            lock = self._locks.setdefault(reference, threading.Lock())
        with lock:
            cached = self._handlers.get(reference)
            if cached is not None:
                return cached
            target, name = split_reference(reference)
            if is_file_reference(target):
                module = _load_file((self.base_dir / target).resolve())
            else:
                try:
                    module = importlib.import_module(target)
                except ModuleNotFoundError as exc:
                    raise HandlerNotFound(f"module {target!r} cannot be imported: {exc}") from None
            handler = getattr(module, name, None)
            if not callable(handler):
                raise HandlerNotFound(f"{target} has no function {name!r}")
            self._handlers[reference] = handler
            return handler

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        """One call, retried while the handler itself reports a temporary failure.

        A handler that returns `{"error": "temporary"}` (or raises ToolError with TEMPORARY)
        says the attempt changed nothing, so trying again is safe. A timeout is never retried:
        the abandoned attempt may still be running and may still have effects.
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

    async def _attempt(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        reference = function.python or ""
        try:
            value = await asyncio.wait_for(self._call(reference, call.arguments), timeout_s)
        except TimeoutError:
            return error_result(
                call,
                "handler_timeout",
                ErrorCategory.TEMPORARY,
                detail=f"the handler did not answer within {timeout_s:g} s",
            )
        except HandlerNotFound as exc:
            result = error_result(call, "handler_not_found", ErrorCategory.UNKNOWN)
            return replace(result, detail={"problem": str(exc)})
        except Exception as exc:  # noqa: BLE001 - a handler's bug is a result, not a crash
            return result_from_exception(call, exc)
        return result_from_value(call, value)

    async def _call(self, reference: str, arguments: Mapping[str, Any]) -> Any:
        """Import (if needed) and call in a daemon thread; await the coroutine if it is async."""
        value = await _in_daemon_thread(lambda: _invoke(self.resolve(reference), arguments))
        if inspect.isawaitable(value):
            value = await value
        return value


def _invoke(handler: Callable[..., Any], arguments: Mapping[str, Any]) -> Any:
    """Call `handler`; an async handler only creates its coroutine here (awaited by the caller)."""
    return handler(**_accepted(handler, dict(arguments)))


def _accepted(handler: Callable[..., Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        params = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return kwargs
    names = {p.name for p in params if p.kind is not inspect.Parameter.POSITIONAL_ONLY}
    dropped = sorted(set(kwargs) - names)
    if dropped:
        log.info("handler %s does not take %s; dropped", getattr(handler, "__name__", "?"), dropped)
    return {k: v for k, v in kwargs.items() if k in names}


async def _in_daemon_thread(work: Callable[[], Any]) -> Any:
    """Run `work` in a fresh daemon thread; cancelling the await abandons the thread."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    context = contextvars.copy_context()

    def settle(value: Any, exc: BaseException | None) -> None:
        if future.done():
            return
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(value)

    def target() -> None:
        try:
            value, exc = context.run(work), None
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting task
            value, exc = None, error
            if not isinstance(error, Exception) or isinstance(error, StopIteration):
                # SystemExit and friends must not stop the event loop; StopIteration cannot
                # be set on a Future at all.
                exc = RuntimeError(f"the handler raised {type(error).__name__}")
        try:
            loop.call_soon_threadsafe(settle, value, exc)
        except RuntimeError:
            log.debug("a handler finished after its event loop closed; result dropped")

    threading.Thread(target=target, name="voicetools-handler", daemon=True).start()
    return await future
