"""The exceptions voicetools raises, one tree so callers can catch at the right depth.

    VoicetoolsError               anything we raise on purpose; never a bare traceback to the user
    ├── SpecError                 an agent, scenario or config file cannot be read (file:line:col)
    ├── UsageError                the command line asks for something impossible
    └── BackendError              a model, audio device or optional package is missing or broken

Errors meant for the LLM (and so for the caller's ears) are *results*, not exceptions: see
`voicetools.tools.base.ToolResult`. Their messages are safe to speak.
"""

from __future__ import annotations

from dataclasses import dataclass


class VoicetoolsError(Exception):
    """Base of every error voicetools raises on purpose."""


@dataclass(frozen=True)
class Location:
    """A place in a file, 1-based like editors show it."""

    path: str
    """The file as the user named it."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class SpecError(VoicetoolsError):
    """A file cannot be read as an agent/scenario file at all."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class UsageError(VoicetoolsError):
    """The command line is wrong (exit code 2)."""


class BackendError(VoicetoolsError):
    """A model, device or optional dependency is missing or broken; the message says the fix."""
