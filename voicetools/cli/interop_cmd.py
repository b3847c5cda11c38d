"""`voicetools import` (foreign tool JSON -> agent file) and `voicetools export` (the reverse).

Argument parsing only; the conversions are `voicetools.spec.interop` and `voicetools.spec.export`.
Both commands exit 2 with one line on stderr for anything they cannot read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        file: Annotated[
            Path, typer.Argument(help="Tool JSON: OpenAI, Anthropic, Gemini, Retell or Vapi.")
        ],
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Agent file to write (default: stdout)."),
        ] = None,
        name: Annotated[
            str | None, typer.Option("--name", help="Agent name (default: the file name).")
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Overwrite an existing output file.")
        ] = False,
    ) -> None:
        """Turn tool definitions from another platform into an agent file."""
        import yaml

        from voicetools.cli.boundary import cli_errors, fail, note
        from voicetools.files import IMPORT_FILE_CAP, read_bounded
        from voicetools.spec.interop import import_tools

        with cli_errors():
            if output is not None and output.exists() and not force:
                fail(f"{output} exists; pass --force to overwrite it")
            raw = read_bounded(file, IMPORT_FILE_CAP, "a tool list to import")
            imported = import_tools(raw, name or file.stem, str(file))
            header = (
                f"# Imported from {file.name} by `voicetools import`.\n"
                "# Review the instructions and descriptions, then run `voicetools validate`.\n"
            )
            text = header + yaml.safe_dump(
                imported.document, sort_keys=False, allow_unicode=True, width=100
            )
            for line in imported.notes:
                note(line)
            if output is None:
                typer.echo(text, nl=False)
                return
            output.write_text(text, encoding="utf-8")
            count = len(imported.document["functions"])
            note(f"wrote {output} ({count} functions); {_check(text, output)}")

    @app.command()
    def export(
        agent: Annotated[Path, typer.Argument(help="The agent file.")],
        target: Annotated[
            str, typer.Option("--target", "-t", help="openai, anthropic or gemini.")
        ] = "openai",
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write here, not to stdout.")
        ] = None,
    ) -> None:
        """Print the agent's functions in an LLM API's tool format (JSON)."""
        import json

        from voicetools.cli.boundary import cli_errors, fail, note
        from voicetools.spec import load_agent
        from voicetools.spec.export import EXPORT_TARGETS, export_tools

        with cli_errors():
            if target not in EXPORT_TARGETS:
                fail(f"unknown target `{target}`; choose one of: {', '.join(EXPORT_TARGETS)}")
            if not agent.exists():  # a device or FIFO exists: reading it says what it is
                fail(f"file not found: {agent}")
            notes: list[str] = []
            text = json.dumps(export_tools(load_agent(agent), target, notes), indent=2) + "\n"
            for line in notes:
                note(line)
            if output is None:
                typer.echo(text, nl=False)
            else:
                output.write_text(text, encoding="utf-8")


def _check(text: str, path: Path) -> str:
    """Lint what was just written, so the user knows at once whether it is ready."""
    from voicetools.spec.lint import lint_document
    from voicetools.spec.load import parse_document
    from voicetools.spec.report import summary_line

    result = lint_document(parse_document(text, str(path)))
    if not result.findings:
        return "it validates clean"
    return f"{summary_line([result])}; `voicetools validate {path}` shows them"
