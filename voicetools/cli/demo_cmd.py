"""`voicetools demo-server`: run the demo backend the example agents call."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("demo-server")
    def demo_server(
        host: str = typer.Option("127.0.0.1", help="Address to listen on (keep it loopback)."),
        port: int = typer.Option(8765, help="Port; the example agents expect 8765."),
    ) -> None:
        """Serve the demo backend the example agents call (orders, tickets, bookings, weather)."""
        import ipaddress

        from voicetools.demo.server import serve_forever

        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            typer.echo(
                f"warning: {host} is not loopback; the demo backend has no real security", err=True
            )
        typer.echo(f"voicetools demo backend on http://{host}:{port} (Ctrl-C to stop)", err=True)
        try:
            serve_forever(host, port)
        except OSError as exc:
            typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
            raise typer.Exit(1) from None
