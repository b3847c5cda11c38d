"""`voicetools validate`, `voicetools rules` and `voicetools schema`.

Only argument parsing lives here; each command imports its library code inside the body, so
`voicetools --help` does not pay for jsonschema and the rule modules. The validate logic
(config merge, exit codes) is in `voicetools.cli.validate_run`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

_CODES = "Comma-separated rule codes or prefixes (repeatable), e.g. S101,H."


def register(app: typer.Typer) -> None:
    @app.command()
    def validate(
        paths: Annotated[list[str], typer.Argument(help="Agent files or folders (*.yaml inside).")],
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="Output format: text, json, github or sarif.")
        ] = "text",
        select: Annotated[
            list[str] | None, typer.Option("--select", help=f"Only these rules. {_CODES}")
        ] = None,
        ignore: Annotated[
            list[str] | None, typer.Option("--ignore", help=f"Skip these rules. {_CODES}")
        ] = None,
        target: Annotated[
            list[str] | None,
            typer.Option(
                "--target", "-t", help="Add portability rules: openai, anthropic, gemini, llama."
            ),
        ] = None,
        exclude: Annotated[
            list[str] | None,
            typer.Option("--exclude", help="Glob of files to skip in folders (repeatable)."),
        ] = None,
        config: Annotated[
            Path | None,
            typer.Option("--config", help="TOML settings file (default: nearest pyproject.toml)."),
        ] = None,
        strict: Annotated[
            bool, typer.Option("--strict", help="Warnings fail the run too.")
        ] = False,
        color: Annotated[
            bool | None,
            typer.Option("--color/--no-color", help="Colour text output (default: on a terminal)."),
        ] = None,
    ) -> None:
        """Check agent files; exit 0 clean, 1 findings, 2 usage or internal error.

        Settings come from [tool.voicetools] in the nearest pyproject.toml; flags win.
        Silence one line with a comment: `# voicetools: ignore[CODE]`.
        A file that cannot be read (Y101) is always reported, whatever the filters say.
        """
        from voicetools.cli.boundary import cli_errors
        from voicetools.cli.render import text_style, want_color
        from voicetools.cli.validate_run import ValidateOptions, run
        from voicetools.spec.config import split_codes

        use_color = want_color(color, sys.stdout) and fmt == "text"
        options = ValidateOptions(
            paths=tuple(paths),
            fmt=fmt,
            select=split_codes(select),
            ignore=split_codes(ignore),
            targets=tuple(target or ()),
            exclude=tuple(exclude or ()),
            config=config,
            strict=strict,
        )
        with cli_errors():
            code = run(
                options,
                Path.cwd(),
                lambda text: typer.echo(text, nl=False, color=use_color),
                text_style(use_color),
            )
        raise typer.Exit(code)

    @app.command()
    def rules(
        fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    ) -> None:
        """List every lint rule: code, severity, name and what it checks."""
        import json

        import voicetools.spec.rules  # noqa: F401 - registers every rule
        from voicetools.cli.boundary import fail
        from voicetools.cli.render import table
        from voicetools.spec.lint import CATALOG

        infos = sorted(CATALOG.values(), key=lambda i: i.code)
        if fmt == "json":
            rows = [
                {"code": i.code, "severity": i.severity.value, "name": i.name, "summary": i.summary}
                for i in infos
            ]
            typer.echo(json.dumps(rows, indent=2))
        elif fmt == "text":
            body = [(i.code, i.severity.value, i.name, i.summary) for i in infos]
            typer.echo(table(("CODE", "SEVERITY", "NAME", "SUMMARY"), body), nl=False)
        else:
            fail(f"unknown format `{fmt}`; choose text or json")

    @app.command()
    def schema() -> None:
        """Print the JSON Schema of the agent file (for editors)."""
        import json

        from voicetools.spec.schema import AGENT_SCHEMA

        typer.echo(json.dumps(AGENT_SCHEMA, indent=2))
