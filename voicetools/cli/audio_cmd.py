"""`voicetools devices`: the microphones and speakers `voicetools call --mic --device` can use.

Where there is no sound card (servers, CI, containers) or PortAudio is missing, the command
prints the one-line reason and the way out (the WAV mode) and exits 1, never a traceback.
"""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    app.command("devices")(devices)


def devices(
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """List sound devices: index, name, input/output channels, default rate."""
    from dataclasses import asdict

    from voicetools.audio.devices import NO_DEVICE, list_devices
    from voicetools.cli.boundary import fail
    from voicetools.cli.render import table
    from voicetools.errors import BackendError

    if fmt not in ("text", "json"):
        fail(f"unknown format `{fmt}`; choose text or json")
    try:
        found = list_devices()
        if not found:
            raise BackendError(NO_DEVICE)
    except BackendError as exc:
        typer.echo(f"voicetools: {exc}", err=True)
        raise typer.Exit(1) from None
    if fmt == "json":
        typer.echo(json.dumps([asdict(d) for d in found], indent=2))
        return
    rows = [
        (
            str(d.index),
            f"{d.inputs} in" + (" *" if d.default_input else ""),
            f"{d.outputs} out" + (" *" if d.default_output else ""),
            f"{d.default_rate:.0f} Hz",
            d.hostapi,
            d.name,
        )
        for d in found
    ]
    typer.echo(table(["index", "input", "output", "rate", "host api", "name"], rows), nl=False)
    typer.echo("* the system default; pass --device INDEX or part of a name")
