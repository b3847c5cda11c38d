"""Make caller recordings with espeak-ng: a voice unlike the agent's Piper voice.

Why espeak-ng: a test where the caller and the agent share a synthesiser could pass only because
Whisper was tuned to that synthesiser; espeak-ng's formant voice is about as far from Piper's
neural one as two offline voices get. The shipped sample is regenerated with

    python benchmarks/make_caller_audio.py    # -> agents/samples/order_status_caller.wav

Layout of the sample (16 kHz mono, 16-bit): a pause while the agent's greeting plays, the
question, a long pause while the agent looks the order up and answers, then the goodbye.
`utterance()` and `conversation()` are reused by `benchmarks/latency.py`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from voicetools.audio.pcm import read_mono, write_wav

RATE = 16_000
SAMPLE = Path(__file__).resolve().parents[1] / "agents" / "samples" / "order_status_caller.wav"
ORDER_STATUS: tuple[tuple[float, str], ...] = (
    (4.5, "Hi, what's the status of order 4521?"),
    (24.0, "Thanks, goodbye."),
)
"""(silence before, words): 4.5 s for the greeting, 24 s for the lookup and the answer.

The long pause is for slow machines: on a loaded 2-core CI runner the answer once started 8 s
after the question and the goodbye (then 14 s later) talked over it, which the call tests read
as a barge-in."""


def utterance(text: str, voice: str = "en-us", *, speed: int = 155) -> np.ndarray:
    """`text` spoken by espeak-ng `voice`, float32 mono at 16 kHz."""
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "say.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text],
            check=True,
            timeout=60,
        )
        return read_mono(wav, RATE)


def conversation(
    turns: Sequence[tuple[float, np.ndarray]], tail_s: float = 1.5, level: float = 0.5
) -> np.ndarray:
    """Utterances with the given silences before each, peak-normalised to `level`."""
    parts: list[np.ndarray] = []
    for pause_s, speech in turns:
        parts.append(np.zeros(round(pause_s * RATE), np.float32))
        peak = float(np.abs(speech).max()) or 1.0
        parts.append((speech * (level / peak)).astype(np.float32))
    parts.append(np.zeros(round(tail_s * RATE), np.float32))
    return np.concatenate(parts)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default="en-us", help="espeak-ng voice (en-us, en-gb+f3...)")
    parser.add_argument("--output", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    audio = conversation([(pause, utterance(text, args.voice)) for pause, text in ORDER_STATUS])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_wav(args.output, audio, RATE)
    print(f"wrote {args.output} ({len(audio) / RATE:.1f} s, {args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
