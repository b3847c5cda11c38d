"""The agent file: load (YAML with marks), model (frozen dataclasses), lint (rules), schema."""

from __future__ import annotations

from pathlib import Path

from voicetools.errors import SpecError
from voicetools.spec.model import Agent, Function, HttpSpec

__all__ = ["Agent", "Function", "HttpSpec", "load_agent"]


def load_agent(path: str | Path) -> Agent:
    """Read, lint and build an agent for running; `SpecError` (with location) on any error.

    Warnings do not stop a run; `voicetools validate` shows them.
    """
    from voicetools.spec.build import build_agent
    from voicetools.spec.lint import Severity, lint_document
    from voicetools.spec.load import read_document

    doc = read_document(path)
    result = lint_document(doc)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        more = (
            f" (and {len(errors) - 1} more; run `voicetools validate {path}`)"
            if len(errors) > 1
            else ""
        )
        raise SpecError(f"{first.code} {first.message}{more}", first.location)
    return build_agent(doc)
