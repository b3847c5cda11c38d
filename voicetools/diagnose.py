"""What `voicetools doctor` reports: the facts a user needs to file a useful bug report.

Each section is collected on its own and anything that goes wrong while collecting it becomes
that section's `error`, because doctor is run exactly when something is broken (a package
missing, a native library that will not load, no sound card). Heavy packages are imported only
inside the backend and audio modules, and only when their section is collected.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from voicetools.errors import VoicetoolsError

CPUINFO = Path("/proc/cpuinfo")
PACKAGES = (
    "llama-cpp-python",
    "faster-whisper",
    "piper-tts",
    "onnxruntime",
    "sounddevice",
    "livekit",
    "numpy",
)
"""The optional distributions whose versions matter in a report."""
_FLAGS = ("avx", "avx2", "avx_vnni", "fma", "f16c", "asimd", "asimddp", "sve", "sve2", "i8mm")
_FLAG_PREFIXES = ("avx512", "amx")
_CPUINFO_CAP = 1 << 20  # a big server's cpuinfo is a few hundred KB; only the first CPU is read


def collect(*, verify: bool = False, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every section, as plain data (what `doctor --format json` prints)."""
    env = os.environ if environ is None else environ
    cpu = guarded(lambda: cpu_info(CPUINFO))
    return {
        "voicetools": _version("voicetools"),
        "python": python_info(),
        "cpu": cpu,
        "llama_cpp": guarded(llama_info),
        "workarounds": guarded(lambda: workarounds(cpu, env)),
        "packages": {name: _version(name) for name in PACKAGES},
        "models": guarded(lambda: models_info(verify)),
        "sound": guarded(sound_info),
    }


def guarded(section: Callable[[], Any]) -> Any:
    """`section()`, or `{"error": ...}` saying what failed instead of a traceback."""
    try:
        return section()
    except VoicetoolsError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # doctor must report, whatever a broken install raises
        return {"error": f"{type(exc).__name__}: {exc}"}


def python_info() -> dict[str, str]:
    return {
        "version": f"{platform.python_version()} ({platform.python_implementation()})",
        "executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def cpu_info(path: Path) -> dict[str, Any]:
    """The CPU model and the instruction-set flags llama.cpp's kernels depend on."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            text = handle.read(_CPUINFO_CAP)
    except OSError:
        return {
            "model": platform.processor() or platform.machine() or "unknown",
            "flags": None,
            "source": f"no {path} on this system: llama.cpp's system info lists what it uses",
        }
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() and fields:
            break  # the first processor's block is enough: all cores share a model
        key, _, value = line.partition(":")
        fields.setdefault(key.strip().lower(), value.strip())
    flags = (fields.get("flags") or fields.get("features") or "").split()
    model = fields.get("model name") or fields.get("cpu model") or platform.machine() or "unknown"
    return {
        "model": model,
        "flags": [f for f in flags if f in _FLAGS or f.startswith(_FLAG_PREFIXES)],
        "source": str(path),
    }


def has_amx(cpu: Any) -> bool:
    return isinstance(cpu, dict) and any(f.startswith("amx") for f in cpu.get("flags") or ())


def llama_info() -> dict[str, Any]:
    """llama-cpp-python's version and llama.cpp's own build line, or why they are missing."""
    version = _version("llama-cpp-python")
    if version is None:
        return {"version": None, "error": "not installed (pip install 'voicetools[llm]')"}
    from voicetools.backends.llama_cpu import system_info

    return {"version": version, "system_info": system_info()}


def workarounds(cpu: Any, environ: Mapping[str, str]) -> list[dict[str, str]]:
    """Which workarounds are in effect, and why, in the words a bug report needs."""
    from voicetools.backends.llama_cpu import ENV_EXTRA_BUFTS, UPSTREAM_ISSUE, extra_bufts_wanted

    name = "llama.cpp extra buffer types"
    try:
        on = extra_bufts_wanted(environ)
    except VoicetoolsError as exc:
        return [{"name": name, "state": "error", "why": str(exc)}]
    amx = has_amx(cpu)
    if on and amx:
        why = (
            f"turned on by {ENV_EXTRA_BUFTS}=1, and this CPU has AMX: expect the repack "
            f"segfault ({UPSTREAM_ISSUE}); unset {ENV_EXTRA_BUFTS} if it crashes"
        )
    elif on:
        why = f"turned on by {ENV_EXTRA_BUFTS}=1 (no AMX on this CPU)"
    elif amx:
        why = (
            f"AMX present: extra buffer types disabled ({UPSTREAM_ISSUE}); "
            f"{ENV_EXTRA_BUFTS}=1 turns them on"
        )
    else:
        why = (
            f"disabled by default, they crash on CPUs with AMX ({UPSTREAM_ISSUE}); "
            f"{ENV_EXTRA_BUFTS}=1 turns them on"
        )
    return [{"name": name, "state": "on" if on else "off", "why": why}]


def models_info(verify: bool) -> dict[str, Any]:
    """Every known model's state; with `verify`, assembled files are re-hashed now."""
    from voicetools.backends.assemble import ensure_model, status
    from voicetools.backends.models import MODELS

    rows = []
    for spec in MODELS.values():
        problem = None
        if verify and status(spec).assembled:
            try:
                ensure_model(spec, verify=True)
            except VoicetoolsError as exc:
                problem = str(exc)
        st = status(spec)
        rows.append(
            {
                "name": spec.name,
                "kind": spec.kind,
                "state": st.state,
                "path": str(st.path) if st.assembled else None,
                "problem": problem,
            }
        )
    return {"hashes_checked": verify, "models": rows}


def sound_info() -> dict[str, Any]:
    """The sound devices PortAudio sees, or the one-line reason there are none."""
    try:
        from voicetools.audio.devices import NO_DEVICE, list_devices
    except ImportError as exc:  # devices.py needs numpy, which only the audio extra installs
        return {"devices": [], "error": f"{exc}; install it with: pip install 'voicetools[audio]'"}
    devices = list_devices()
    rows = [
        {
            "index": d.index,
            "name": d.name,
            "hostapi": d.hostapi,
            "inputs": d.inputs,
            "outputs": d.outputs,
        }
        for d in devices
    ]
    return {"devices": rows, "error": None if rows else NO_DEVICE}


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
