"""Built-ins: end_call, transfer_call, send_sms and press_digit, simulated locally.

A built-in acts on the call, not on a backend, so here it only describes what it does: the
result's payload tells the model what happened ({"ended": true}, ...) and a `CallAction` in
`ToolResult.actions` tells the chat or voice loop what to do (speak the last words and hang up,
show the transfer, show the SMS). Nothing leaves the machine.

Destinations never come from the model: transfer_call goes to the number in the agent file and
send_sms to the caller's own number (the `caller_number` variable), so a prompt injection cannot
make the agent text or transfer anyone else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from voicetools.spec.model import Function
from voicetools.tools.base import CallAction, ErrorCategory, ToolCall, ToolResult, error_result

log = logging.getLogger(__name__)

DIGITS = re.compile(r"[0-9*#]{1,32}")
MAX_SMS_CHARS = 480
"""Three SMS segments; a longer text is a model rambling, not a confirmation."""


class BuiltinExecutor:
    """Simulates the built-ins for one agent (whose variables hold the caller's number)."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables

    async def execute(self, function: Function, call: ToolCall, timeout_s: float) -> ToolResult:
        kind = function.builtin or ""
        args = call.arguments
        if kind == "end_call":
            words = function.message or ""
            log.info("end_call (simulated)")
            return ToolResult(call, {"ended": True}, actions=(CallAction("end_call", text=words),))
        if kind == "transfer_call":
            if not function.number:
                return error_result(
                    call,
                    "no_transfer_number",
                    ErrorCategory.UNKNOWN,
                    "the agent file gives transfer_call no number",
                    "I can't transfer you right now.",
                )
            log.info("transfer_call (simulated) to %s", function.number)
            return ToolResult(
                call,
                {"transferred": True, "to": function.number},
                actions=(CallAction("transfer_call", number=function.number),),
            )
        if kind == "send_sms":
            return self._send_sms(function, call)
        if kind == "press_digit":
            digits = args.get("digits")
            if not isinstance(digits, str) or not DIGITS.fullmatch(digits):
                return error_result(
                    call,
                    "invalid_arguments",
                    ErrorCategory.INVALID_ARGUMENTS,
                    "digits must be 1 to 32 of 0-9, * and #",
                )
            log.info("press_digit (simulated): %s", digits)
            return ToolResult(
                call, {"pressed": digits}, actions=(CallAction("press_digit", text=digits),)
            )
        return error_result(call, "unknown_builtin", ErrorCategory.UNKNOWN, f"no built-in {kind!r}")

    def _send_sms(self, function: Function, call: ToolCall) -> ToolResult:
        to = self.variables.get("caller_number", "").strip()
        if not to:
            return error_result(
                call,
                "no_caller_number",
                ErrorCategory.UNKNOWN,
                "the caller's number is unknown (no caller_number variable)",
                "I don't have a number to text you at.",
            )
        text = call.arguments.get("message") or function.message or ""
        if not isinstance(text, str) or not text.strip():
            return error_result(
                call, "invalid_arguments", ErrorCategory.INVALID_ARGUMENTS, "message is required"
            )
        if len(text) > MAX_SMS_CHARS:
            return error_result(
                call,
                "invalid_arguments",
                ErrorCategory.INVALID_ARGUMENTS,
                f"message is longer than {MAX_SMS_CHARS} characters",
            )
        # The text is the model's and may hold anything; the runner logs it redacted.
        log.info("send_sms (simulated) to %s, %d characters", to, len(text))
        return ToolResult(
            call, {"sent": True, "to": to}, actions=(CallAction("send_sms", text=text, number=to),)
        )
