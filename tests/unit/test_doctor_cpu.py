"""`voicetools doctor`: the CPU flags that matter and the llama.cpp workaround they imply.

Other CPUs are real cpuinfo texts in files, read through the same path as /proc/cpuinfo.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run_cli
from doctor_support import report_line as _line

from voicetools import diagnose

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


pytestmark = pytest.mark.usefixtures("llama_switch_unset")


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
