"""Read a file the user named: regular files only, and never more than that kind of file's cap.

Every path a user hands to voicetools (agent, scenario, import JSON, `--args @file`, handler
source, `--config`) is read through `read_bounded`; readers that need a path (the import
system, `wave`) call `check_regular` first. A device such as /dev/zero never ends and
a FIFO blocks its reader forever, so the kind of file is checked with `os.stat` (which follows
symlinks, so a link to /dev/zero is judged by its target) before anything is opened, the open
itself does not block (O_NONBLOCK), and the opened descriptor is checked again in case the
path was swapped in between. At most cap + 1 bytes are read, so a file whose size the
file system misreports (or that grows while being read) is still refused without being read
whole.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from voicetools.errors import Location, SpecError

KIB = 1024
MIB = 1024 * KIB

AGENT_FILE_CAP = 1 * MIB
"""An agent file is a few KB of YAML; a megabyte is already a mistake."""
SCENARIO_FILE_CAP = 4 * MIB
"""Scenario files grow with their conversations, but stay far below this."""
IMPORT_FILE_CAP = 4 * MIB
"""Tool JSON exported from a platform: hundreds of functions fit in a few hundred KB."""
ARGS_FILE_CAP = 1 * MIB
"""`--args @file`: the arguments of one function call."""
HANDLER_SOURCE_CAP = 2 * MIB
"""A Python handler module; generated code can be large, two megabytes is not a handler."""
CONFIG_FILE_CAP = 1 * MIB
"""pyproject.toml or a `--config` TOML file."""
WAV_FILE_CAP = 256 * MIB
"""A caller recording, decoded whole: over two hours of 16 kHz mono, 20 minutes of CD audio."""
TRANSCRIPT_FILE_CAP = 32 * MIB
"""A `--transcript` file: a record is a few hundred bytes, so this is over 100,000 events."""
REPORT_AUDIO_CAP = 64 * MIB
"""A recording embedded in a report page (base64, a third larger): over half an hour at
16 kHz; browsers stall on pages much larger than that."""

_CHUNK = 64 * KIB
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class UnreadableFile(SpecError):
    """A named file that voicetools refuses or fails to read; located at its 1:1."""


def size_text(count: int) -> str:
    """`1 MiB`, `512 KiB` or `300 bytes`: caps and sizes as people read them."""
    if count >= MIB and count % MIB == 0:
        return f"{count // MIB} MiB"
    if count >= KIB and count % KIB == 0:
        return f"{count // KIB} KiB"
    return f"{count} bytes"


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a character device"), or None for a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _refuse(shown: str, reason: str) -> UnreadableFile:
    return UnreadableFile(f"cannot read file: {reason}", Location(shown, 1, 1))


def check_regular(path: str | Path, cap: int, what: str) -> os.stat_result:
    """The file's stat if it is a regular file within `cap`; `UnreadableFile` otherwise.

    For readers that open the path themselves (the import system, `wave`): they are spared
    devices and FIFOs, and files past the cap by their size on disk.
    """
    shown = str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _refuse(shown, exc.strerror or str(exc)) from None
    except ValueError:  # an embedded NUL byte in the path
        raise _refuse(shown, "the path is not valid") from None
    kind = special_kind(info.st_mode)
    if kind is not None:
        raise _refuse(shown, f"it is {kind}; {what} must be a regular file")
    if info.st_size > cap:
        raise _too_large(shown, cap, what)
    return info


def _too_large(shown: str, cap: int, what: str) -> UnreadableFile:
    return _refuse(shown, f"larger than {size_text(cap)}, the limit for {what}")


def read_bounded(path: str | Path, cap: int, what: str) -> bytes:
    """The bytes of regular file `path`, at most `cap` of them; `UnreadableFile` otherwise.

    `what` names the kind of file in messages ("an agent file"). The error's location is
    `path:1:1`, so it prints as one `file:line:col: message` line.
    """
    shown = str(path)
    check_regular(path, cap, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refuse(shown, exc.strerror or str(exc)) from None
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind is not None:  # replaced between the stat and the open
            raise _refuse(shown, f"it is {kind}; {what} must be a regular file")
        chunks: list[bytes] = []
        left = cap + 1
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _refuse(shown, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if left <= 0:
        raise _too_large(shown, cap, what)
    return b"".join(chunks)


def read_bounded_text(path: str | Path, cap: int, what: str) -> str:
    """`read_bounded`, decoded as UTF-8 (a BOM is dropped); `UnreadableFile` if it is not."""
    raw = read_bounded(path, cap, what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnreadableFile(
            "file is not valid UTF-8 text", Location(str(path), line, col)
        ) from None
