"""Project settings for `voicetools validate`: the `[tool.voicetools]` table of pyproject.toml.

Teams put the linter in CI and want the same rules locally, so the settings live with the code
(like ruff's `[tool.ruff]`). The nearest pyproject.toml *with* a `[tool.voicetools]` table,
walking up from the current folder, is used; `--config FILE` names one explicitly (a
pyproject.toml, or any TOML file whose top level holds the same keys).

    [tool.voicetools]
    select = ["S", "H"]          # code prefixes to keep (default: all)
    ignore = ["V101"]            # code prefixes to drop
    targets = ["openai"]         # portability rules to add (also: target = "openai")
    exclude = ["agents/old/*"]   # globs (relative to this file, or a bare file/folder name)
                                 # skipped when searching folders; named files always run
    strict = true                # warnings fail the run too

Command-line flags win: `--select` replaces `select`; `--ignore`, `--target` and `--exclude`
add to the lists; `--strict` turns strict on.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePath
from typing import Any

from voicetools.errors import Location, SpecError
from voicetools.files import CONFIG_FILE_CAP, read_bounded_text

TARGETS = ("openai", "anthropic", "gemini", "llama")
_KEYS = ("select", "ignore", "targets", "target", "exclude", "strict", "model", "llm_url")


@dataclass(frozen=True)
class ProjectConfig:
    """What a `[tool.voicetools]` table says; empty when there is none."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    """Globs matched against the path relative to `root`, and against each file or folder name
    in it (so `old` skips every folder called old, `*.draft.yaml` every such file)."""
    strict: bool = False
    model: str | None = None
    """The default model for chat and test: a name from `voicetools models` or a GGUF path."""
    llm_url: str | None = None
    """An OpenAI-compatible server to use instead of a local model."""
    source: Path | None = None
    """The TOML file these settings came from, for messages."""
    root: Path = Path(".")
    """The folder `exclude` globs are relative to."""

    def excluded(self, path: Path) -> bool:
        try:
            rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = PurePath(path).as_posix()
        names = PurePath(rel).parts
        return any(fnmatch(rel, pat) or any(fnmatch(n, pat) for n in names) for pat in self.exclude)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a `[tool.voicetools]` table."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and re.search(
            r"^\s*\[\s*tool\.voicetools\s*\]", _read(candidate), re.MULTILINE
        ):
            return candidate
    return None


def load_project_config(path: Path) -> ProjectConfig:
    """Read and check one TOML file; `SpecError` with its location for anything wrong."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        raise SpecError(
            f"invalid TOML: {str(exc).split(' (at')[0]}", Location(str(path), line, col)
        ) from None
    tool = data.get("tool")
    table = tool.get("voicetools") if isinstance(tool, dict) else None
    if table is None:
        table = data if path.name != "pyproject.toml" else {}
    if not isinstance(table, dict):
        raise SpecError("[tool.voicetools] must be a table", _where(path, text, "voicetools"))
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(_KEYS)}"
            raise SpecError(f"unknown [tool.voicetools] key `{key}`{hint}", _where(path, text, key))
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise SpecError("`strict` must be true or false", _where(path, text, "strict"))
    targets = _strings(table, "targets", path, text) + _strings(table, "target", path, text)
    for key in ("model", "llm_url"):
        if not isinstance(table.get(key, ""), str):
            raise SpecError(f"`{key}` must be a string", _where(path, text, key))
    return ProjectConfig(
        select=_strings(table, "select", path, text),
        ignore=_strings(table, "ignore", path, text),
        targets=targets,
        exclude=_strings(table, "exclude", path, text),
        strict=strict,
        model=table.get("model") or None,
        llm_url=table.get("llm_url") or None,
        source=path,
        root=path.parent,
    )


def split_codes(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """`["S101,H", "PY"]` -> ("S101", "H", "PY"): flags are repeatable and comma separated."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def _strings(table: dict[str, Any], key: str, path: Path, text: str) -> tuple[str, ...]:
    value = table.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return split_codes([value])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return split_codes(value)
    raise SpecError(f"`{key}` must be a list of strings", _where(path, text, key))


def _where(path: Path, text: str, key: str) -> Location:
    """Where `key` is assigned (tomllib keeps no positions; a text search is close enough)."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(rf"\s*({re.escape(key)})\s*=", line)
        if match:
            return Location(str(path), number, match.start(1) + 1)
    return Location(str(path), 1, 1)


def _read(path: Path) -> str:
    return read_bounded_text(path, CONFIG_FILE_CAP, "a settings file")
