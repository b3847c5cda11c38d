"""ScriptedLLM and the timing/error handling that every backend inherits from BaseLLM."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from voicetools.backends.base import LLM, BaseLLM, GenerationStats, Request
from voicetools.dialogue.decision.action_prompt import ACTION_OPEN, call_head, reply_head
from voicetools.dialogue.decision.prompt import Message, parse_call, render
from voicetools.errors import BackendError
from voicetools.testing import UNLIKELY, ScriptedLLM


def prompt(user: str) -> str:
    return render([Message("system", "Be brief."), Message("user", user)])


def test_rules_match_the_last_user_message_and_stream_in_pieces() -> None:
    llm = ScriptedLLM(piece_size=3).on_call(r"order (\d+)", "get_order_status", order_id="4521")
    llm.add(lambda p: "Bye!" if "bye" in p.lower() else None, "ignored")
    pieces = list(llm.stream(prompt("Status of ORDER 4521?"), grammar="root ::= x"))
    assert all(len(p) <= 3 for p in pieces)
    assert parse_call("".join(pieces)) == ("get_order_status", {"order_id": "4521"})
    assert llm.complete(prompt("ok bye")) == "Bye!"
    assert llm.complete(prompt("something else")) == llm.default
    assert llm.grammars == ["root ::= x", None, None]
    assert llm.prompts[0] == prompt("Status of ORDER 4521?")
    assert isinstance(llm, LLM)


def test_the_action_format_is_answered_from_the_same_script_and_recorded() -> None:
    llm = ScriptedLLM().on_call(r"order (\d+)", "get_order_status", order_id="4521")
    llm.add("hours", "We open at eight.")
    order, hours = prompt("Status of order 4521?"), prompt("Your hours?")
    assert llm.score_continuations(order + ACTION_OPEN, ['reply"', 'get_order_status"']) == [
        UNLIKELY,
        0.0,
    ]
    assert llm.complete(hours + ACTION_OPEN) == 'reply"'
    assert llm.complete(order + call_head("get_order_status")) == '{"order_id": "4521"}'
    assert llm.complete(order + call_head("get_order_status") + '{"order_id":') == ' "4521"}'
    assert llm.complete(hours + reply_head()) == "We open at eight."
    assert llm.decisions == [order + ACTION_OPEN, hours + ACTION_OPEN]
    assert len(llm.asked) == 5 and len(llm.scored) == 1 and len(llm.requests) == 4


def test_the_system_message_does_not_match_rules() -> None:
    llm = ScriptedLLM([("brief", "matched")])
    assert llm.complete(prompt("hello")) == llm.default


def test_stop_and_max_tokens() -> None:
    llm = ScriptedLLM([("hi", "Hello there.<|im_end|>ignored")], piece_size=2)
    assert llm.complete(prompt("hi"), stop=["<|im_end|>"]) == "Hello there."
    assert llm.complete(prompt("hi"), max_tokens=2) == "Hell"
    with pytest.raises(ValueError):
        llm.stream(prompt("hi"), max_tokens=0)


def test_stats_and_warm_are_recorded() -> None:
    seen: list[GenerationStats] = []
    llm = ScriptedLLM([("hi", "Hello there.")], piece_size=4)
    llm.on_stats = seen.append
    llm.warm("prefix")
    assert llm.warmed == ["prefix"]
    assert llm.complete(prompt("hi")) == "Hello there."
    stats = seen[-1]
    assert stats.pieces == 3 and stats.chars == 12 and stats.finished
    assert stats.first_piece_s is not None and stats.total_s >= stats.first_piece_s
    stream = llm.stream(prompt("hi"))
    next(stream)
    stream.close()
    assert seen[-1].finished is False and seen[-1].pieces == 1


class Broken(BaseLLM):
    label = "broken backend"

    def _stream_impl(self, request: Request) -> Iterator[str]:
        yield "partial"
        raise OSError("disk on fire")

    def _warm_impl(self, prefix: str) -> None:
        raise RuntimeError("no")


def test_outside_exceptions_become_backend_errors() -> None:
    llm = Broken()
    with pytest.raises(BackendError, match="broken backend: OSError: disk on fire"):
        llm.complete("x")
    assert llm.last_stats is not None and llm.last_stats.finished is False
    with pytest.raises(BackendError, match="broken backend: RuntimeError"):
        llm.warm("x")


def test_the_example_in_the_testing_docstring_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import textwrap

    import voicetools.testing
    from voicetools.dialogue.engine import Engine
    from voicetools.dialogue.events import Say
    from voicetools.spec import load_agent
    from voicetools.tools.runner import ToolRunner

    doc = voicetools.testing.__doc__ or ""
    example = [line for line in doc.splitlines() if line.startswith("    ")]
    assert len(example) == 5
    source = "async def example():\n" + "\n".join(example) + "\n    return said\n"
    names = {"ScriptedLLM": ScriptedLLM, "Engine": Engine, "Say": Say, "date": date}
    names |= {"ToolRunner": ToolRunner, "load_agent": load_agent}
    exec(textwrap.dedent(source), names)  # the docstring is ours, not input
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    assert asyncio.run(names["example"]()) == ["Your order has shipped."]
