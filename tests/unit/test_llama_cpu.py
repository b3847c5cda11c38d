"""llama.cpp's extra buffer types: off by default, on with $VOICETOOLS_LLAMA_EXTRA_BUFTS=1.

The switch is read here, and the struct it lands in is the one llama-cpp-python's own
`Llama.__init__` builds and hands to llama.cpp (run for real, up to the file check that comes
right before the load). tests/integration/test_llama_cpu_load.py loads the real model.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import pytest

from voicetools.backends.llama_cpu import (
    ENV_EXTRA_BUFTS,
    extra_bufts_wanted,
    llama_class,
    set_extra_bufts,
)
from voicetools.errors import BackendError


@pytest.mark.parametrize("value", ["", "0", "false", "False", "no", "off", " 0 ", "OFF"])
def test_off_spellings(value: str) -> None:
    assert extra_bufts_wanted({ENV_EXTRA_BUFTS: value}) is False


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " 1\n", "On"])
def test_on_spellings(value: str) -> None:
    assert extra_bufts_wanted({ENV_EXTRA_BUFTS: value}) is True


def test_unset_means_off() -> None:
    assert extra_bufts_wanted({}) is False


@pytest.mark.parametrize("value", ["2", "-1", "enable", "maybe", "1 0", "yes please", "\x00"])
def test_a_value_that_is_not_a_switch_is_a_clear_error(value: str) -> None:
    with pytest.raises(BackendError) as info:
        extra_bufts_wanted({ENV_EXTRA_BUFTS: value})
    message = str(info.value)
    assert message.startswith(f"${ENV_EXTRA_BUFTS}={value!r} is not understood")
    assert "\n" not in message


def test_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_EXTRA_BUFTS, "1")
    assert extra_bufts_wanted() is True
    monkeypatch.delenv(ENV_EXTRA_BUFTS)
    assert extra_bufts_wanted() is False


class _ParamsWithoutTheField(ctypes.Structure):
    """The shape of a llama-cpp-python whose `llama_model_params` has no `use_extra_bufts`."""

    _fields_ = [("n_gpu_layers", ctypes.c_int32), ("vocab_only", ctypes.c_bool)]


def test_a_build_without_the_field_cannot_turn_it_off() -> None:
    with pytest.raises(BackendError, match=r"no `llama_model_params.use_extra_bufts`.*20824"):
        set_extra_bufts(_ParamsWithoutTheField(), False)


def test_a_build_without_the_field_is_already_on() -> None:
    params = _ParamsWithoutTheField(n_gpu_layers=3)
    set_extra_bufts(params, True)
    assert params.n_gpu_layers == 3


def _llama_cpp() -> Any:
    return pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")


def test_llama_cpp_defaults_to_extra_buffer_types_on() -> None:
    """Why the workaround is needed at all: llama.cpp's own default is on."""
    assert _llama_cpp().llama_model_default_params().use_extra_bufts is True


def test_set_on_the_real_struct() -> None:
    params = _llama_cpp().llama_model_default_params()
    set_extra_bufts(params, False)
    assert params.use_extra_bufts is False
    set_extra_bufts(params, True)
    assert params.use_extra_bufts is True


def _params_llama_builds(tmp_path: Path, **options: Any) -> Any:
    """The model params the real `Llama.__init__` built, stopped by its missing-file check."""
    cls = llama_class(_llama_cpp())
    llama = cls.__new__(cls)
    with pytest.raises(ValueError, match="Model path does not exist"):
        llama.__init__(str(tmp_path / "absent.gguf"), verbose=False, **options)
    return llama.model_params


@pytest.mark.parametrize(
    ("env", "expected"), [(None, False), ("0", False), ("1", True), ("yes", True)]
)
def test_the_switch_reaches_the_params_llama_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str | None, expected: bool
) -> None:
    if env is None:
        monkeypatch.delenv(ENV_EXTRA_BUFTS, raising=False)
    else:
        monkeypatch.setenv(ENV_EXTRA_BUFTS, env)
    params = _params_llama_builds(
        tmp_path, extra_bufts=extra_bufts_wanted(), n_gpu_layers=7, vocab_only=True
    )
    assert params.use_extra_bufts is expected
    # Llama.__init__ kept filling the same struct after ours: its own settings are intact.
    assert (params.n_gpu_layers, params.vocab_only) == (7, True)


def test_the_class_defaults_to_off(tmp_path: Path) -> None:
    assert _params_llama_builds(tmp_path).use_extra_bufts is False


def test_instances_do_not_share_the_setting(tmp_path: Path) -> None:
    on = _params_llama_builds(tmp_path, extra_bufts=True)
    off = _params_llama_builds(tmp_path, extra_bufts=False)
    assert (on.use_extra_bufts, off.use_extra_bufts) == (True, False)
    assert _llama_cpp().Llama.__dict__.get("model_params") is None  # the base class is untouched


def test_a_bad_switch_stops_llamallm_before_anything_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voicetools.backends.llama import LlamaLLM

    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF" + b"\x00" * 64)
    monkeypatch.setenv(ENV_EXTRA_BUFTS, "sometimes")
    with pytest.raises(BackendError, match="is not understood"):
        LlamaLLM(model)


def test_a_llama_that_never_stores_model_params_is_refused() -> None:
    """A future llama-cpp-python that keeps the params in a local variable: say so, loudly."""
    import types

    future = types.ModuleType("future_llama_cpp")

    class FutureLlama:
        def __init__(self, model_path: str, **options: Any) -> None:
            self.loaded_from = (model_path, _ParamsWithoutTheField())

    future.Llama = FutureLlama  # type: ignore[attr-defined]
    expected = "could not be set .*20824.*VOICETOOLS_LLAMA_EXTRA_BUFTS=1"
    with pytest.raises(BackendError, match=expected):
        llama_class(future)("model.gguf", extra_bufts=False)
