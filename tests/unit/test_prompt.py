"""The prompt format we own: ChatML, a stable system prefix, and reading calls back."""

from __future__ import annotations

import json

import pytest

from voicetools.dialogue.decision.prompt import (
    Message,
    call_text,
    last_user_message,
    parse_call,
    render,
    system_message,
    system_prefix,
)
from voicetools.spec.build import BUILTIN_DEFAULTS
from voicetools.spec.model import Function

END = Function(
    name="end_call",
    description="End the call.",
    parameters=BUILTIN_DEFAULTS["end_call"]["parameters"],
    kind="builtin",
)


def test_system_prefix_starts_every_prompt_of_a_session() -> None:
    system = system_message("Be brief.", [END])
    prefix = system_prefix("Be brief.", [END])
    called = Message("assistant", call_text("end_call", {}))
    prompt = render(
        [Message("system", system), Message("user", "hi"), called, Message("tool", '{"ok": true}')]
    )
    assert prompt.startswith(prefix)
    assert prompt.endswith("<|im_start|>assistant\n")
    assert '<tool_response>\n{"ok": true}\n</tool_response>' in prompt
    assert json.loads(system.split("<tools>\n")[1].split("\n</tools>")[0])["function"]["name"] == (
        "end_call"
    )


def test_no_tools_section_without_functions() -> None:
    assert system_message("  Be brief. ", []) == "Be brief."


def test_last_user_message() -> None:
    turns = [Message("user", "first"), Message("assistant", "ok"), Message("user", "second")]
    prompt = render(turns)
    assert last_user_message(prompt) == "second"
    assert last_user_message("plain text") is None


def test_parse_call_round_trip() -> None:
    text = call_text("get_order_status", {"order_id": "4521"})
    assert parse_call(text) == ("get_order_status", {"order_id": "4521"})
    assert parse_call("The order has shipped.") is None


@pytest.mark.parametrize(
    "text",
    [
        "<tool_call>\n{not json}\n</tool_call>",
        '<tool_call>\n{"arguments": {}}\n</tool_call>',
        '<tool_call>\n{"name": "f", "arguments": [1]}\n</tool_call>',
    ],
)
def test_parse_call_refuses_malformed_calls(text: str) -> None:
    with pytest.raises(ValueError, match="malformed tool call"):
        parse_call(text)
