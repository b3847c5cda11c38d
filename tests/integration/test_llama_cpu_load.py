"""The extra-buffer-types switch as llama.cpp itself sees it, with the real small model.

llama.cpp logs the buffers it loads weights into: a "CPU_REPACK" (or "AMX") model buffer exists
only when extra buffer types are used. Each load runs in a fresh interpreter, as `chat` does,
with the switch in its environment. Skips, saying why, when llama-cpp-python or the model
packages are not installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from model_support import small_model

from voicetools.backends.llama_cpu import ENV_EXTRA_BUFTS

pytestmark = pytest.mark.integration

_EXTRA_BUFFER = re.compile(r"\b(CPU_REPACK|AMX) model buffer size\b")
_PROBE = """
from voicetools.backends.llama import LlamaLLM
from voicetools.backends.assemble import resolve_model
llm = LlamaLLM(resolve_model(None), n_ctx=256, verbose=True)
print("use_extra_bufts", llm.model.model_params.use_extra_bufts, llm.extra_bufts)
"""


def _load(switch: str | None) -> tuple[str, str]:
    """(stdout, llama.cpp's log) of loading the default model with the switch set so."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.models import DEFAULT_LLM
    from voicetools.errors import BackendError

    try:
        resolve_model(DEFAULT_LLM)
    except BackendError as exc:
        pytest.skip(f"the default model is not available: {exc}")
    env = {k: v for k, v in os.environ.items() if k not in (ENV_EXTRA_BUFTS, "VOICETOOLS_MODEL")}
    if switch is not None:
        env[ENV_EXTRA_BUFTS] = switch
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


@pytest.mark.parametrize("switch", [None, "0"])
def test_by_default_llama_cpp_loads_no_extra_buffer(switch: str | None) -> None:
    out, log = _load(switch)
    assert "use_extra_bufts False False" in out
    assert "CPU_Mapped model buffer size" in log  # the log is there, and names its buffers
    assert not _EXTRA_BUFFER.search(log), log
    assert "repack tensor" not in log


def test_the_switch_lets_llama_cpp_repack() -> None:
    out, log = _load("1")
    assert "use_extra_bufts True True" in out
    features = next((line for line in log.splitlines() if "REPACK = 1" in line), "")
    if "AVX2 = 1" not in features and "AMX" not in features:
        pytest.skip(f"this CPU has no repack kernel for the model's weights: {features!r}")
    assert _EXTRA_BUFFER.search(log), log


def test_the_default_load_runs_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_EXTRA_BUFTS, raising=False)
    llm: Any = small_model(n_ctx=512)
    assert llm.extra_bufts is False
    assert llm.model.model_params.use_extra_bufts is False
    scores = llm.score_continuations("The capital of France is", [" Paris", " banana"])
    assert scores[0] > scores[1]
