"""How results look on a terminal: the colour policy, and the only module allowed to import rich.

Lint output is plain text built by `voicetools.spec.report`; this module only decides whether
to colour it and how. Colour is a few ANSI SGR codes (no rich, no typer), so `validate` and its
typer-free fast path stay fast; rich, when a command wants live displays, is imported lazily here.

Colour is on when asked (`--color`), off when asked (`--no-color`) or when NO_COLOR is set to
anything non-empty (https://no-color.org), forced by FORCE_COLOR, otherwise on for a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from voicetools.spec.report import Style

_ROLE_SGR = {
    "error": "1;31",  # bold red
    "warning": "1;33",  # bold yellow
    "info": "36",  # cyan
    "code": "1",
    "path": "1",
    "hint": "90",  # bright black (grey)
    "summary": "1",
}


def want_color(flag: bool | None, stream: IO[str] | None = None) -> bool:
    """Resolve `--color/--no-color` (None: decide from the environment and the stream)."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def text_style(enabled: bool) -> Style | None:
    """A `style(role, text)` for `TextReporter`, or None for plain text."""
    if not enabled:
        return None

    def style(role: str, text: str) -> str:
        sgr = _ROLE_SGR.get(role)
        return f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text

    return style


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain aligned table (the last column is left ragged so long text is not padded)."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]
    lines = []
    for row in [headers, *rows]:
        cells = [str(c).ljust(w) for c, w in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, str(row[-1])]).rstrip())
    return "\n".join(lines) + "\n"


@contextmanager
def byte_progress(description: str, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr for copying or hashing bytes; yields `update(done, total)`.

    Disabled (a no-op callback) when not on a terminal, so piped output stays clean.
    """
    if not enabled:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
