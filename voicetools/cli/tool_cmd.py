"""`voicetools tool run` and `voicetools tool list`: one function, for real, from the shell.

stdout carries only JSON: the payload the model would receive (or, with `--dry-run`, the
request that would be sent), so it can be piped to `jq`. Everything for people (simulated
built-in actions, the spoken error line, a confirmation question) goes to stderr. Everything
printed, logged or written to `--log` is masked by the runner's one redactor (secrets, cards).

Exit codes: 0 the call ran and succeeded; 1 the call failed, was refused, or needs a
confirmation that was not given (nothing ran); 2 the command line or the agent file is wrong
(one line on stderr, `path:line:col: message` for files, never a traceback).

A function that needs confirmation (`confirm:`, or destructive without `confirm: false`) runs
through the same policy as in a conversation: `--yes` answers the read-back question as the
caller would; in a terminal the question is asked; otherwise nothing runs, the
`confirmation_required` payload is printed, one line on stderr says why, and the exit code is 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from voicetools.cli.boundary import EXIT_FINDINGS, EXIT_OK, cli_errors, note

if TYPE_CHECKING:
    from voicetools.tools import ToolCall, ToolResult, ToolRunner

tool_app = typer.Typer(
    help="Run an agent's functions for real, one at a time.", no_args_is_help=True
)


def parse_arguments(text: str) -> dict[str, Any]:
    """`--args`: one-line JSON, or `@file.json`; an object. Errors name where they are."""
    from voicetools.errors import Location, SpecError, UsageError
    from voicetools.files import ARGS_FILE_CAP, read_bounded_text

    source = "--args"
    if text.startswith("@"):
        source = text[1:]
        if not source:
            raise UsageError("--args @FILE needs a file name after the @")
        text = read_bounded_text(source, ARGS_FILE_CAP, "an arguments file")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if source == "--args":
            raise UsageError(f"--args is not valid JSON: {exc.msg} at column {exc.colno}") from None
        raise SpecError(
            f"not valid JSON: {exc.msg}", Location(source, exc.lineno, exc.colno)
        ) from None
    if not isinstance(value, dict):
        raise UsageError(f"{source} must hold a JSON object, not {type(value).__name__}")
    return value


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _report(result: ToolResult, verbose: bool) -> None:
    for action in result.actions:
        what = action.text or action.number
        note(f"{action.kind} (simulated){': ' + what if what else ''}")
    if not result.ok:
        note(
            f"{result.call.name} failed [{result.category.value if result.category else '?'}]: "
            f"the caller would hear: {result.spoken}"
        )
        if verbose and result.detail:
            typer.echo(json.dumps(dict(result.detail), indent=2, default=str), err=True)
        elif "traceback" in result.detail:
            note("run with --verbose to see the handler's traceback")


async def _run(runner: ToolRunner, name: str, arguments: dict[str, Any], yes: bool) -> ToolResult:
    from voicetools.tools import ToolCall, is_confirmation_request

    call = ToolCall(name, arguments, call_id="cli")
    async with runner:
        result = await runner.run(call)
        if not is_confirmation_request(result):
            return result
        question = str(result.payload.get("question", ""))
        if yes:
            note(f"confirmed by --yes: {question}")
        elif sys.stdin.isatty():
            yes = typer.confirm(question, default=False, err=True)
        else:
            note(f"confirmation required: {question} (pass --yes to confirm)")
            return result
        runner.answer_confirmation(yes, source="caller")
        return await runner.run(call) if yes else result


async def _dry_run(runner: ToolRunner, call: ToolCall) -> tuple[bool, dict[str, Any]]:
    from voicetools.tools import dry_run

    async with runner:
        return await dry_run(runner, call)


def register(app: typer.Typer) -> None:
    app.add_typer(tool_app, name="tool")


@tool_app.command("run")
def run_command(
    agent: Annotated[Path, typer.Argument(help="The agent file.")],
    name: Annotated[str, typer.Argument(help="The function to call.")],
    args: Annotated[
        str, typer.Option("--args", "-a", help="Arguments as one-line JSON, or @file.json.")
    ] = "{}",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the request it would make; send nothing.")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Let HTTP tools reach loopback and private addresses."
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Answer yes to the confirmation question (confirm or destructive)."
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show the log details of a failure.")
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option("--log", help="Append the call as a JSON line (redacted) to this file."),
    ] = None,
) -> None:
    """Run one function for real and print what the model would receive, as JSON."""
    import asyncio

    from voicetools.errors import UsageError
    from voicetools.spec import load_agent
    from voicetools.tools import Recorder, ToolCall, ToolRunner, is_confirmation_request, redacting

    with cli_errors():
        loaded = load_agent(agent)
        if loaded.function(name) is None:
            known = ", ".join(f.name for f in loaded.functions) or "none"
            raise UsageError(f"{agent} has no function {name!r} (functions: {known})")
        arguments = parse_arguments(args)
        if allow_private:
            note("--allow-private: loopback and private addresses are reachable")
        runner = ToolRunner(
            loaded,
            allow_private=True if allow_private else None,
            recorder=Recorder(log) if log is not None else None,
        )
        with redacting(runner.redactor):
            if dry_run:
                ok, described = asyncio.run(_dry_run(runner, ToolCall(name, arguments)))
                _print_json(described)
                raise typer.Exit(EXIT_OK if ok else EXIT_FINDINGS)
            result = asyncio.run(_run(runner, name, arguments, yes))
    _print_json(result.payload)
    _report(result, verbose)
    failed = not result.ok or is_confirmation_request(result)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@tool_app.command("list")
def list_command(agent: Annotated[Path, typer.Argument(help="The agent file.")]) -> None:
    """List the agent's functions: name, kind, timeout, confirmation and target."""
    from voicetools.cli.render import table
    from voicetools.spec import load_agent

    with cli_errors():
        loaded = load_agent(agent)
    rows = []
    for fn in loaded.functions:
        confirm = "yes" if isinstance(fn.confirm, str) else "-"
        if fn.needs_confirmation and not isinstance(fn.confirm, str):
            confirm = "read-back"
        if fn.http is not None:
            target = f"{fn.http.method} {fn.http.url}"
        elif fn.kind == "builtin":
            target = fn.builtin or ""
            target += f" -> {fn.number}" if fn.number else ""
        else:
            target = fn.python or ("mock" if fn.mock is not None else "-")
        rows.append([fn.name, fn.kind, f"{fn.timeout_ms} ms", confirm, target])
    typer.echo(table(["NAME", "KIND", "TIMEOUT", "CONFIRM", "TARGET"], rows), nl=False)
