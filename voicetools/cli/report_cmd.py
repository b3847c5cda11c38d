"""`voicetools report TRANSCRIPT -o call.html`: a call you can look at, as one HTML page.

The transcript is what `chat` or `call` wrote with `--transcript` (already redacted when it
was written). `--audio` embeds a recording of the call, usually `call --output`'s WAV. The
same page comes straight out of a call with `call --report FILE` or `chat --report FILE`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from voicetools.cli.boundary import cli_errors


def register(app: typer.Typer) -> None:
    app.command()(report)


def report(
    transcript: Annotated[Path, typer.Argument(help="A --transcript file (JSON lines).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML page to write.")],
    audio: Annotated[
        Path | None, typer.Option("--audio", help="A WAV recording of the call to embed.")
    ] = None,
) -> None:
    """Draw a call as one self-contained HTML page: timeline, latency, transcript, tools."""
    from voicetools.report import read_audio, read_transcript

    with cli_errors():
        records = read_transcript(transcript)
        sound = read_audio(audio) if audio is not None else None
        write_page(records, output, title=transcript.name, audio=sound)


def write_page(
    records: list[dict[str, Any]], output: Path, *, title: str, audio: bytes | None = None
) -> None:
    """Write the page and say so in one line (shared by `report`, `call` and `chat`)."""
    from voicetools.report import write_report

    page = write_report(records, output, title=title, audio=audio)
    turns = sum(1 for t in page.turns if t.number and not t.ignored)
    recording = ", with the recording" if audio is not None else ""
    typer.echo(
        f"wrote {output} ({turns} turn{'' if turns == 1 else 's'}, "
        f"{len(page.tools)} tool call{'' if len(page.tools) == 1 else 's'}{recording})"
    )
