"""The real small model for integration tests, or a skip that says why it is missing."""

from __future__ import annotations

import pytest

from voicetools.errors import BackendError


def small_model(n_ctx: int = 2048) -> object:
    """The default packaged LLM, loaded; skips the test when llama_cpp or the model is absent."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    from voicetools.backends.assemble import resolve_model
    from voicetools.backends.llama import LlamaLLM
    from voicetools.backends.models import DEFAULT_LLM

    try:
        path = resolve_model(DEFAULT_LLM)
    except BackendError as exc:
        pytest.skip(f"the default model is not available: {exc}")
    return LlamaLLM(path, n_ctx=n_ctx)
