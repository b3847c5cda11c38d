"""Worker processes for Python handlers (the parent side of `handler_worker`).

A handler is user code: it may hold the GIL, block its event loop, call `os._exit`, fork or
print. Only a process can be stopped whatever it does, so handlers run in workers, started on
the first call (`sys.executable`, no fork: the same on Windows and macOS) and kept warm. One
worker runs one call at a time; a call that finds every worker busy starts another, up to
`MAX_WORKERS`, so parallel calls do not wait for each other; beyond that they queue (the
queue time counts against their deadline). A worker that overran its deadline is killed with
every process it started (its own process group on POSIX), and the next call starts a fresh one.

Everything here blocks, and runs in daemon threads (`python.py`), so a pool outlives the event
loop it was first used from. What a handler printed is collected per call, capped at
`OUTPUT_BYTES`, and handed back for the log.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import weakref
from typing import IO, Any

MAX_WORKERS = 4
STARTUP_S = 30.0
"""A worker that has not said it is ready by then is broken (a missing interpreter, say)."""
OUTPUT_BYTES = 4096
OUTPUT_WAIT_S = 0.5
KILLED_OUTPUT_WAIT_S = 0.2
REPLY_SLACK_BYTES = 65_536
"""Room in a reply line beyond the value's own limit (the envelope, a traceback)."""
_BOOT = (
    "import sys, json; sys.path[:] = json.loads(sys.argv[2]); "
    "from voicetools.tools.handler_worker import main; main()"
)


class WorkerDied(Exception):
    """The worker process ended (or broke the protocol) before it answered."""

    def __init__(self, returncode: int | None, output: str) -> None:
        super().__init__(f"the handler's process ended (exit code {returncode})")
        self.returncode = returncode
        self.output = output


class WorkerProcess:
    """One worker: its process, its protocol pipes and the drain of what its handlers print."""

    def __init__(self) -> None:
        self.marker = secrets.token_hex(16)
        self.busy = False
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-c", _BOOT, self.marker, json.dumps(sys.path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            raise WorkerDied(None, f"cannot start {sys.executable}: {exc}") from exc
        assert self.process.stdin and self.process.stdout and self.process.stderr
        self._requests: IO[bytes] = self.process.stdin
        self._replies: IO[bytes] = self.process.stdout
        self._output = bytearray()
        self._dropped = 0
        self._ends = threading.Semaphore(0)
        self._output_lock = threading.Lock()
        self._drain = threading.Thread(
            target=self._drain_output, args=(self.process.stderr,), daemon=True
        )
        self._drain.start()
        timer = threading.Timer(STARTUP_S, self.kill)
        timer.daemon = True
        timer.start()
        try:
            ready = self._replies.readline(256)
        finally:
            timer.cancel()
        if ready.strip() != b'{"ready":true}':
            self.kill()
            self.close_pipes()
            self._drain.join(OUTPUT_WAIT_S)
            raise WorkerDied(self.process.returncode, self.take_output())

    @property
    def pid(self) -> int:
        return self.process.pid

    def _drain_output(self, stream: IO[bytes]) -> None:
        end = self.marker.encode("ascii") + b"\n"
        for line in iter(lambda: stream.readline(8192), b""):
            text = line[: -len(end)] if line.endswith(end) else line
            with self._output_lock:
                room = OUTPUT_BYTES - len(self._output)
                self._output += text[: max(room, 0)]
                self._dropped += max(len(text) - max(room, 0), 0)
            if line.endswith(end):
                self._ends.release()
        stream.close()

    def take_output(self) -> str:
        with self._output_lock:
            data, dropped = bytes(self._output), self._dropped
            self._output.clear()
            self._dropped = 0
        text = data.decode("utf-8", "replace")
        return text + (f"…[truncated {dropped} bytes]" if dropped else "")

    def output_after_kill(self) -> str:
        """What the handler printed before it was killed (a moment for the drain to catch up)."""
        self._drain.join(KILLED_OUTPUT_WAIT_S)
        return self.take_output()

    def call(self, request: dict[str, Any], limit: int) -> tuple[dict[str, Any], str]:
        """(the reply, what the handler printed); WorkerDied if the process ended first."""
        self.take_output()  # whatever a forked child printed since the last call is not ours
        while self._ends.acquire(blocking=False):
            pass  # a marker that came after its call stopped waiting for it
        self.busy = True
        try:
            self._requests.write(json.dumps(request).encode("utf-8") + b"\n")
            self._requests.flush()
            line = self._replies.readline(limit + REPLY_SLACK_BYTES)
            reply = json.loads(line) if line.endswith(b"\n") else None
        except (OSError, ValueError):
            reply = None
        finally:
            self.busy = False
        if not isinstance(reply, dict):
            self.kill()
            self.close_pipes()
            self._drain.join(OUTPUT_WAIT_S)
            raise WorkerDied(self.process.returncode, self.take_output())
        self._ends.acquire(timeout=OUTPUT_WAIT_S)
        return reply, self.take_output()

    def kill(self) -> None:
        """End the worker and everything it started; reap it (no zombie is left).

        The reply pipe is left open: a thread may be blocked reading it (it sees the end of
        the pipe and closes it); closing it here would wait for that read.
        """
        if self.process.returncode is None:
            try:
                if os.name == "posix":
                    os.killpg(self.process.pid, signal.SIGKILL)
                else:
                    self.process.kill()
            except (ProcessLookupError, PermissionError):
                pass
        self.process.wait()

    def close_pipes(self) -> None:
        for pipe in (self._requests, self._replies):
            try:
                pipe.close()
            except OSError:
                pass


class WorkerPool:
    """The workers of one executor; thread-safe, usable from any event loop."""

    def __init__(self, max_workers: int = MAX_WORKERS) -> None:
        self.max_workers = max_workers
        self._idle: list[WorkerProcess] = []
        self._all: set[WorkerProcess] = set()
        self._starting = 0
        self._closed = False
        self._changed = threading.Condition()
        # Kill the workers even when nobody calls close() (a test, an interpreter exiting).
        self._finalizer = weakref.finalize(self, _kill_all, self._all)

    def acquire(self) -> WorkerProcess:
        """An idle worker, or a new one while fewer than `max_workers` exist; else wait."""
        with self._changed:
            while not self._idle and len(self._all) + self._starting >= self.max_workers:
                if self._closed:
                    raise WorkerDied(None, "")
                self._changed.wait()
            if self._closed:
                raise WorkerDied(None, "")
            if self._idle:
                return self._idle.pop()
            self._starting += 1
        try:
            worker = WorkerProcess()
        finally:
            with self._changed:
                self._starting -= 1
                self._changed.notify_all()
        with self._changed:
            self._all.add(worker)
            if self._closed:
                self._discard_locked(worker)
                raise WorkerDied(None, "")
        return worker

    def release(self, worker: WorkerProcess) -> None:
        with self._changed:
            if worker in self._all and not self._closed:
                self._idle.append(worker)
            self._changed.notify_all()

    def discard(self, worker: WorkerProcess) -> None:
        """Kill `worker` (timed out, crashed): its slot is free for a fresh one."""
        with self._changed:
            self._discard_locked(worker)

    def _discard_locked(self, worker: WorkerProcess) -> None:
        self._all.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)
        worker.kill()
        self._changed.notify_all()

    @property
    def pids(self) -> list[int]:
        with self._changed:
            return [worker.pid for worker in self._all]

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._finalizer()


def _kill_all(workers: set[WorkerProcess]) -> None:
    for worker in list(workers):
        worker.kill()
        if not worker.busy:
            worker.close_pipes()
    workers.clear()
