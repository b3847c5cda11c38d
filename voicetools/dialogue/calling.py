"""Running one call inside a turn: filler while it runs, then what code says about its result.

The tool runs as a task; `run_with_filler` waits for whichever comes first, the result or the
next filler line's due time, on the engine's clock (so tests run in virtual time): no dead air,
and no noise for fast tools.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from voicetools.dialogue.clock import Clock
from voicetools.dialogue.decision.prompt import call_text
from voicetools.dialogue.events import (
    ActionTaken,
    CallEnded,
    Event,
    Say,
    ToolCalled,
    ToolReturned,
)
from voicetools.dialogue.filler import FillerPlan
from voicetools.dialogue.lines import spoken_error_for
from voicetools.dialogue.turn_state import TurnState
from voicetools.tools import ToolCall, ToolResult, is_confirmation_request

TRANSFERRING = "Let me transfer you now."


async def run_with_filler(
    task: asyncio.Future[ToolResult], plan: FillerPlan, clock: Clock, turn_start: float
) -> AsyncIterator[Say]:
    """Yield filler `Say` events while the running tool call `task` is not done.

    The caller of this reads the result from `task` afterwards; if it stops reading early
    (barge-in), the task is left running: `Calling._call` lets it finish.
    """
    started = clock.now()
    try:
        while not task.done():
            due_at = plan.next_due_s()
            if due_at is None:
                await asyncio.wait({task})
                break
            wait_s = due_at - (clock.now() - started)
            if wait_s > 0:
                sleeper = asyncio.ensure_future(clock.sleep(wait_s))
                waits: set[asyncio.Future[Any]] = {task, sleeper}
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                sleeper.cancel()
                if task.done():
                    break
            for text in plan.due(clock.now() - started):
                yield Say(text, "filler", at_s=clock.now() - turn_start)
    finally:
        plan.finish()


class Calling(TurnState):
    """A turn that can run calls."""

    async def _call(self, call: ToolCall) -> AsyncGenerator[Event, None]:
        """Run one call with filler, then say what code decides about its result.

        Sets `finished` when the turn ends here (a question, an error, the end of the call);
        otherwise the model gets the result and decides again.
        """
        parts = self.parts
        function = parts.agent.function(call.name)
        assert function is not None
        yield ToolCalled(call.call_id, call.name, call.arguments, at_s=self.at())
        # Closed at that yield, nothing has happened. From here the call is in the history
        # and the tool runs; the two are never separated (see `finally` below).
        self.conversation.called(call_text(call.name, call.arguments))
        task = asyncio.ensure_future(parts.runner.run(call))
        early, self.early_plan = self.early_plan, None
        # the plan whose first line was said while the arguments were written, if any
        plan = early[1] if early and early[0] == call.name else parts.filler.plan(function)
        began = parts.clock.now()
        finished = False
        try:
            async for filler in run_with_filler(task, plan, parts.clock, self.start):
                yield filler
            finished = True
        finally:
            if not finished:
                # Closed while the tool runs (the caller spoke over the filler). The tool is
                # allowed to finish, since one with side effects must never be cut off
                # half-way, and its result goes into the history, so the model knows it ran
                # (the caller has not heard it: `heard` stays as it is).
                result = await asyncio.shield(task)
                self.conversation.tool_returned(json.dumps(result.payload, ensure_ascii=False))
                self._ran(call.name, is_confirmation_request(result))
        result = task.result()
        self.tool_s += parts.clock.now() - began
        category = result.category.value if result.category else None
        yield ToolReturned(
            call.call_id,
            call.name,
            result.payload,
            result.ok,
            category,
            result.duration_ms,
            self.at(),
        )
        self.conversation.tool_returned(json.dumps(result.payload, ensure_ascii=False))
        self._ran(call.name, is_confirmation_request(result))
        if is_confirmation_request(result):
            self.finished = True
            yield self.say(str(result.payload.get("question", "")), "confirm")
        elif not result.ok:
            self.finished = True
            can_transfer = any(f.builtin == "transfer_call" for f in parts.agent.functions)
            yield self.say(spoken_error_for(result, can_transfer=can_transfer), "error")
        else:
            self.conversation.result_heard(json.dumps(result.payload, ensure_ascii=False))
            for action in result.actions:
                for event in self._act(action.kind, action.text, action.number):
                    yield event

    def _ran(self, name: str, asks_first: bool) -> None:
        """The frame of a call that ran is done; one waiting for a yes is kept for changes."""
        frame = self.conversation.frame
        if frame is not None and frame.name == name and not asks_first:
            self.conversation.frame_done()

    def _act(self, kind: str, text: str, number: str) -> list[Event]:
        """What a built-in's action does to the call."""
        if kind == "end_call":
            self.finished = True
            self.conversation.end()
            return [self.say(text or "Goodbye!", "goodbye"), CallEnded("end_call", self.at())]
        if kind == "transfer_call":
            self.finished = True
            self.conversation.end()
            return [
                self.say(TRANSFERRING, "goodbye"),
                ActionTaken(kind, text, number, self.at()),
                CallEnded("transfer_call", self.at()),
            ]
        return [ActionTaken(kind, text, number, self.at())]
