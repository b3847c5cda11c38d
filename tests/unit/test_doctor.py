"""`voicetools doctor` through CliRunner: real facts of this machine, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from cli_support import run_cli
from doctor_support import report_line as _line

from voicetools.backends import assemble, models
from voicetools.backends.models import Installed, ModelSpec

pytestmark = pytest.mark.usefixtures("llama_switch_unset")


# --- packages, llama.cpp, sound ----------------------------------------------------------------


def test_json_lists_the_installed_versions() -> None:
    result = run_cli("doctor", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for name, version in report["packages"].items():
        try:
            assert version == metadata.version(name)
        except metadata.PackageNotFoundError:
            assert version is None
    assert report["python"]["executable"] == sys.executable
    assert report["workarounds"][0]["state"] == "off"


def test_missing_native_packages_are_lines_not_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("llama_cpp", "sounddevice", "numpy"):
        monkeypatch.setitem(sys.modules, name, None)  # `import name` now raises ImportError
    monkeypatch.delitem(sys.modules, "voicetools.audio.devices", raising=False)
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    llama = _line(result.output, "llama.cpp: ")
    if _installed("llama-cpp-python"):
        assert llama.startswith("llama.cpp: unavailable (llama-cpp-python is not installed")
    else:
        assert llama == "llama.cpp: unavailable (not installed (pip install 'voicetools[llm]'))"
    sound = _line(result.output, "sound devices: ")
    assert sound.startswith("sound devices: none (") and "voicetools[audio]" in sound


def test_llama_cpp_build_info_is_printed() -> None:
    llama_cpp = pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    result = run_cli("doctor")
    shown = _line(result.output, "llama.cpp: ")
    expected = " ".join(llama_cpp.llama_print_system_info().decode().split())
    assert shown == f"llama.cpp: {expected}"
    version = _line(result.output, "llama-cpp-python: ")
    assert version == f"llama-cpp-python: {llama_cpp.__version__}"


def test_the_sound_line_agrees_with_portaudio() -> None:
    from voicetools.audio.devices import NO_DEVICE, list_devices
    from voicetools.errors import BackendError

    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    try:
        devices = list_devices()
    except BackendError as exc:
        assert _line(result.output, "sound devices: ") == f"sound devices: none ({exc})"
        return
    if not devices:
        assert _line(result.output, "sound devices: ") == f"sound devices: none ({NO_DEVICE})"
    for device in devices:
        assert f"[{device.index}] {device.name} (" in result.output


def _installed(distribution: str) -> bool:
    try:
        metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


# --- models --------------------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry of one model whose single 'package' is a file in tmp_path."""
    import hashlib

    monkeypatch.setenv("VOICETOOLS_CACHE", str(tmp_path / "cache"))
    part = tmp_path / "pkg" / "data" / "part00.bin"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"GGUF" + b"x" * 100)
    spec = ModelSpec(
        name="tiny",
        kind="llm",
        description="test",
        packages=("pkg-a",),
        version="1.0",
        parts="*/data/part*.bin",
        filename="model.gguf",
        sha256=hashlib.sha256(part.read_bytes()).hexdigest(),
        size=104,
        part_sha256=(hashlib.sha256(part.read_bytes()).hexdigest(),),
    )
    monkeypatch.setattr(models, "MODELS", {"tiny": spec})
    monkeypatch.setattr(assemble, "find_parts", lambda s: Installed((part,), (), ()))
    return part


def test_models_are_listed_and_say_hashes_were_not_rechecked(tiny: Path) -> None:
    before = run_cli("doctor").output
    assert "  tiny (llm): installed, not assembled" in before
    assert "hashes not re-checked now" in before
    assemble.resolve_model("tiny")
    after = run_cli("doctor").output
    assert f"  tiny (llm): ready, {models.model_path(models.MODELS['tiny'])}" in after


def test_verify_rehashes_and_a_tampered_package_fails(tiny: Path) -> None:
    assemble.resolve_model("tiny")
    ok = run_cli("doctor", "--verify")
    assert ok.exit_code == 0, ok.output
    assert "models (sha256 re-checked now):" in ok.output
    tiny.write_bytes(b"GGUF" + b"evil")
    models.model_path(models.MODELS["tiny"]).write_bytes(b"GGUF changed")
    bad = run_cli("doctor", "--verify")
    assert bad.exit_code == 1, bad.output
    assert "    problem: " in bad.output and "pkg-a" in bad.output
    assert (
        json.loads(run_cli("doctor", "-f", "json", "--verify").output)["models"]["hashes_checked"]
        is True
    )


def test_an_unknown_format_is_a_usage_error() -> None:
    result = run_cli("doctor", "--format", "yaml")
    assert result.exit_code != 0
    assert "unknown format `yaml`" in result.output


def test_doctor_starts_without_heavy_imports() -> None:
    probe = (
        "import sys; import voicetools.cli.app, voicetools.diagnose, voicetools.cli.doctor_cmd;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'llama_cpp', 'sounddevice', 'numpy', 'faster_whisper', 'piper', 'rich'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
