"""`SileroVAD`: speech probability per 32 ms frame, from the Silero model faster-whisper ships.

faster-whisper 1.2.1 carries `assets/silero_vad_v6.onnx` and runs it over a whole file at once
(`faster_whisper.vad.SileroVADModel`). A call needs it frame by frame, as audio arrives, so
this module runs the same ONNX graph with onnxruntime directly, one 512-sample window at a
time, carrying the LSTM state (`h`, `c`) and the 64-sample context between calls exactly as the
batched version does within one batch (the unit of agreement is checked by an integration
test). The asset is located through the package's import spec without importing
`faster_whisper` itself, which would load CTranslate2 for nothing.

The object is a plain callable, `vad(frame) -> probability`, which is all
`voicetools.audio.vad.Endpointer` asks for; this is the only module that knows it is Silero.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from voicetools.errors import BackendError

SAMPLE_RATE = 16_000
FRAME = 512
"""Samples per window: 32 ms at 16 kHz, the size the model was trained on."""
CONTEXT = 64
ASSET = "silero_vad_v6.onnx"
INSTALL_HINT = "pip install 'voicetools[stt]'"


def model_file() -> Path:
    """The Silero ONNX file inside the installed faster-whisper (BackendError if absent)."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or spec.origin is None:
        raise BackendError(
            f"faster-whisper is not installed (it ships the VAD model); install it with: "
            f"{INSTALL_HINT}"
        )
    path = Path(spec.origin).parent / "assets" / ASSET
    if not path.is_file():
        raise BackendError(f"faster-whisper has no {ASSET} (expected version 1.2.1): {path}")
    return path


class SileroVAD:
    """Streaming speech probability for float32 mono 16 kHz frames of `FRAME` samples."""

    frame_samples = FRAME
    sample_rate = SAMPLE_RATE

    def __init__(self, path: str | Path | None = None) -> None:
        try:
            import onnxruntime
        except ImportError:
            hint = f"onnxruntime is not installed; install it with: {INSTALL_HINT}"
            raise BackendError(hint) from None
        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1  # 32 ms frames: threads cost more than they save
        options.log_severity_level = 4
        source = Path(path) if path is not None else model_file()
        try:
            self._session: Any = onnxruntime.InferenceSession(
                str(source), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise BackendError(f"cannot load the VAD model {source}: {exc}") from None
        self.reset()

    def reset(self) -> None:
        """Forget the audio heard so far (a new call or a new stream)."""
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)

    def __call__(self, frame: np.ndarray) -> float:
        """The probability that `frame` (exactly `FRAME` samples) contains speech."""
        audio = np.asarray(frame, dtype=np.float32)
        if audio.shape != (FRAME,):
            raise ValueError(f"Silero VAD takes frames of {FRAME} samples, got {audio.shape}")
        window = np.concatenate([self._context, audio])[None, :]
        prob, self._h, self._c = self._session.run(
            None, {"input": window, "h": self._h, "c": self._c}
        )
        self._context = audio[-CONTEXT:].copy()
        return float(np.asarray(prob).reshape(-1)[0])
