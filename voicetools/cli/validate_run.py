"""`voicetools validate`, apart from argument parsing: options in, exit code out.

Exit codes follow ruff and check-jsonschema, so CI scripts can tell "your file is wrong" from
"the command is wrong":
  0  no error-severity findings (warnings are shown but pass, unless `--strict`)
  1  at least one error (or, with `--strict`, at least one warning)
  2  usage or internal error: unknown format, target or rule code, a path that does not exist,
     nothing to validate, a broken config file, or a bug in voicetools
Results go to stdout (in the chosen format), notes and one-line errors to stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voicetools.cli.boundary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, internal_error, note
from voicetools.errors import UsageError
from voicetools.spec.config import (
    TARGETS,
    ProjectConfig,
    find_pyproject,
    load_project_config,
    split_codes,
)
from voicetools.spec.lint import CATALOG, LintConfig, LintResult, lint_file
from voicetools.spec.report import FORMATS, Style, make_reporter


@dataclass(frozen=True)
class ValidateOptions:
    """What the command line asked for (flags not given are empty / None)."""

    paths: tuple[str, ...]
    fmt: str = "text"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    config: Path | None = None
    strict: bool = False


def project_config(explicit: Path | None, cwd: Path) -> ProjectConfig:
    """`--config FILE`, else the nearest pyproject.toml with `[tool.voicetools]`, else defaults."""
    if explicit is not None:
        if not explicit.exists():  # a FIFO or device exists: reading it says what it is
            raise UsageError(f"config file not found: {explicit}")
        return load_project_config(explicit)
    found = find_pyproject(cwd)
    return load_project_config(found) if found else ProjectConfig()


def check_codes(prefixes: Sequence[str], where: str) -> tuple[str, ...]:
    """Upper-case rule code prefixes; UsageError for one that matches no known rule."""
    codes = tuple(p.upper() for p in prefixes)
    for code in codes:
        if not any(known.startswith(code) for known in CATALOG):
            raise UsageError(
                f"unknown rule code `{code}` in {where}; `voicetools rules` lists them all"
            )
    return codes


def check_targets(targets: Sequence[str], where: str) -> tuple[str, ...]:
    out = tuple(t.lower() for t in split_codes(list(targets)))
    for target in out:
        if target not in TARGETS:
            raise UsageError(
                f"unknown target `{target}` in {where}; choose from {', '.join(TARGETS)}"
            )
    return tuple(dict.fromkeys(out))


def lint_config(opts: ValidateOptions, project: ProjectConfig) -> LintConfig:
    """Merge flags over the project table: --select replaces, the rest add."""
    import voicetools.spec.rules  # noqa: F401 - registers every rule, so CATALOG is complete

    where = str(project.source) if project.source else "config"
    select = check_codes(opts.select, "--select") or check_codes(project.select, where)
    ignore = check_codes(project.ignore, where) + check_codes(opts.ignore, "--ignore")
    targets = check_targets(project.targets, where) + check_targets(opts.targets, "--target")
    return LintConfig(select=select, ignore=ignore, targets=tuple(dict.fromkeys(targets)))


def collect_files(
    paths: Sequence[str], project: ProjectConfig, excludes: Sequence[str]
) -> list[Path]:
    """Named files always; folders searched for *.yaml/*.yml minus `exclude` globs."""
    from voicetools.spec.lint import expand_paths

    rules = ProjectConfig(exclude=(*project.exclude, *excludes), root=project.root)
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"path not found: {raw}")
        if path.is_dir():
            found = [p for p in expand_paths([path]) if not rules.excluded(p)]
            if not found:
                note(f"{raw}: no *.yaml or *.yml files here")
            files.extend(found)
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def run(
    opts: ValidateOptions,
    cwd: Path,
    emit: Callable[[str], None],
    style: Style | None = None,
) -> int:
    """Lint every file, hand the report to `emit` (stdout), return the exit code."""
    if opts.fmt not in FORMATS:
        raise UsageError(f"unknown format `{opts.fmt}`; choose one of: {', '.join(FORMATS)}")
    project = project_config(opts.config, cwd)
    config = lint_config(opts, project)
    files = collect_files(opts.paths, project, opts.exclude)
    if not files:
        raise UsageError("no agent files to validate")
    results: list[LintResult] = []
    crashed = False
    for path in files:
        try:
            result = lint_file(path, config)
        except RecursionError:
            note(f"{path}:1:1: the document is nested too deeply to check")
            crashed = True
            continue
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide other files
            note(internal_error(exc, f"{path}:1:1"))
            crashed = True
            continue
        if result.kind == "scenario":
            note(f"{path}: scenario file, skipped (`voicetools test` runs it)")
        results.append(result)
    emit(make_reporter(opts.fmt, style).render(results))
    if crashed:
        return EXIT_USAGE
    failing = sum(r.errors + (r.warnings if opts.strict or project.strict else 0) for r in results)
    return EXIT_FINDINGS if failing else EXIT_OK
