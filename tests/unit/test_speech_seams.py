"""The STT/TTS seams through the shipped fakes: deterministic audio, timing, error translation."""

from __future__ import annotations

import numpy as np
import pytest

from voicetools.backends.speech import (
    STT,
    TTS,
    BaseSTT,
    BaseTTS,
    SpeechStats,
    Transcript,
    as_float32,
)
from voicetools.errors import BackendError
from voicetools.testing.fake_audio import FakeSTT, FakeTTS, dominant_hz, tone


def test_fakes_satisfy_the_protocols() -> None:
    assert isinstance(FakeSTT(), STT) and isinstance(FakeTTS(), TTS)


def test_fake_tts_length_follows_the_text_at_a_fixed_rate() -> None:
    tts = FakeTTS(sample_rate=16000, chars_per_s=10.0)
    chunks = list(tts.synthesize("Hello there. Your order 4521 has shipped!"))
    assert [c.text for c in chunks] == ["Hello there.", "Your order 4 5 2 1 has shipped!"]
    assert [c.duration_s for c in chunks] == [1.2, 3.1]
    assert all(c.sample_rate == 16000 and not np.any(c.pcm) for c in chunks)
    stats = tts.last_stats
    assert stats is not None and stats.chunks == 2 and stats.finished
    assert stats.audio_s == pytest.approx(4.3) and stats.first_chunk_s is not None
    assert tts.spoken == [c.text for c in chunks]


def test_fake_tts_tone_and_raw_text() -> None:
    tts = FakeTTS(tone_hz=440.0)
    (chunk,) = tts.synthesize("**4521**", clean=False)
    assert chunk.text == "**4521**" and abs(dominant_hz(chunk.pcm) - 440) < 5


def test_emoji_or_markup_only_says_nothing_without_error() -> None:
    tts = FakeTTS()
    assert list(tts.synthesize("🎉👍 **")) == []
    assert tts.last_stats == SpeechStats(0.0, tts.last_stats.total_s, None, 0, True)


def test_stopping_early_is_recorded_as_unfinished() -> None:
    seen: list[SpeechStats] = []
    tts = FakeTTS()
    tts.on_stats = seen.append
    stream = tts.synthesize("One. Two. Three.")
    next(stream)
    stream.close()  # barge-in
    assert len(seen) == 1 and not seen[0].finished and seen[0].chunks == 1


def test_on_sentence_lets_a_virtual_clock_charge_synthesis() -> None:
    clock: list[str] = []
    list(FakeTTS(on_sentence=clock.append).synthesize("A. B."))
    assert clock == ["A.", "B."]


def test_fake_stt_queue_then_tones_then_rule_then_default() -> None:
    stt = FakeSTT(
        ["first"],
        tones={300.0: "order 4521", 600.0: "yes"},
        rule=lambda pcm: "long" if len(pcm) > 16000 else "",
    )
    assert stt.transcribe(tone(600, 1.0)).text == "first"
    assert stt.transcribe(tone(300, 1.0)).text == "order 4521"
    assert stt.transcribe(tone(600, 0.5)).text == "yes"
    assert stt.transcribe(np.zeros(32000, np.float32)).text == "long"
    empty = stt.transcribe(np.zeros(100, np.float32))
    assert empty == Transcript("", "en", 100 / 16000, 1.0)
    assert len(stt.heard) == 5
    stats = stt.last_stats
    assert stats is not None and stats.audio_s == pytest.approx(100 / 16000) and stats.rtf >= 0


def test_int16_is_converted_and_stereo_is_refused() -> None:
    stt = FakeSTT(rule=lambda pcm: f"{pcm.dtype} {pcm.max():.2f}")
    assert stt.transcribe(np.array([0, 16384], np.int16)).text == "float32 0.50"
    with pytest.raises(ValueError, match="mono"):
        stt.transcribe(np.zeros((10, 2), np.float32))
    with pytest.raises(ValueError, match="float32 or int16"):
        as_float32(np.zeros(3, np.int64))


class BrokenSTT(BaseSTT):
    label = "broken"

    def _transcribe_impl(self, pcm: np.ndarray, prompt: str | None = None) -> Transcript:
        raise RuntimeError("model exploded")


class BrokenTTS(BaseTTS):
    label = "broken"

    def _synthesize_impl(self, sentence: str) -> np.ndarray:
        raise KeyError("phoneme")


def test_outside_errors_become_backend_errors_naming_the_backend() -> None:
    with pytest.raises(BackendError, match="broken: RuntimeError: model exploded"):
        BrokenSTT().transcribe(np.zeros(10, np.float32))
    tts = BrokenTTS()
    with pytest.raises(BackendError, match="broken: KeyError"):
        list(tts.synthesize("Hi."))
    assert tts.last_stats is not None and not tts.last_stats.finished


def test_stats_rtf() -> None:
    assert SpeechStats(2.0, 0.5).rtf == 0.25 and SpeechStats(0.0, 0.5).rtf == 0.0


@pytest.mark.parametrize(("module", "extra"), [("faster_whisper", "stt"), ("piper", "tts")])
def test_a_missing_package_gives_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    if module == "piper":
        from voicetools.backends.piper import PiperTTS as Backend
    else:
        from voicetools.backends.whisper import WhisperSTT as Backend  # type: ignore[assignment]
    hint = rf"install it with: pip install 'voicetools\[{extra}\]'"
    with pytest.raises(BackendError, match=hint):
        Backend()
