"""`voicetools chat AGENT`: a call in text, with the real offline model.

Each event is printed as it happens: the caller's words, every filler at its time offset,
each tool call with its arguments, result and latency, and the agent's reply. Works at a
terminal prompt and with piped stdin (one caller line per turn; ends at EOF or end_call).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from voicetools.cli.boundary import cli_errors
from voicetools.dialogue import (
    ActionTaken,
    CallEnded,
    Event,
    Say,
    ToolCalled,
    ToolReturned,
    UserTurn,
)

_ROLE_LABEL = {"agent": "agent", "greeting": "agent", "confirm": "agent", "error": "agent"}


def describe(event: Event, *, interactive: bool) -> str | None:
    """One display line for `event` (None for events not shown, like stats)."""
    if isinstance(event, UserTurn):
        return None if interactive else f"caller  {event.text}"
    if isinstance(event, Say):
        if event.kind == "filler":
            return f"        +{event.at_s:.1f}s (filler) {event.text}"
        return f"{_ROLE_LABEL.get(event.kind, 'agent'):7s} {event.text}"
    if isinstance(event, ToolCalled):
        arguments = json.dumps(dict(event.arguments), ensure_ascii=False)
        return f"        -> {event.name} {arguments}"
    if isinstance(event, ToolReturned):
        status = "ok" if event.ok else f"failed [{event.category}]"
        result = json.dumps(event.result, ensure_ascii=False)
        if len(result) > 160:
            result = result[:157] + "..."
        return f"        <- {event.name} {status} in {event.duration_ms:.0f} ms: {result}"
    if isinstance(event, ActionTaken):
        return f"        ** {event.kind} (simulated) {event.number} {event.text}".rstrip()
    if isinstance(event, CallEnded):
        return f"        -- call ended ({event.reason})"
    return None


def register(app: typer.Typer) -> None:
    app.command()(chat)


def chat(
    agent: Annotated[Path, typer.Argument(help="The agent file.")],
    model: Annotated[
        str | None,
        typer.Option("--model", help="Model name from `voicetools models`, or a GGUF path."),
    ] = None,
    llm_url: Annotated[
        str | None,
        typer.Option("--llm-url", help="An OpenAI-compatible server (llama-server, vLLM)."),
    ] = None,
    mock_tools: Annotated[
        bool, typer.Option("--mock-tools", help="Answer every call with its mock; touch nothing.")
    ] = False,
    transcript: Annotated[
        Path | None, typer.Option("--transcript", help="Write one JSON event per line here.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Draw the call as an HTML page here.")
    ] = None,
    stats: Annotated[
        bool, typer.Option("--stats", help="Print calls, errors and latency per tool at the end.")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="The session's date, YYYY-MM-DD.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Sampling seed.")] = 0,
) -> None:
    """Talk to an agent in text, with the offline model choosing and running its tools."""
    import asyncio

    from voicetools.cli.render import byte_progress, table
    from voicetools.errors import UsageError
    from voicetools.runtime.session import build_engine, build_llm, engine_redactor
    from voicetools.runtime.stats import SessionStats
    from voicetools.runtime.text_loop import run_text_call
    from voicetools.runtime.transcript import TranscriptWriter, redacted_event
    from voicetools.spec import load_agent
    from voicetools.tools import redacting

    interactive = sys.stdin.isatty()
    counted = SessionStats() if stats else None
    with cli_errors():
        try:
            session_date = date.fromisoformat(today) if today else None
        except ValueError:
            raise UsageError(f"--today must be YYYY-MM-DD, not {today!r}") from None
        loaded = load_agent(agent)  # a broken agent file fails before the model loads
        # The first run assembles the packaged model (about 0.5 GB) into the cache: show it.
        with byte_progress("preparing the model", sys.stderr.isatty()) as progress:
            llm = build_llm(model, llm_url=llm_url, seed=seed, progress=progress)
        engine = build_engine(loaded, llm=llm, mock_tools=mock_tools, today=session_date, seed=seed)
        redactor = engine_redactor(engine)
        keep = transcript is not None or report is not None
        writer = TranscriptWriter(transcript, redactor) if keep else None

        def show(event: Event) -> None:
            line = describe(redacted_event(event, redactor), interactive=interactive)
            if line is not None:
                typer.echo(line)

        def prompt() -> str | None:
            try:
                return input("caller> ")
            except EOFError:
                return None

        lines = prompt if interactive else iter(sys.stdin.readline, "")

        async def session() -> None:
            try:
                await run_text_call(engine, lines, show, transcript=writer, stats=counted)
            finally:
                await engine.aclose()
                if writer is not None:
                    writer.close()

        try:
            with redacting(redactor):
                asyncio.run(session())
        except KeyboardInterrupt:
            typer.echo("")
        if report is not None and writer is not None:  # a call cut short is still worth a look
            from voicetools.cli.report_cmd import write_page

            write_page(writer.records, report, title=f"{loaded.name} (chat)")
    if counted is not None:
        rows = counted.rows()
        if rows:
            typer.echo(table(["TOOL", "CALLS", "ERRORS", "P50 MS", "MAX MS"], rows), nl=False)
        typer.echo(counted.summary())
