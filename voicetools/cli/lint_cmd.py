"""`voicetools validate` and `voicetools schema` (placeholder wiring; reporters to come)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def schema() -> None:
        """Print the JSON Schema of the agent file (for editors)."""
        import json

        from voicetools.spec.schema import AGENT_SCHEMA

        typer.echo(json.dumps(AGENT_SCHEMA, indent=2))
