"""`voicetools doctor`: print what a bug report needs (Python, CPU flags, llama.cpp, models...).

The facts come from `voicetools.diagnose`; this module only prints them. It never fails on a
missing package or a machine without a sound card: each becomes a line of the report. The exit
status is 1 only when `--verify` finds a model whose hash does not match.
"""

from __future__ import annotations

import json
from typing import Any

import typer


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    verify: bool = typer.Option(False, "--verify", help="Re-hash assembled models (sha256)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Print Python, CPU flags, llama.cpp build, models, sound devices and workarounds."""
    from voicetools.cli.boundary import fail
    from voicetools.diagnose import collect

    if fmt not in ("text", "json"):
        fail(f"unknown format `{fmt}`; choose text or json")
    report = collect(verify=verify)
    if fmt == "json":
        typer.echo(json.dumps(report, indent=2))
    else:
        typer.echo("\n".join(report_lines(report)))
    models = report["models"].get("models", [])
    raise typer.Exit(1 if any(m["problem"] for m in models) else 0)


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as text, one fact per line, for pasting into an issue."""
    python = report["python"]
    lines = [
        f"voicetools: {report['voicetools'] or 'not installed as a package (source tree)'}",
        f"python: {python['version']} {python['executable']}",
        f"platform: {python['platform']} ({python['machine']})",
        *_cpu(report["cpu"]),
        *_llama(report["llama_cpp"]),
        *_workarounds(report["workarounds"]),
        "packages: "
        + ", ".join(
            f"{name} {version or 'not installed'}" for name, version in report["packages"].items()
        ),
        *_models(report["models"]),
        *_sound(report["sound"]),
    ]
    return lines


def _cpu(cpu: dict[str, Any]) -> list[str]:
    if "error" in cpu:
        return [f"cpu: unknown ({cpu['error']})"]
    flags = cpu["flags"]
    shown = " ".join(flags) if flags else "none of AVX, AVX2, AVX512, AMX"
    if flags is None:
        shown = f"unknown ({cpu['source']})"
    else:
        missing = [
            name
            for name, prefix in (("AVX512", "avx512"), ("AMX", "amx"))
            if not any(f.startswith(prefix) for f in flags)
        ]
        if flags and missing:
            shown += f" (no {', no '.join(missing)})"
        shown += f" [from {cpu['source']}]"
    return [f"cpu: {cpu['model']}", f"cpu flags: {shown}"]


def _llama(llama: dict[str, Any]) -> list[str]:
    version = llama.get("version") or "not installed"
    if "system_info" not in llama:
        return [f"llama-cpp-python: {version}", f"llama.cpp: unavailable ({llama.get('error')})"]
    return [f"llama-cpp-python: {version}", f"llama.cpp: {llama['system_info']}"]


def _workarounds(found: Any) -> list[str]:
    if isinstance(found, dict):
        return [f"workarounds: unknown ({found['error']})"]
    return [f"workaround: {w['name']} {w['state']}: {w['why']}" for w in found]


def _models(models: dict[str, Any]) -> list[str]:
    if "error" in models:
        return [f"models: unknown ({models['error']})"]
    if models["hashes_checked"]:
        head = "models (sha256 re-checked now):"
    else:
        head = (
            "models (hashes not re-checked now; `ready` was verified when assembled, "
            "`voicetools doctor --verify` re-hashes):"
        )
    lines = [head]
    for m in models["models"]:
        where = m["path"] or "not assembled"
        lines.append(f"  {m['name']} ({m['kind']}): {m['state']}, {where}")
        if m["problem"]:
            lines.append(f"    problem: {m['problem']}")
    return lines


def _sound(sound: dict[str, Any]) -> list[str]:
    devices = sound.get("devices") or []
    if not devices:
        return [f"sound devices: none ({sound.get('error') or 'PortAudio lists no device'})"]
    lines = ["sound devices:"]
    for d in devices:
        lines.append(
            f"  [{d['index']}] {d['name']} ({d['hostapi']}, {d['inputs']} in, {d['outputs']} out)"
        )
    return lines
