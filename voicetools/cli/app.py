"""The `voicetools` command: wiring only.

Each command group lives in its own module with a `register(app)` function, and imports what it
needs inside the command body, so `voicetools --help` and `voicetools validate` start fast.
"""

from __future__ import annotations

import typer

from voicetools import __version__

app = typer.Typer(
    name="voicetools",
    help="Build, lint and test voice agents that call functions, fully offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"voicetools {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Build, lint and test voice agents that call functions, fully offline."""


_COMMAND_MODULES = (
    "validate_cmd",
    "interop_cmd",
    "tool_cmd",
    "demo_cmd",
    "models_cmd",
    "doctor_cmd",
    "chat_cmd",
    "test_cmd",
    "audio_cmd",
    "call_cmd",
    "report_cmd",
)
"""Each module's `register(app)` adds its commands; `--help` lists them in this order."""


def _register_commands() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"voicetools.cli.{name}").register(app)


_register_commands()


def main() -> None:
    import sys

    from voicetools.cli.fast_path import try_validate

    code = try_validate(sys.argv[1:])  # `validate` without typer's start-up cost, when it can
    if code is not None:
        sys.exit(code)
    app()
