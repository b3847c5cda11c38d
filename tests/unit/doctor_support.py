"""Shared by the `voicetools doctor` tests: find one line of the report."""

from __future__ import annotations


def report_line(output: str, prefix: str) -> str:
    """The one line of `output` that starts with `prefix` (fails when there are 0 or 2+)."""
    found = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(found) == 1, output
    return found[0]
