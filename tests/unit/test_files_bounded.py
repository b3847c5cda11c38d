"""`voicetools.files.read_bounded`: regular files only, at most the cap, never read whole."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hostile_files import ALL_FILES, SPARSE_BYTES, Maker, fifo, needs_devices, unix_socket

from voicetools.errors import SpecError
from voicetools.files import (
    AGENT_FILE_CAP,
    UnreadableFile,
    check_regular,
    read_bounded,
    read_bounded_text,
    size_text,
)

pytestmark = needs_devices
CAP = 1024


@pytest.mark.parametrize("make", ALL_FILES.values(), ids=list(ALL_FILES))
def test_hostile_files_are_refused_at_1_1_with_what_they_are(tmp_path: Path, make: Maker) -> None:
    path, words = make(tmp_path, "agent.yaml", CAP)
    with pytest.raises(UnreadableFile) as caught:
        read_bounded(path, CAP, "an agent file")
    assert isinstance(caught.value, SpecError)
    assert str(caught.value).startswith(f"{path}:1:1: cannot read file: ")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_unix_socket_is_refused() -> None:
    with unix_socket("agent.yaml") as path, pytest.raises(UnreadableFile, match="a socket"):
        read_bounded(path, CAP, "an agent file")


def test_the_cap_itself_is_allowed_and_one_byte_more_is_not(tmp_path: Path) -> None:
    exact = tmp_path / "exact.json"
    exact.write_bytes(b"x" * CAP)
    assert read_bounded(exact, CAP, "an arguments file") == b"x" * CAP
    exact.write_bytes(b"x" * (CAP + 1))
    with pytest.raises(UnreadableFile, match=r"larger than 1 KiB, the limit for an arguments"):
        read_bounded(exact, CAP, "an arguments file")


def test_a_sparse_100_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.touch()
    os.truncate(path, SPARSE_BYTES)
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile, match="larger than 1 MiB"):
            read_bounded(path, AGENT_FILE_CAP, "an agent file")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024, peak


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_file_whose_size_is_misreported_is_still_cut_at_the_cap() -> None:
    # /proc files are regular files that report size 0, so only reading cap + 1 bytes can tell.
    proc = Path("/proc/self/status")
    assert proc.stat().st_size == 0
    with pytest.raises(UnreadableFile, match="larger than 16 bytes"):
        read_bounded(proc, 16, "a test file")
    assert read_bounded(proc, 1 * 1024 * 1024, "a test file").startswith(b"Name:")


def test_text_must_be_utf8_and_the_error_points_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "args.json"
    path.write_bytes(b'{\n  "a": "caf\xe9"}\n')
    with pytest.raises(UnreadableFile) as caught:
        read_bounded_text(path, CAP, "an arguments file")
    assert str(caught.value) == f"{path}:2:12: file is not valid UTF-8 text"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert read_bounded_text(path, CAP, "an arguments file") == '{"a": 1}'


def test_check_regular_refuses_without_opening(tmp_path: Path) -> None:
    link = tmp_path / "handler.py"
    link.symlink_to("/dev/urandom")
    with pytest.raises(UnreadableFile, match="character device; a handler file must be"):
        check_regular(link, CAP, "a handler file")
    regular = tmp_path / "ok.py"
    regular.write_text("x = 1\n", encoding="utf-8")
    assert check_regular(regular, CAP, "a handler file").st_size == 6


def test_a_path_with_a_nul_byte_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not valid"):
        read_bounded("bad\0name.yaml", CAP, "an agent file")


@pytest.mark.parametrize(
    ("count", "text"),
    [(1024 * 1024, "1 MiB"), (4 * 1024 * 1024, "4 MiB"), (2048, "2 KiB"), (1000, "1000 bytes")],
)
def test_size_text(count: int, text: str) -> None:
    assert size_text(count) == text


def _errors_in_a_fresh_process(read: str, imports: str, *paths: Path) -> list[str]:
    """The UnreadableFile message `read(path)` raises for each of `paths`, one line each, from
    a fresh interpreter: a read that blocked on a FIFO would hang it, and the timeout fails it."""
    script = (
        "import sys\n"
        f"{imports}\n"
        "from voicetools.files import UnreadableFile\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        f"        {read}\n"
        "    except UnreadableFile as exc:\n"
        "        print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = fifo(tmp_path, "agent.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(pipe)
    read = "read_bounded(path, 1024, 'an agent file')"
    imports = "from voicetools.files import read_bounded"
    assert _errors_in_a_fresh_process(read, imports, pipe, link) == [
        f"{pipe}:1:1: cannot read file: it is a FIFO (named pipe); an agent file must be a "
        "regular file",
        f"{link}:1:1: cannot read file: it is a FIFO (named pipe); an agent file must be a "
        "regular file",
    ]


def test_a_caller_recording_must_be_a_regular_file(tmp_path: Path) -> None:
    pipe = fifo(tmp_path, "caller.wav")
    link = tmp_path / "zero.wav"
    link.symlink_to("/dev/zero")
    imports = "from voicetools.audio.pcm import read_wav"
    assert _errors_in_a_fresh_process("read_wav(path)", imports, pipe, link) == [
        f"{pipe}:1:1: cannot read file: it is a FIFO (named pipe); a WAV recording must be a "
        "regular file",
        f"{link}:1:1: cannot read file: it is a character device; a WAV recording must be a "
        "regular file",
    ]
