"""A typer-free fast path for `voicetools validate`, the command pre-commit runs on every commit.

typer 0.29 builds a pydantic TypeAdapter for each parameter of the command it runs: about
100 ms of imports (pydantic, its plugin loader, importlib.metadata) before the first line is
linted, as long as the whole check takes. `app.main()` offers the arguments here first.

This parser knows only the plain spellings of validate's options. Anything else (`--help`, an
option added later, a flag without its value, no paths) returns None and typer handles the
command as usual, so the fast path can only be faster, never different; the tests run the same
argument vectors both ways and compare stdout, stderr and exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

_VALUED = {
    "--format": "fmt",
    "-f": "fmt",
    "--select": "select",
    "--ignore": "ignore",
    "--target": "targets",
    "-t": "targets",
    "--exclude": "exclude",
    "--config": "config",
}
_FLAGS = {"--strict": ("strict", True), "--color": ("color", True), "--no-color": ("color", False)}
_LISTS = {"select", "ignore", "targets", "exclude"}


def parse(argv: list[str]) -> dict[str, Any] | None:
    """validate's options from `argv` (after the command name), or None if unsure."""
    found: dict[str, Any] = {"paths": [], "fmt": "text", "strict": False}
    found.update(color=None, config=None)
    for key in _LISTS:
        found[key] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            found["paths"].extend(args)
            break
        name, eq, value = arg.partition("=")
        if name in _VALUED and (not eq or name.startswith("--")):
            if not eq:
                following = next(args, None)
                if following is None or (following.startswith("-") and following != "-"):
                    return None
                value = following
            field = _VALUED[name]
            if field in _LISTS:
                found[field].append(value)
            else:
                found[field] = value
        elif arg in _FLAGS:
            field, flag = _FLAGS[arg]
            found[field] = flag
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            found["paths"].append(arg)
    return found if found["paths"] else None


def _write(text: str) -> None:
    sys.stdout.write(text)


def try_validate(argv: list[str]) -> int | None:
    """Run `voicetools validate ...` without typer; None when typer should take it."""
    if not argv or argv[0] != "validate":
        return None
    found = parse(argv[1:])
    if found is None:
        return None
    from voicetools.cli.boundary import error_line
    from voicetools.cli.render import text_style, want_color
    from voicetools.cli.validate_run import ValidateOptions, run
    from voicetools.spec.config import split_codes

    try:
        use_color = want_color(found["color"], sys.stdout) and found["fmt"] == "text"
        options = ValidateOptions(
            paths=tuple(found["paths"]),
            fmt=found["fmt"],
            select=split_codes(found["select"]),
            ignore=split_codes(found["ignore"]),
            targets=tuple(found["targets"]),
            exclude=tuple(found["exclude"]),
            config=Path(found["config"]) if found["config"] is not None else None,
            strict=found["strict"],
        )
        return run(options, Path.cwd(), _write, text_style(use_color))
    except Exception as exc:  # noqa: BLE001 - the same boundary as `cli_errors`
        print(error_line(exc), file=sys.stderr, flush=True)
        return 2
    finally:
        sys.stdout.flush()
