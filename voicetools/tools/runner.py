"""One door for every tool call: validate, apply the policies, execute, redact, record.

The order is the point. Nothing with a side effect happens before the arguments fit the schema
and the policies (`policy.py`) admit the call; every outcome, refusals included, comes back as a
`ToolResult` (the model must hear what happened) and is recorded as a redacted `ToolEvent`.

Executors are chosen per function by `executors.Executors` (mocks and injected `faults`
included) and made on first use, so an agent without HTTP tools never imports httpx.

Secrets are the values of every `${NAME}` the agent file uses, read once when the runner is
made (`secrets.session_redactor`, which refuses values too short to mask); that `redactor`
masks them and card numbers in the payload, the spoken line, the log detail, the built-ins'
actions and the recorded event, and the CLI hands the same object to every other sink.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator

from voicetools.spec.model import Agent, Function
from voicetools.tools.arguments import describe_problems, problems, validator_for
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult, error_result
from voicetools.tools.consent import classify
from voicetools.tools.executors import Executors
from voicetools.tools.policy import (
    Answer,
    AnswerSource,
    CallPolicy,
    PendingConfirmation,
    call_key,
    duplicate_result,
)
from voicetools.tools.record import Recorder, ToolEvent
from voicetools.tools.redact import Redactor
from voicetools.tools.secrets import session_redactor

if TYPE_CHECKING:
    from voicetools.tools.faults import Fault

log = logging.getLogger(__name__)

GRACE_S = 1.0
"""Extra time before the runner itself cuts off an executor that overran its own deadline."""


def _failure(call: ToolCall, error: str, category: ErrorCategory, detail: str) -> ToolResult:
    """A refusal by the runner itself: nothing was attempted."""
    return error_result(call, error, category, detail, attempts=0)


class ToolRunner:
    """Runs the tool calls of one conversation with one agent."""

    def __init__(
        self,
        agent: Agent,
        *,
        env: Mapping[str, str] = os.environ,
        allow_private: bool | None = None,
        mocks: Mapping[str, Any] | None = None,
        mock_all: bool = False,
        clock: Callable[[], float] = time.monotonic,
        max_calls_per_turn: int = 5,
        recorder: Recorder | None = None,
        faults: Mapping[str, Fault] | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.agent = agent
        self.env = env
        self.redactor = redactor if redactor is not None else session_redactor(agent, env)
        """The session's one redactor; `SecretRefused` above when a secret cannot be masked."""
        self.recorder = recorder if recorder is not None else Recorder()
        self.policy = CallPolicy(
            clock=clock, max_calls_per_turn=max_calls_per_turn, variables=agent.variables
        )
        self.executors = Executors(
            agent,
            env=env,
            allow_private=agent.allow_private if allow_private is None else allow_private,
            mocks=mocks,
            mock_all=mock_all,
            faults=faults,
            redactor=self.redactor,
        )
        self._running: dict[str, asyncio.Future[ToolResult]] = {}
        self._validators: dict[str, Draft202012Validator] = {}

    # -- the dialogue layer's side -------------------------------------------------------

    def new_turn(self) -> None:
        """The caller spoke: reset the once-per-turn memory and the call count."""
        self.policy.new_turn()

    @property
    def pending(self) -> PendingConfirmation | None:
        """The confirmation question waiting for the caller, if any."""
        return self.policy.pending

    def answer_confirmation(self, yes: bool, *, source: AnswerSource = "caller") -> Answer:
        """Record the caller's yes or no to the pending question (other sources are refused)."""
        answer = self.policy.answer(yes, source=source)
        log.info("confirmation answer from %s: %s", source, answer.value)
        return answer

    def caller_said(self, text: str) -> Answer | None:
        """Feed one caller utterance as the answer to the pending question (None if none).

        Only an explicit yes approves the call (`consent.classify`); the `Answer` says what the
        dialogue layer does next: run it, decline, ask again, or hand the words to the model.
        """
        pending = self.policy.pending
        if pending is None:
            return None
        function = self.agent.function(pending.function)
        consent = classify(text, function, pending.arguments, pending.question)
        answer = self.policy.reply(consent, source="caller")
        log.info("confirmation reply read as %s: %s", consent.value, answer.value)
        return answer

    # -- running -------------------------------------------------------------------------

    def secrets(self) -> tuple[str, ...]:
        """The secret values this session masks (each in every spelling, by the redactor)."""
        return self.redactor.secrets

    async def run(self, call: ToolCall) -> ToolResult:
        """Run one call from the model; never raises for anything the model or a tool did."""
        # Durations are real time even when the policies run on a virtual clock.
        started_at, start = time.time(), time.perf_counter()
        result = await self._run(call)
        result = replace(result, duration_ms=(time.perf_counter() - start) * 1000)
        mask = self.redactor
        result = replace(
            result,
            payload=mask.value(result.payload),
            spoken=mask.text(result.spoken),
            detail=mask.value(dict(result.detail)),
            actions=tuple(
                replace(a, text=mask.text(a.text), number=mask.text(a.number))
                for a in result.actions
            ),
        )
        event = ToolEvent.of(result, started_at=started_at, redactor=mask)
        self.recorder.record(event)
        log.info("tool %s", event.line())
        if "traceback" in result.detail:
            log.debug("tool %s failed:\n%s", event.name, result.detail["traceback"])
        if "output" in result.detail:  # what a Python handler printed, kept off the CLI's output
            log.info("tool %s printed:\n%s", event.name, result.detail["output"])
        return result

    async def _run(self, call: ToolCall) -> ToolResult:
        if not self.policy.count_call():
            return _failure(
                call,
                "too_many_calls",
                ErrorCategory.UNKNOWN,
                f"more than {self.policy.max_calls_per_turn} tool calls in one turn; "
                "answer the caller with what you have",
            )
        function = self.agent.function(call.name)
        if function is None:
            return _failure(
                call,
                "unknown_function",
                ErrorCategory.UNKNOWN,
                f"there is no function named {self.redactor.text(call.name)[:64]!r}",
            )
        problem = self.argument_problem(function, call.arguments)
        if problem:
            return _failure(call, "invalid_arguments", ErrorCategory.INVALID_ARGUMENTS, problem)
        key = call_key(function.name, call.arguments)
        running = self._running.get(key)
        if running is not None:  # the same call again while the first still runs (parallel calls)
            return duplicate_result(call, await asyncio.shield(running))
        verdict = self.policy.admit(function, call)
        if verdict.result is not None:  # a question for the caller, or a duplicate
            return verdict.result
        self._running[key] = future = asyncio.get_running_loop().create_future()
        try:
            result = await self._execute(function, call)
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._running[key]
        future.set_result(result)
        self.policy.remember(function, call.arguments, result)
        return result

    async def _execute(self, function: Function, call: ToolCall) -> ToolResult:
        executor = self.executors.get(function)
        if executor is None:
            return _failure(
                call,
                "not_implemented",
                ErrorCategory.UNKNOWN,
                f"{function.name} has no http, python, builtin or mock backend",
            )
        timeout_s = function.timeout_ms / 1000
        try:
            return await asyncio.wait_for(
                executor.execute(function, call, timeout_s), timeout_s + GRACE_S
            )
        except TimeoutError:
            return _failure(
                call, "timeout", ErrorCategory.TEMPORARY, f"no answer within {timeout_s:g} s"
            )
        except Exception as exc:  # noqa: BLE001 - an executor bug must not end the call
            return replace(
                _failure(call, "internal_error", ErrorCategory.UNKNOWN, type(exc).__name__),
                detail={"exception": type(exc).__name__, "traceback": traceback.format_exc()},
            )

    def argument_problem(self, function: Function, arguments: Any) -> str:
        """Why `arguments` do not fit the function's schema, in one safe sentence; "" if they do."""
        validator = self._validators.get(function.name)
        if validator is None:
            validator = self._validators[function.name] = validator_for(function.parameters)
        return describe_problems(problems(validator, arguments))

    async def aclose(self) -> None:
        """Close executors that hold connections (the HTTP client) and the recorder's file."""
        await self.executors.aclose()
        self.recorder.close()

    async def __aenter__(self) -> ToolRunner:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
