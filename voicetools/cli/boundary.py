"""The CLI's error boundary: every failure becomes one line on stderr and exit code 2.

Library code raises `VoicetoolsError` subclasses whose text is already `path:line:col: message`
(see `voicetools.errors`); here they are printed as they are. Anything else is a bug in
voicetools, not in the user's file, so it is reported as such, still in one line, never as a
traceback (set VOICETOOLS_DEBUG=1 to see the traceback). typer is imported only where an exit
must go through it, so the typer-free fast path (`cli.fast_path`) can share these messages.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from voicetools.errors import UsageError, VoicetoolsError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def note(message: str) -> None:
    """A diagnostic for people, on stderr so that stdout stays machine-readable."""
    print(f"voicetools: {message}", file=sys.stderr, flush=True)


def internal_error(exc: BaseException, where: str = "") -> str:
    """The one line shown for a bug in voicetools itself."""
    prefix = f"{where}: " if where else ""
    return (
        f"{prefix}internal error ({type(exc).__name__}: {exc}); "
        "please report it with the file that caused it"
    )


def error_line(exc: Exception) -> str:
    """The one stderr line for an exception reaching the CLI (re-raised when debugging)."""
    if isinstance(exc, UsageError):
        return f"voicetools: error: {exc}"
    if isinstance(exc, VoicetoolsError):
        return str(exc)
    if os.environ.get("VOICETOOLS_DEBUG"):
        raise exc
    return f"voicetools: {internal_error(exc)}"


def fail(message: str) -> NoReturn:
    """Print `voicetools: error: message` on stderr and exit 2."""
    import typer

    print(f"voicetools: error: {message}", file=sys.stderr, flush=True)
    raise typer.Exit(EXIT_USAGE)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Wrap a command body: any exception -> its one line on stderr, exit 2."""
    import typer

    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        from voicetools.tools import mask_error

        print(mask_error(exc, error_line(exc)), file=sys.stderr, flush=True)
        raise typer.Exit(EXIT_USAGE) from None
