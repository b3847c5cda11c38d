"""`voicetools models` through CliRunner (a fixed registry, the cache in tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run_cli

from voicetools.backends import models
from voicetools.backends.models import ModelSpec

MISSING = ModelSpec(
    name="absent-model",
    kind="llm",
    description="never installed",
    packages=("surely-not-installed-part1", "surely-not-installed-part2"),
    version="0.1",
    parts="*/data/part*.bin",
    filename="model.gguf",
    sha256="0" * 64,
    size=5_000_000,
)


@pytest.fixture(autouse=True)
def registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(models, "MODELS", {MISSING.name: MISSING})
    monkeypatch.setenv("VOICETOOLS_CACHE", str(tmp_path))


def test_lists_models_with_the_pip_command() -> None:
    result = run_cli("models")
    assert result.exit_code == 0, result.output
    assert "absent-model  llm   missing  5 MB" in result.output
    pins = "surely-not-installed-part1==0.1 surely-not-installed-part2==0.1"
    assert f"pip install {pins}" in result.output


def test_json_listing() -> None:
    result = run_cli("models", "--format", "json", "--verify")
    data = json.loads(result.output)
    assert data["models"][0]["state"] == "missing"
    assert data["models"][0]["missing"] == list(MISSING.packages)


def test_install_prints_the_command_when_packages_are_missing() -> None:
    result = run_cli("models", "install", "absent-model")
    assert result.exit_code == 1
    assert "pip install surely-not-installed-part1==0.1" in result.output
    assert run_cli("models", "install", "nope").exit_code == 2
