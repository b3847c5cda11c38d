"""The worker process that runs Python handlers (the child side of `worker_pool`).

It speaks JSON lines over private copies of its stdin and stdout; file descriptors 0, 1 and 2
themselves are then pointed away (stdin at the null device, stdout and stderr at the parent's
output pipe), so whatever a handler reads or prints, through Python or C, never touches the
protocol or the CLI's own output. After each call the worker writes the parent's marker to
that pipe, so the parent knows which output belongs to which call.

One request: {"target", "is_file", "name", "arguments", "limit"}. One reply, always:
{"value": ...} | {"invalid": why} | {"too_large": n, "partial": text} | {"not_found": why} |
{"tool_error": {...}} | {"exception": type name, "traceback": text}, with "dropped" (argument
names the handler does not take). A process forked by a handler exits as soon as it returns
here, so it can never answer or read a request meant for the worker.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from voicetools.files import HANDLER_SOURCE_CAP, UnreadableFile, check_regular
from voicetools.tools.base import ToolError
from voicetools.tools.outcome import plain
from voicetools.tools.response import MAX_DEPTH, depth

TRACEBACK_CHARS = 16_000


class HandlerNotFound(Exception):
    """The `python:` reference cannot be resolved to a callable (a configuration error)."""


def _load_file(path: Path) -> Any:
    # A unique module name per resolved path: two agents' `handlers/tasks.py` never clash and
    # never shadow an installed package called `tasks`.
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


def resolve(target: str, is_file: bool, name: str) -> Callable[..., Any]:
    """The handler function, importing its module on first use."""
    if is_file:
        module = _load_file(Path(target))
    else:
        try:
            module = importlib.import_module(target)
        except ModuleNotFoundError as exc:
            raise HandlerNotFound(f"module {target!r} cannot be imported: {exc}") from None
    handler = getattr(module, name, None)
    if not callable(handler):
        raise HandlerNotFound(f"{target} has no function {name!r}")
    return handler


def accepted(
    handler: Callable[..., Any], kwargs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """(the arguments the handler takes, the names dropped); all of them for `**kwargs`."""
    try:
        params = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return kwargs, []
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return kwargs, []
    names = {p.name for p in params if p.kind is not inspect.Parameter.POSITIONAL_ONLY}
    return {k: v for k, v in kwargs.items() if k in names}, sorted(set(kwargs) - names)


def encode_value(value: Any, limit: int) -> str:
    """The reply line for a return value: strict JSON, bounded in depth and size."""
    try:
        value = plain(value)
        if depth(value) > MAX_DEPTH:
            return json.dumps({"invalid": f"it is nested deeper than {MAX_DEPTH} levels"})
        compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except RecursionError:
        return json.dumps({"invalid": f"it is nested deeper than {MAX_DEPTH} levels"})
    except ValueError:
        return json.dumps({"invalid": "it holds NaN or Infinity, which JSON has no words for"})
    except TypeError:
        return json.dumps({"invalid": f"a {type(value).__name__} that is not JSON-serialisable"})
    size = len(compact.encode("utf-8"))
    if size > limit:
        partial = compact.encode("utf-8")[:limit].decode("utf-8", "ignore")
        return json.dumps({"too_large": size, "partial": partial}, ensure_ascii=False)
    return '{"value":' + compact + "}"


class Worker:
    """The request loop; one handler call at a time, on the main thread."""

    def __init__(self, replies: BinaryIO, marker: bytes) -> None:
        self.replies = replies
        self.marker = marker
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.handlers: dict[tuple[str, bool, str], Callable[..., Any]] = {}

    def handle(self, request: dict[str, Any]) -> str:
        dropped: list[str] = []
        try:
            key = (request["target"], bool(request["is_file"]), request["name"])
            if key not in self.handlers:
                self.handlers[key] = resolve(*key)
            handler = self.handlers[key]
            kwargs, dropped = accepted(handler, dict(request["arguments"]))
            value = handler(**kwargs)
            if inspect.isawaitable(value):
                value = self._await(value)
            line = encode_value(value, int(request["limit"]))
        except HandlerNotFound as exc:
            line = json.dumps({"not_found": str(exc)})
        except ToolError as exc:
            error = {"message": exc.message, "category": exc.category.value, "code": exc.code}
            line = json.dumps({"tool_error": error})
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
            trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            trace = trace[-TRACEBACK_CHARS:]
            line = json.dumps({"exception": type(exc).__name__, "traceback": trace})
        return line[:-1] + f',"dropped":{json.dumps(dropped)}}}'

    def _await(self, awaitable: Any) -> Any:
        async def wrapped() -> Any:
            return await awaitable

        try:
            return self.loop.run_until_complete(wrapped())
        except BaseException as exc:
            if not isinstance(exc, Exception):  # the loop may be left half-stopped: start afresh
                self.loop.close()
                self.loop = asyncio.new_event_loop()
            raise

    def serve(self, requests: BinaryIO) -> None:
        for raw in requests:
            reply = self.handle(json.loads(raw))
            if os.getpid() != self.pid:
                os._exit(0)  # a handler forked and this is the child: it must not answer
            _end_output(self.marker)
            self.replies.write(reply.encode("utf-8") + b"\n")
            self.replies.flush()


def _end_output(marker: bytes) -> None:
    """Flush what the handler printed and mark its end; a handler may have closed any of it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        os.write(2, marker + b"\n")
    except OSError:
        pass


def main() -> None:
    """Entry point; argv[1] is the marker line that ends each call's output."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)  # the parent gave us an output pipe as stderr; stdout joins it
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the process's lifetime
    # Line by line, so what a handler printed before it hung or was killed still reaches the log.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)
    worker = Worker(replies, sys.argv[1].encode("ascii"))
    replies.write(b'{"ready":true}\n')
    replies.flush()
    worker.serve(requests)
