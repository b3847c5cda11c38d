"""The page model of one call: what the report shows, with every time already worked out.

`build.build_page` makes it from transcript records; `html_page.render_page` draws it. Times
are seconds since the call started. In a voice call they are where the audio sat on the call's
timeline; a text call (`chat`) has no audio, so its lines are points in time, not stretches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

SpeechKind = Literal["caller", "agent", "filler"]
MarkKind = Literal["barge_in", "ignored", "error", "action", "end"]
LineKind = Literal[
    "caller", "agent", "filler", "tool", "barge_in", "ignored", "error", "action", "end"
]


@dataclass(frozen=True)
class Speech:
    """A stretch of speech on the timeline."""

    kind: SpeechKind
    """caller; agent (the answer, a question, a greeting, a goodbye); filler (incl. keep-alive)."""
    start_s: float
    end_s: float
    """Equal to `start_s` in a text call, where a line has no duration."""
    text: str
    turn: int
    """The turn it belongs to (0: before the caller first spoke)."""
    interrupted: bool = False
    """The caller barged in and the rest was not played."""


@dataclass(frozen=True)
class ToolSpan:
    """One function call, from its `tool_call` to its `tool_result`."""

    call_id: str
    name: str
    arguments: Any
    """As written in the transcript: already redacted."""
    start_s: float
    turn: int
    end_s: float | None = None
    """None when no result was recorded (the call was cut off, or the session crashed)."""
    result: Any = None
    ok: bool | None = None
    """None when no result was recorded."""
    category: str | None = None
    """The failure's category (timeout, http_5xx, ...) when it failed."""
    duration_ms: float | None = None
    """What the tool runner measured for the call itself."""


@dataclass(frozen=True)
class Mark:
    """Something that happened at one moment: a barge-in, an ignored sound, an error, an end."""

    kind: MarkKind
    at_s: float
    text: str
    turn: int


@dataclass(frozen=True)
class Line:
    """One row of the transcript, in the order things were heard."""

    kind: LineKind
    at_s: float | None
    text: str
    note: str = ""
    """Why this line is special: greeting, interrupted, not heard, failed, ..."""
    tool: ToolSpan | None = None
    """The call, for a `tool` line (its arguments and result are shown with it)."""


@dataclass(frozen=True)
class Latency:
    """From the moment the caller stopped speaking (or sent the line) to the agent's sound."""

    first_sound_s: float | None = None
    """To the first agent audio of any kind, filler included (voice-to-voice)."""
    filler_s: float | None = None
    """To the first filler or keep-alive line."""
    answer_s: float | None = None
    """To the first line that is not filler: the real answer (or a question, an error)."""
    dead_air_s: float | None = None
    """The longest silence before the answer, as the voice loop measured it (voice calls)."""


@dataclass(frozen=True)
class Turn:
    """What the caller said and everything the agent did until the caller spoke again."""

    number: int
    """1-based in the order the caller spoke; 0 holds what came before (the greeting)."""
    caller: str
    """The caller's words; empty for turn 0 and for a sound that was ignored."""
    lines: tuple[Line, ...]
    latency: Latency
    ignored: bool = False
    """The caller made a sound with no words in it (the voice loop ignored it)."""


@dataclass(frozen=True)
class CallPage:
    """Everything one report page shows."""

    title: str
    voice: bool
    """The records carry audio positions (a `call`), not just event times (a `chat`)."""
    duration_s: float
    turns: tuple[Turn, ...]
    speech: tuple[Speech, ...]
    tools: tuple[ToolSpan, ...]
    marks: tuple[Mark, ...]
    ended: str | None = None
    """How the call ended (end_call, transfer_call, silence, hangup), when recorded."""
