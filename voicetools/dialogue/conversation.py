"""`Conversation`: what one call has said and done so far, changed only through named methods.

The engine, a turn and the voice loop all change the conversation, but only by saying what
happened (`caller_said`, `agent_said`, `cut_reply`, `end` ...), so every change can be found by
name. The slot frame of the chosen function (`dialogue.frames`) lives here too, next to the
history it is filled from. The pending confirmation is not copied here: the tool runner's
policy owns it, and the conversation reads it through the runner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.frames.frame import IDLE_LIMIT, Filled, Frame
from voicetools.spec.model import Function
from voicetools.tools import Answer, PendingConfirmation, Redactor, ToolCall, ToolResult

CUT_MARK = "—"
"""Ends an agent turn the caller interrupted: the words after it were never heard
(`Conversation.cut_reply`)."""


class ToolRunning(Protocol):
    """What the engine needs of a tool runner (`voicetools.tools.runner.ToolRunner`).

    The runner's policy owns the pending confirmation; the engine only reads it.
    """

    @property
    def pending(self) -> PendingConfirmation | None: ...

    @property
    def redactor(self) -> Redactor:
        """The session's one redactor, for every sink outside the runner too."""
        ...

    def new_turn(self) -> None: ...

    def caller_said(self, text: str) -> Answer | None: ...

    async def run(self, call: ToolCall) -> ToolResult: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class AskedFor:
    """A question the checks asked instead of calling `function`: what for, in which words."""

    function: str
    names: tuple[str, ...]
    question: str


class Conversation:
    """The state of one call; see the module docstring. Not thread-safe: one loop drives it."""

    def __init__(self, runner: ToolRunning) -> None:
        self._runner = runner
        self._history: list[Message] = []
        self._caller_turns: list[str] = []
        self._heard: list[str] = []
        self._asked: AskedFor | None = None
        self._asked_turn = -1
        """The number of caller turns when `_asked` was asked."""
        self._ended = False
        self._calls = 0
        self._frame: Frame | None = None
        self._done: Frame | None = None
        self._frame_added = False
        """Whether this caller turn opened the frame or added a value to it."""

    # -- reading ---------------------------------------------------------------------------

    @property
    def history(self) -> Sequence[Message]:
        """Every message so far, as the model reads it."""
        return self._history

    @property
    def caller_turns(self) -> Sequence[str]:
        """What the caller said, one entry a turn."""
        return self._caller_turns

    @property
    def heard(self) -> Sequence[str]:
        """Tool results the caller has heard about; identifiers in them count as grounded."""
        return self._heard

    @property
    def asked(self) -> AskedFor | None:
        """The last question the checks asked for a call's missing arguments."""
        return self._asked

    @property
    def open_question(self) -> AskedFor | None:
        """`asked`, while the caller has not spoken since: the question the next caller turn
        answers (`dialogue.expected`)."""
        return self._asked if self._asked_turn == len(self._caller_turns) else None

    @property
    def frame(self) -> Frame | None:
        """The arguments gathered so far for the chosen function (`dialogue.frames`)."""
        return self._frame

    @property
    def ended(self) -> bool:
        return self._ended

    @property
    def pending(self) -> PendingConfirmation | None:
        """The confirmation question waiting for the caller (owned by the runner's policy)."""
        return self._runner.pending

    # -- changing --------------------------------------------------------------------------

    def caller_said(self, text: str) -> None:
        """A caller turn: the model reads it, and its words ground identifiers."""
        self._caller_turns.append(text)
        self._history.append(Message("user", text))

    def agent_said(self, text: str) -> None:
        """The agent's words, in a turn or outside one ("Are you still there?")."""
        self._history.append(Message("assistant", text))

    def asked_for(self, asked: AskedFor) -> None:
        """The checks asked for arguments of a call; the caller's answer is weighed for it."""
        self._asked = asked
        self._asked_turn = len(self._caller_turns)

    def called(self, call_text: str) -> None:
        """The model's call, as the model writes one, about to run."""
        self._history.append(Message("assistant", call_text))

    def tool_returned(self, payload: str) -> None:
        """A tool's result (JSON), which the model reads; the caller has not heard it yet."""
        self._history.append(Message("tool", payload))

    def result_heard(self, payload: str) -> None:
        """The caller was told about this result, so identifiers in it are grounded."""
        self._heard.append(payload)

    def cut_reply(self, heard: str) -> None:
        """The caller spoke over the agent and heard only `heard` of its last words.

        The history keeps only what was heard, cut off with a dash ("We open at eight. —"), so
        the model does not believe the caller was told the rest; a reply nobody heard is
        removed. A bracketed note ("[interrupted by the caller]") was tried first: the 0.5B
        model copied it into its next reply, and the voice read it out.
        """
        heard = heard.strip()
        cut = f"{heard} {CUT_MARK}"
        last = self._history[-1] if self._history else None
        if last is not None and last.role == "assistant" and not last.content.startswith("<"):
            if heard:
                self._history[-1] = Message("assistant", cut)
            else:
                self._history.pop()
        elif heard:
            self._history.append(Message("assistant", cut))

    def open_frame(self, function: Function, values: Mapping[str, Filled] | None = None) -> None:
        """A function was chosen: a new frame for it (with `values` carried over) replaces any
        other."""
        self._frame = Frame(function, dict(values or {}))
        self._frame_added = True

    def fill_frame(self, values: Mapping[str, Filled]) -> dict[str, Filled]:
        """Add `values` to the frame; returns those that were new or changed."""
        if self._frame is None:
            return {}
        changed = self._frame.changes(values)
        if changed:
            self._frame = self._frame.filled(changed)
            self._frame_added = True
        return changed

    def unfill_frame(self, names: Iterable[str]) -> None:
        """Forget values the checks refused, so they are asked for again."""
        if self._frame is not None:
            self._frame = self._frame.without(names)

    def frame_asked(self, names: Iterable[str]) -> None:
        """The agent asked the caller for these values of the frame."""
        if self._frame is not None:
            self._frame = self._frame.asking(names)

    def drop_frame(self) -> None:
        """The caller moved on (`dialogue.frames.frame`'s rule)."""
        self._frame = None

    def frame_done(self) -> None:
        """The frame's call ran: it is kept as `done`, for a follow-up that changes a value."""
        self._done, self._frame = self._frame, None

    @property
    def done(self) -> Frame | None:
        """The frame of the last call that ran from one, for a follow-up that changes one of
        its values ("what about Saturday?", "actually, a consultation")."""
        return self._done

    def end_caller_turn(self) -> None:
        """The caller turn is over: a frame it added nothing to for `IDLE_LIMIT` turns in a row
        is dropped."""
        if self._frame is not None:
            self._frame = self._frame.idle(self._frame_added)
            if self._frame.idle_turns >= IDLE_LIMIT:
                self._frame = None
        self._frame_added = False

    def end(self) -> None:
        """The call is over: later caller turns get no answer."""
        self._ended = True

    def next_call_id(self) -> str:
        self._calls += 1
        return f"call_{self._calls}"
