"""`voicetools models`: which offline models are installed, where they are, and are they intact.

`voicetools models` lists every known model, cheaply (package metadata and a stamp file, no
hashing); `--verify` re-hashes assembled files; `voicetools models install NAME` assembles a
model whose packages are installed (with a progress bar) or prints the pip command when they
are not: voicetools never runs pip for the user, who may need a proxy, a mirror or a venv.
"""

from __future__ import annotations

import json
import sys

import typer

models_app = typer.Typer(
    help="List, verify and assemble the offline models.", invoke_without_command=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")


def _size(path_bytes: int) -> str:
    return f"{path_bytes / 1_000_000:.0f} MB"


@models_app.callback()
def models(
    ctx: typer.Context,
    verify: bool = typer.Option(False, "--verify", help="Re-hash assembled models (sha256)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """List the known models: installed or not, the pip command, the assembled path and size."""
    if ctx.invoked_subcommand is not None:
        return
    from voicetools.backends.assemble import ensure_model, status
    from voicetools.backends.models import DEFAULT_LLM, DEFAULT_STT, DEFAULT_TTS, ENV_MODEL, MODELS
    from voicetools.backends.speech_models import ENV_STT, ENV_VOICE
    from voicetools.cli.boundary import fail, note
    from voicetools.cli.render import byte_progress, table
    from voicetools.errors import BackendError

    if fmt not in ("text", "json"):
        fail(f"unknown format `{fmt}`; choose text or json")
    failed = False
    statuses = [status(spec) for spec in MODELS.values()]
    if verify:
        for i, st in enumerate(statuses):
            if not st.assembled:
                continue
            try:
                with byte_progress(f"verify {st.spec.name}", sys.stderr.isatty()) as bar:
                    ensure_model(st.spec, progress=bar, verify=True)
            except BackendError as exc:
                failed = True
                note(f"{st.spec.name}: {exc}")
            statuses[i] = status(st.spec)
    if fmt == "json":
        rows = [
            {
                "name": s.spec.name,
                "kind": s.spec.kind,
                "state": s.state,
                "path": str(s.path),
                "size": s.path.stat().st_size if s.assembled else s.spec.size,
                "install": s.spec.pip_command,
                "missing": list(s.installed.missing),
            }
            for s in statuses
        ]
        defaults = {"default": DEFAULT_LLM, "default_stt": DEFAULT_STT, "default_tts": DEFAULT_TTS}
        typer.echo(json.dumps({**defaults, "models": rows}, indent=2))
        raise typer.Exit(1 if failed else 0)
    cells = [
        (
            s.spec.name,
            s.spec.kind,
            s.state,
            _size(s.path.stat().st_size if s.assembled else s.spec.size),
            str(s.path) if s.assembled else s.spec.description,
        )
        for s in statuses
    ]
    typer.echo(table(["name", "kind", "state", "size", "path / description"], cells), nl=False)
    for s in statuses:
        if s.state == "missing":
            typer.echo(f"\nto install {s.spec.name}:\n  {s.spec.pip_command}")
    typer.echo(f"\ndefault: ${ENV_MODEL} or {DEFAULT_LLM}; any GGUF file works with --model PATH")
    typer.echo(
        f"speech: ${ENV_STT} or {DEFAULT_STT} (any CTranslate2 Whisper directory); "
        f"${ENV_VOICE} or {DEFAULT_TTS} (any Piper .onnx voice)"
    )
    if any(s.state == "unverified" for s in statuses):
        note("unverified models are hashed before their first use (or run `--verify`)")
    raise typer.Exit(1 if failed else 0)


@models_app.command()
def install(name: str = typer.Argument(..., help="A model name from `voicetools models`.")) -> None:
    """Assemble and verify a model whose packages are installed; else print the pip command."""
    from voicetools.backends.assemble import ensure_model, status
    from voicetools.backends.models import MODELS
    from voicetools.cli.boundary import cli_errors, fail
    from voicetools.cli.render import byte_progress

    spec = MODELS.get(name)
    if spec is None:
        fail(f"unknown model `{name}`; choose from {', '.join(MODELS)}")
    st = status(spec)
    if st.state == "missing":
        typer.echo(f"{name} needs its packages first:\n  {spec.pip_command}")
        raise typer.Exit(1)
    with cli_errors(), byte_progress(f"assemble {name}", sys.stderr.isatty()) as bar:
        path = ensure_model(spec, progress=bar)
    typer.echo(f"{name}: {path} ({_size(path.stat().st_size)}, sha256 verified)")
