"""`voicetools doctor` through CliRunner: real facts of this machine, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from cli_support import run_cli

from voicetools import diagnose
from voicetools.backends import assemble, models
from voicetools.backends.models import Installed, ModelSpec

SAPPHIRE_RAPIDS = """\
processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512bw \
avx512vl avx512_vnni avx512_bf16 avx_vnni amx_bf16 amx_tile amx_int8 sha_ni
bugs\t\t: spectre_v1

processor\t: 1
model name\t: a second core that must not be read
flags\t\t: fpu
"""

GRAVITON = """\
processor\t: 0
BogoMIPS\t: 243.75
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics asimddp sve i8mm
CPU implementer\t: 0x41
"""

SWITCH = "VOICETOOLS_LLAMA_EXTRA_BUFTS"


def _line(output: str, prefix: str) -> str:
    found = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(found) == 1, output
    return found[0]


@pytest.fixture(autouse=True)
def default_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SWITCH, raising=False)


def _fake_cpu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(text, encoding="utf-8")
    monkeypatch.setattr(diagnose, "CPUINFO", cpuinfo)


# --- CPU flags ---------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/cpuinfo").is_file(), reason="no /proc/cpuinfo here")
def test_the_flags_line_matches_proc_cpuinfo() -> None:
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    first = next(line for line in lines if line.lower().startswith(("flags", "features")))
    real = set(first.split(":", 1)[1].split())
    shown = set(_line(result.output, "cpu flags: ").split("[")[0].split())
    for flag in ("avx", "avx2", "fma", "f16c", "avx_vnni", "asimd", "sve"):
        assert (flag in shown) == (flag in real), flag
    wide = {f for f in real if f.startswith(("avx512", "amx"))}
    assert wide <= shown
    assert "[from /proc/cpuinfo]" in result.output
    model = next((line for line in text.splitlines() if line.startswith("model name")), None)
    if model:
        assert _line(result.output, "cpu: ") == f"cpu: {model.split(':', 1)[1].strip()}"


def test_an_amx_xeon_shows_its_amx_flags_and_the_workaround(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_cpu(monkeypatch, tmp_path, SAPPHIRE_RAPIDS)
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert _line(result.output, "cpu: ") == "cpu: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz"
    flags = _line(result.output, "cpu flags: ")
    for flag in ("avx2", "avx512f", "avx512_bf16", "avx_vnni", "amx_bf16", "amx_tile", "amx_int8"):
        assert f" {flag}" in flags
    assert "sha_ni" not in flags and "fpu" not in flags and "(no " not in flags
    assert _line(result.output, "workaround: ") == (
        "workaround: llama.cpp extra buffer types off: AMX present: extra buffer types "
        f"disabled (llama.cpp#20824); {SWITCH}=1 turns them on"
    )


def test_the_switch_on_an_amx_cpu_warns_of_the_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_cpu(monkeypatch, tmp_path, SAPPHIRE_RAPIDS)
    line = _line(run_cli("doctor", env={SWITCH: "1"}).output, "workaround: ")
    assert line.startswith("workaround: llama.cpp extra buffer types on: turned on by")
    assert "expect the repack segfault (llama.cpp#20824)" in line


def test_an_arm_server_reports_its_features(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_cpu(monkeypatch, tmp_path, GRAVITON)
    result = run_cli("doctor")
    assert _line(result.output, "cpu flags: ").startswith("cpu flags: asimd asimddp sve i8mm (no ")
    assert "AMX present" not in result.output


@pytest.mark.parametrize("text", ["", "\n\n", "garbage without colons\n", "flags\t:\n", "\x00\xff"])
def test_odd_cpuinfo_contents_still_give_a_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str
) -> None:
    _fake_cpu(monkeypatch, tmp_path, text)
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert _line(result.output, "cpu flags: ").startswith("cpu flags: none of AVX, AVX2")


def test_without_cpuinfo_the_flags_are_unknown_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(diagnose, "CPUINFO", tmp_path / "absent")
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert _line(result.output, "cpu flags: ").startswith("cpu flags: unknown (no ")


def test_a_directory_as_cpuinfo_is_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(diagnose, "CPUINFO", tmp_path)
    assert run_cli("doctor").exit_code == 0


# --- the workaround switch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "state"), [({}, "off"), ({SWITCH: "0"}, "off"), ({SWITCH: "1"}, "on")]
)
def test_the_workaround_line_follows_the_switch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], state: str
) -> None:
    _fake_cpu(monkeypatch, tmp_path, GRAVITON)
    line = _line(run_cli("doctor", env=env).output, "workaround: ")
    assert line.startswith(f"workaround: llama.cpp extra buffer types {state}: ")


def test_a_bad_switch_value_is_reported_not_raised() -> None:
    result = run_cli("doctor", env={SWITCH: "perhaps"})
    assert result.exit_code == 0, result.output
    line = _line(result.output, "workaround: ")
    assert line.startswith("workaround: llama.cpp extra buffer types error: ")
    assert f"${SWITCH}='perhaps' is not understood" in line


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
        name="tiny", kind="llm", description="test", packages=("pkg-a",), version="1.0",
        parts="*/data/part*.bin", filename="model.gguf",
        sha256=hashlib.sha256(part.read_bytes()).hexdigest(), size=104,
        part_sha256=(hashlib.sha256(part.read_bytes()).hexdigest(),),
    )
    monkeypatch.setattr(models, "MODELS", {"tiny": spec})
    monkeypatch.setattr(assemble, "find_parts", lambda s: Installed((part,), (), ()))
    return part


def test_models_are_listed_and_say_hashes_were_not_rechecked(tiny: Path) -> None:
    before = run_cli("doctor").output
    assert "  tiny (llm): installed, not assembled" in before
    assert "hashes not re-checked now" in before
    models.resolve_model("tiny")
    after = run_cli("doctor").output
    assert f"  tiny (llm): ready, {models.model_path(models.MODELS['tiny'])}" in after


def test_verify_rehashes_and_a_tampered_package_fails(tiny: Path) -> None:
    models.resolve_model("tiny")
    ok = run_cli("doctor", "--verify")
    assert ok.exit_code == 0, ok.output
    assert "models (sha256 re-checked now):" in ok.output
    tiny.write_bytes(b"GGUF" + b"evil")
    models.model_path(models.MODELS["tiny"]).write_bytes(b"GGUF changed")
    bad = run_cli("doctor", "--verify")
    assert bad.exit_code == 1, bad.output
    assert "    problem: " in bad.output and "pkg-a" in bad.output
    assert json.loads(run_cli("doctor", "-f", "json", "--verify").output)["models"][
        "hashes_checked"
    ] is True


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
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
