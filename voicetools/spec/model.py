"""The agent as frozen dataclasses: what the rest of voicetools works with.

Built from a `Document` by `voicetools.spec.build`; nothing here reads files. Each object keeps
the JSON path it came from, so any finding or runtime error can point back at file:line:col.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from voicetools.spec.load import JsonPath
from voicetools.spec.schema import DEFAULT_TIMEOUT_MS

ToolKind = Literal["http", "python", "builtin", "mock", "none"]

_DESTRUCTIVE_NAME = re.compile(r"^(delete|cancel|remove|destroy|drop|erase|purge|refund|wipe)(_|$)")


@dataclass(frozen=True)
class HttpSpec:
    """How an HTTP tool is called."""

    url: str
    """May hold `{param}` placeholders (percent-encoded) in the path and query."""
    method: str = "GET"
    """GET POST PUT PATCH DELETE."""
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Values may hold `{param}` placeholders and `${ENV}` secrets."""
    body: str = "auto"
    """auto | json | query | form: where arguments not used in the URL go."""
    extract: str | None = None
    """Keep only this part of a JSON response (`data.items[0].status`)."""
    retries: int = 2
    """Retries for temporary failures, when safe."""
    idempotency_key: bool = False
    """Send an Idempotency-Key header so that non-GET requests may be retried."""
    max_response_bytes: int = 16_384
    """What the LLM receives is capped at this size."""

    @property
    def argument_location(self) -> str:
        """Where arguments go once `auto` is resolved: query for GET, json otherwise."""
        if self.body != "auto":
            return self.body
        return "query" if self.method == "GET" else "json"


@dataclass(frozen=True)
class Function:
    """One function the model may call."""

    name: str
    description: str
    parameters: Mapping[str, Any]
    """A JSON Schema of type object."""
    kind: ToolKind
    """Which of http / python / builtin executes it; "mock" when only a canned result exists."""
    http: HttpSpec | None = None
    python: str | None = None
    """`file.py:function` or `package.module:function`."""
    builtin: str | None = None
    """end_call | transfer_call | send_sms | press_digit."""
    message: str | None = None
    """end_call's last words, or send_sms's text."""
    number: str | None = None
    """transfer_call's destination."""
    mock: Mapping[str, Any] | None = None
    filler: tuple[str, ...] | None = None
    """Phrases to say while the tool runs; () means stay silent; None means the default."""
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    confirm: str | bool | None = None
    """A question template, True for an automatic read-back, False when the file turns
    confirmation off, None when the file does not say (see `needs_confirmation`)."""
    destructive_flag: bool | None = None
    """The author's explicit `destructive:`; None when not said."""
    path: JsonPath = ()
    """Where the function is in the agent file."""

    @property
    def destructive(self) -> bool:
        """Whether this tool deletes or cancels something (the author may override the guess)."""
        if self.destructive_flag is not None:
            return self.destructive_flag
        if self.http is not None and self.http.method == "DELETE":
            return True
        return bool(_DESTRUCTIVE_NAME.match(self.name.lower()))

    @property
    def needs_confirmation(self) -> bool:
        """Whether the caller must say yes before a call runs: a `confirm:` question or read-back,
        and every destructive function unless the file says `confirm: false`."""
        if self.confirm is None:
            return self.destructive
        return self.confirm is not False

    @property
    def required(self) -> tuple[str, ...]:
        names = self.parameters.get("required", ())
        return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()

    @property
    def properties(self) -> Mapping[str, Any]:
        props = self.parameters.get("properties", {})
        return props if isinstance(props, Mapping) else {}


@dataclass(frozen=True)
class Agent:
    """A whole agent file."""

    name: str
    instructions: str
    greeting: str = ""
    description: str = ""
    variables: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Known values (caller number, account id) usable as `{name}` placeholders."""
    functions: tuple[Function, ...] = ()
    default_timeout_ms: int = DEFAULT_TIMEOUT_MS
    default_filler: tuple[str, ...] | None = None
    allow_private: bool = False
    """Let HTTP tools reach loopback and private addresses."""
    source: str = "<string>"
    """The agent file as the user named it."""
    base_dir: Path = field(default_factory=Path.cwd)
    """Relative handler paths are resolved against this folder."""

    def function(self, name: str) -> Function | None:
        return next((f for f in self.functions if f.name == name), None)
