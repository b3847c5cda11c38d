"""How llama.cpp is asked to use the CPU: extra buffer types off unless the user turns them on.

llama.cpp's "extra buffer types" repack the weights at load time for the fastest kernels the CPU
has (AMX tiles, AVX2/AVX512 interleaved layouts). On Intel CPUs with AMX the AMX path crashes in
the first batched matmul (a segmentation fault, upstream llama.cpp#20824), and a model loaded
with `llama_model_params.use_extra_bufts = false` runs fine there, so that is the default here;
`VOICETOOLS_LLAMA_EXTRA_BUFTS=1` turns them back on (faster prompt evaluation where it works).

`Llama(...)` in llama-cpp-python has no argument for the field: its `__init__` builds
`self.model_params` from `llama_model_default_params()` and loads the model from it in the same
call. `llama_class` returns a subclass whose `model_params` is a property, so the struct is
given our value the moment `__init__` stores it, before the load, in this instance only (no
global patching). A llama-cpp-python that lacks the field, or builds the params another way,
is a `BackendError` rather than a silently ignored setting.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

from voicetools.backends.base import INSTALL_HINT
from voicetools.errors import BackendError

ENV_EXTRA_BUFTS = "VOICETOOLS_LLAMA_EXTRA_BUFTS"
UPSTREAM_ISSUE = "llama.cpp#20824"
FIELD = "use_extra_bufts"
_ON = ("1", "true", "yes", "on")
_OFF = ("", "0", "false", "no", "off")


def import_llama_cpp() -> Any:
    """The `llama_cpp` module, or a `BackendError` saying how to install it."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise BackendError(
            f"llama-cpp-python is not installed ({exc}); install it with: {INSTALL_HINT}"
        ) from None
    return llama_cpp


def extra_bufts_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether $VOICETOOLS_LLAMA_EXTRA_BUFTS turns the extra buffer types on (default: off)."""
    raw = (os.environ if environ is None else environ).get(ENV_EXTRA_BUFTS, "")
    value = raw.strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    raise BackendError(
        f"${ENV_EXTRA_BUFTS}={raw!r} is not understood: use 1 to turn llama.cpp's extra "
        "buffer types on, or 0 (the default) to keep them off"
    )


def set_extra_bufts(params: Any, wanted: bool) -> None:
    """Set the field on a `llama_model_params` struct; `BackendError` if this build lacks it."""
    fields = {field[0] for field in getattr(type(params), "_fields_", ())}
    if FIELD in fields:
        setattr(params, FIELD, wanted)
        return
    if wanted:
        return  # a llama.cpp without the switch always uses its buffer types: that is "on"
    raise BackendError(
        f"this llama-cpp-python has no `llama_model_params.{FIELD}`, so voicetools cannot turn "
        f"off llama.cpp's extra buffer types (they crash on CPUs with AMX, {UPSTREAM_ISSUE}); "
        f"install the tested version (pip install 'voicetools[llm]') or set {ENV_EXTRA_BUFTS}=1"
    )


@functools.cache
def llama_class(llama_cpp: Any) -> Any:
    """`llama_cpp.Llama` with an `extra_bufts=` keyword that reaches llama.cpp's model params."""

    class Llama(llama_cpp.Llama):  # type: ignore[misc,name-defined]
        _voicetools_extra_bufts = False
        _voicetools_params_set = False

        def __init__(self, model_path: str, *, extra_bufts: bool = False, **options: Any) -> None:
            self._voicetools_extra_bufts = extra_bufts
            super().__init__(model_path, **options)
            if not self._voicetools_params_set:
                raise BackendError(
                    "this llama-cpp-python builds its model parameters in a way voicetools "
                    f"does not know, so `{FIELD}` could not be set ({UPSTREAM_ISSUE}); install "
                    f"the tested version (pip install 'voicetools[llm]') or set "
                    f"{ENV_EXTRA_BUFTS}=1"
                )

        @property
        def model_params(self) -> Any:
            return self.__dict__["_voicetools_model_params"]

        @model_params.setter
        def model_params(self, params: Any) -> None:
            set_extra_bufts(params, self._voicetools_extra_bufts)
            self.__dict__["_voicetools_model_params"] = params
            self._voicetools_params_set = True

    return Llama


def system_info() -> str:
    """llama.cpp's own build and CPU feature line (`llama_print_system_info`)."""
    raw = import_llama_cpp().llama_print_system_info()
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())
