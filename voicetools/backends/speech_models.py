"""Which Whisper model and which Piper voice to load: `--stt-model` and `--voice`, like `--model`.

Each takes None (the environment variable, else the default), a registry name from
`voicetools.backends.models` (assembled and sha256-checked on first use), or a path the user
gives, because every default must be replaceable. A path is checked here for the files the
loader needs, so a wrong path is one clear line instead of an error from deep inside
CTranslate2 or onnxruntime. In particular a Whisper directory without `tokenizer.json` would
make faster-whisper try to download one from the model hub, which fails offline.

Nothing here imports a heavy package.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from voicetools.backends import models
from voicetools.backends.models import DEFAULT_STT, DEFAULT_TTS, Kind, Progress
from voicetools.errors import BackendError

ENV_STT = "VOICETOOLS_STT_MODEL"
ENV_VOICE = "VOICETOOLS_VOICE"
WHISPER_FILES = ("model.bin", "config.json", "tokenizer.json")
"""What a CTranslate2 Whisper directory must hold to load offline."""


def resolve_stt_model(
    spec: str | None, *, progress: Progress | None = None, verify: bool = False
) -> Path:
    """A loadable Whisper (CTranslate2) directory: None, a registry name, or a directory."""
    return _resolve(spec, "stt", ENV_STT, DEFAULT_STT, _check_whisper_dir, progress, verify)


def resolve_voice(
    spec: str | None, *, progress: Progress | None = None, verify: bool = False
) -> Path:
    """A loadable Piper voice (`.onnx` with its `.onnx.json` beside it): None, a name or a path."""
    return _resolve(spec, "tts", ENV_VOICE, DEFAULT_TTS, _check_voice, progress, verify)


def _resolve(
    spec: str | None,
    kind: Kind,
    env: str,
    default: str,
    check: Callable[[Path, str], Path],
    progress: Progress | None,
    verify: bool,
) -> Path:
    from voicetools.backends.assemble import ensure_model

    chosen = spec or os.environ.get(env) or default
    known = models.MODELS.get(chosen)
    if known is not None:
        if known.kind != kind:
            raise BackendError(f"{chosen} is a {known.kind} model, not a {_NOUN[kind]}")
        path = ensure_model(known, progress=progress, verify=verify)
        return path.parent if kind == "stt" else path
    path = Path(chosen).expanduser()
    if not path.exists():
        names = ", ".join(n for n, s in models.MODELS.items() if s.kind == kind)
        raise BackendError(f"{_NOUN[kind]} {chosen!r} not found: use one of {names}, or a path")
    return check(path, chosen)


_NOUN = {"stt": "speech recognizer", "tts": "voice", "llm": "language model"}


def _check_whisper_dir(path: Path, shown: str) -> Path:
    if path.is_file() and path.name == "model.bin":
        path = path.parent
    if not path.is_dir():
        raise BackendError(f"{shown} is not a Whisper model directory (model.bin, config.json...)")
    missing = [name for name in WHISPER_FILES if not (path / name).is_file()]
    if missing:
        raise BackendError(
            f"{shown} is not a complete CTranslate2 Whisper model: no {', '.join(missing)}"
        )
    return path


def _check_voice(path: Path, shown: str) -> Path:
    if not path.is_file() or path.suffix != ".onnx":
        raise BackendError(f"{shown} is not a Piper voice (.onnx file)")
    config = path.with_name(path.name + ".json")
    if not config.is_file():
        raise BackendError(f"Piper voice {shown} has no config beside it ({config.name})")
    return path
