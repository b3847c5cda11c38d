"""The echo canceller on synthetic speech-like noise: the echo goes, the caller stays.

Skips without livekit (`pip install 'voicetools[audio]'`), whose WebRTC canceller it wraps.
"""

from __future__ import annotations

import numpy as np
import pytest

from voicetools.audio.echo import FRAME, RATE, EchoCanceller

pytest.importorskip("livekit.rtc", reason="livekit is not installed")


def _voice(seconds: float, seed: int) -> np.ndarray:
    """Noise in syllable-long bursts, low-passed: enough like speech for an echo canceller."""
    rng = np.random.default_rng(seed)
    noise = np.convolve(rng.standard_normal(round(seconds * RATE)), np.ones(8) / 8, "same")
    bursts = (np.sin(np.arange(len(noise)) * 2 * np.pi * 3 / RATE) > -0.3).astype(float)
    return (0.2 * noise * bursts).astype(np.float32)


def _db(pcm: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(pcm))) + 1e-9))


def _run(agent: np.ndarray, mic: np.ndarray, block: int) -> np.ndarray:
    """Feed both sides block by block, the speaker's first, as a live call does."""
    canceller, out = EchoCanceller(), []
    for at in range(0, len(mic), block):
        canceller.played(agent[at : at + block])
        out.append(canceller.process(mic[at : at + block]))
    return np.concatenate(out)


def test_the_agent_voice_is_taken_out_and_the_caller_kept() -> None:
    agent = _voice(6.0, seed=1)
    delay = round(0.04 * RATE)  # speaker to microphone: 40 ms
    echo = 0.5 * np.concatenate([np.zeros(delay, np.float32), agent[:-delay]])
    caller = np.zeros_like(agent)
    caller[4 * RATE :] = _voice(2.0, seed=2)  # the caller talks over the agent at 4 s
    cleaned = _run(agent, echo + caller, block=480)

    echo_only = slice(2 * RATE, 4 * RATE)  # after a second or two of learning
    assert _db(echo[echo_only]) - _db(cleaned[echo_only]) > 25, "the echo was not removed"
    both = slice(round(4.5 * RATE), 6 * RATE)
    assert _db(caller[both]) - _db(cleaned[both]) < 8, "the caller was cancelled too"


def test_with_no_echo_at_all_a_caller_over_the_agent_is_muffled_at_first() -> None:
    """Why `--echo-cancel` is not the default: with headphones it delays barge-in."""
    agent = _voice(4.0, seed=1)
    caller = np.zeros_like(agent)
    caller[RATE // 2 :] = _voice(3.5, seed=2)  # from 0.5 s, over the agent; no echo
    cleaned = _run(agent, caller, block=480)
    first, later = slice(RATE // 2, 3 * RATE // 2), slice(5 * RATE // 2, 4 * RATE)
    assert _db(caller[first]) - _db(cleaned[first]) > 10
    assert _db(caller[later]) - _db(cleaned[later]) < 6


@pytest.mark.parametrize("block", [480, 512, 7, FRAME])
def test_every_block_comes_back_as_long_as_it_went_in(block: int) -> None:
    """AEC3 takes 10 ms frames; the call's blocks are any length (the hold-back evens it)."""
    canceller = EchoCanceller()
    sizes = [block, block + 1, 3, block]
    quiet = np.zeros(max(sizes), np.float32)
    for size in sizes:
        canceller.played(quiet[:size])
        assert len(canceller.process(quiet[:size])) == size
