"""What lint produces (findings, results) and the catalogue every rule module registers in.

Apart from `lint.py` so the rule modules can import it while `lint.py` imports the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from voicetools.errors import Location
from voicetools.spec.load import Document, JsonPath
from voicetools.spec.model import Agent


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class RuleInfo:
    """What a rule code means."""

    code: str
    name: str
    """kebab-case, e.g. "unknown-field"."""
    severity: Severity
    summary: str


@dataclass(frozen=True)
class Finding:
    """One problem at one place."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None
    """A suggested fix, e.g. "did you mean `description`?"."""


ALWAYS_REPORTED = frozenset({"Y101"})
"""Codes meaning the file could not be read at all: no filter or comment may hide them, or an
unreadable file would pass as a clean one."""


@dataclass(frozen=True)
class LintConfig:
    """Which rules run: from `--select/--ignore/--target` and `[tool.voicetools]`."""

    select: tuple[str, ...] = ()
    """Code prefixes to keep (empty: all)."""
    ignore: tuple[str, ...] = ()
    """Code prefixes to drop."""
    targets: tuple[str, ...] = ()
    """Dialects whose portability rules run: openai, anthropic, gemini, llama."""

    def enabled(self, code: str) -> bool:
        if code in ALWAYS_REPORTED:
            return True
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


@dataclass(frozen=True)
class LintResult:
    """All findings for one file."""

    path: str
    findings: tuple[Finding, ...]
    suppressed: int = 0
    kind: str = "agent"
    """"agent", or "scenario" for a scenario file (checked by `voicetools test`)."""

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


CATALOG: dict[str, RuleInfo] = {}
RULES: list[Callable[[LintContext], Iterable[Finding]]] = []


def declare(code: str, name: str, severity: Severity, summary: str) -> None:
    """Add a code to the catalogue (each rule module declares its own codes)."""
    if code in CATALOG:
        raise ValueError(f"rule code {code} declared twice")
    CATALOG[code] = RuleInfo(code, name, severity, summary)


def rule(func: Callable[[LintContext], Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
    """Register a rule function."""
    RULES.append(func)
    return func


@dataclass
class LintContext:
    """What a rule sees: the raw document (for marks), the built model and the config."""

    doc: Document
    agent: Agent
    config: LintConfig = field(default_factory=LintConfig)

    def finding(
        self,
        code: str,
        message: str,
        path: JsonPath,
        *,
        key: bool = False,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at `path` (the key's position when `key`), severity from the catalogue."""
        info = CATALOG[code]
        return Finding(
            code, severity or info.severity, message, self.doc.locate(path, key=key), hint
        )
