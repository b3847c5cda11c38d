"""Hostile paths for the bounded-input tests: devices, links to devices, sockets, huge files.

Each maker returns the path to hand to a command and words its one-line refusal must contain.
A FIFO is not among them: opening one for reading blocks forever, so it is only ever given to a
subprocess that the test runs with a timeout (`run_voicetools`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SPARSE_BYTES = 100 * 1024 * 1024
"""A sparse file this large costs no disk, but reading it whole would cost 100 MB of memory."""

needs_devices = pytest.mark.skipif(
    not (os.path.exists("/dev/zero") and hasattr(os, "mkfifo")), reason="needs /dev/zero and FIFOs"
)


def char_device(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    return Path("/dev/zero"), "character device"


def urandom(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    return Path("/dev/urandom"), "character device"


def link_to_device(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    link = folder / name
    link.symlink_to("/dev/zero")
    return link, "character device"


def link_to_urandom(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    link = folder / name
    link.symlink_to("/dev/urandom")
    return link, "character device"


def one_byte_over(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    path = folder / name
    path.write_bytes(b" " * (cap + 1))
    return path, "larger than"


def sparse_100_mb(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    path = folder / name
    path.touch()
    os.truncate(path, SPARSE_BYTES)
    return path, "larger than"


def directory(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    path = folder / name
    path.mkdir()
    return path, "directory"


def missing(folder: Path, name: str, cap: int) -> tuple[Path, str]:
    return folder / name, "No such file or directory"


Maker = Callable[[Path, str, int], tuple[Path, str]]

DEVICE_AND_SIZE: dict[str, Maker] = {
    "dev-zero": char_device,
    "dev-urandom": urandom,
    "symlink-to-dev-zero": link_to_device,
    "one-byte-over-the-cap": one_byte_over,
    "sparse-100-mb": sparse_100_mb,
}
"""Hostile files every command must refuse, whatever it does with folders or missing paths."""

ALL_FILES: dict[str, Maker] = {**DEVICE_AND_SIZE, "directory": directory, "missing": missing}
IN_PLACE: dict[str, Maker] = {
    "symlink-to-dev-zero": link_to_device,
    "symlink-to-dev-urandom": link_to_urandom,
    "one-byte-over-the-cap": one_byte_over,
    "sparse-100-mb": sparse_100_mb,
    "directory": directory,
}
"""Hostile files made at the path asked for (a handler must sit where the agent names it)."""


@contextmanager
def unix_socket(name: str) -> Iterator[Path]:
    """A listening Unix socket (in a short temporary folder: socket paths are limited to ~100
    bytes, which pytest's tmp_path can exceed)."""
    with tempfile.TemporaryDirectory(prefix="vt") as folder:
        path = Path(folder) / name
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(path))
            sock.listen(1)
            yield path
        finally:
            sock.close()


def fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def run_voicetools(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m voicetools ARGS` in a subprocess: a command that blocks on a FIFO fails the
    test by its timeout instead of hanging the test run."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "voicetools", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def one_line(stderr: str) -> str:
    """The single line a refused file must produce on stderr (never a traceback)."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.strip().splitlines() if line]
    assert len(lines) == 1, stderr
    return lines[0]
