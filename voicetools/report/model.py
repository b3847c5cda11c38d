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
    """Where the audio started (a call), or when the line was said (a text call)."""
    end_s: float
    """Equal to `start_s` in a text call, where a line has no duration."""
    text: str
    """The words (all of them, also when the caller cut them off); empty for a wordless sound."""
    turn: int
    """The turn it belongs to (0: before the caller first spoke)."""
    interrupted: bool = False
    """The caller barged in and the rest was not played."""


@dataclass(frozen=True)
class ToolSpan:
    """One function call, from its `tool_call` to its `tool_result`."""

    call_id: str
    """The engine's id for the call (empty in records that have none)."""
    name: str
    """The function called."""
    arguments: Any
    """As written in the transcript: already redacted."""
    start_s: float
    """When the engine started the call."""
    turn: int
    """The turn it belongs to."""
    end_s: float | None = None
    """None when no result was recorded (the call was cut off, or the session crashed)."""
    result: Any = None
    """The payload the model received (redacted), None without a result."""
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
    """barge_in, ignored (a sound with no words), error (a turn failed), action, end."""
    at_s: float
    """When it happened."""
    text: str
    """What the page says about it ("caller barged in; heard: ...")."""
    turn: int
    """The turn it belongs to."""


@dataclass(frozen=True)
class Line:
    """One row of the transcript, in the order things were heard."""

    kind: LineKind
    """Who or what: caller, agent, filler, tool, or one of the marks' kinds."""
    at_s: float | None
    """When it was heard (or happened); None for a line the caller never heard."""
    text: str
    """The words, the tool's name, or the mark's text."""
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
    """The transcript rows of the turn, in the order they were heard."""
    latency: Latency
    """Empty (all None) for turn 0 and an ignored sound: there was nothing to answer."""
    ignored: bool = False
    """The caller made a sound with no words in it (the voice loop ignored it)."""


@dataclass(frozen=True)
class CallPage:
    """Everything one report page shows."""

    title: str
    """What the page is about (the transcript's file name, or the agent and the command)."""
    voice: bool
    """The records carry audio positions (a `call`), not just event times (a `chat`)."""
    duration_s: float
    """The last moment anything happened (at least 1 s): the timeline's length."""
    turns: tuple[Turn, ...]
    """Turn 0 (before the caller spoke), then one per caller utterance."""
    speech: tuple[Speech, ...]
    """Everything heard, for the timeline's caller and agent lanes."""
    tools: tuple[ToolSpan, ...]
    """Every function call, in the order they were made."""
    marks: tuple[Mark, ...]
    """Barge-ins, ignored sounds, errors, actions and the end, for the events lane."""
    ended: str | None = None
    """How the call ended (end_call, transfer_call, silence, hangup), when recorded."""
