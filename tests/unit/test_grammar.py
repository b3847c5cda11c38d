"""The decision grammar: what it accepts is a reply or one schema-valid call, and nothing else.

Checked without llama.cpp through `gbnf_match` (the grammar read as a regex); hypothesis draws
texts the grammar accepts and every one must parse and validate against its function's schema.
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicetools.dialogue.decision.prompt import call_text, parse_call
from voicetools.dialogue.grammar.match import accepts, to_regex
from voicetools.dialogue.grammar.schema import (
    arguments_grammar,
    call_only_grammar,
    call_prefix,
    decision_grammar,
    reply_only_grammar,
)
from voicetools.spec import load_agent
from voicetools.spec.model import Function

AGENTS = sorted((Path(__file__).parents[2] / "agents").glob("*.yaml"))


def fn(name: str, parameters: dict[str, Any]) -> Function:
    return Function(name=name, description="", parameters=MappingProxyType(parameters), kind="mock")


TASK = fn(
    "create_task",
    {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 40},
            "due_date": {"type": "string", "format": "date"},
            "priority": {"type": "string", "enum": ["low", "medium", "high"]},
        },
        "required": ["title"],
    },
)
LIST = fn(
    "list_tasks",
    {
        "type": "object",
        "properties": {
            "status": {"enum": ["open", "done"]},
            "limit": {"type": "integer", "minimum": 1},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        },
    },
)


def call(name: str, arguments: dict[str, Any]) -> str:
    return call_text(name, arguments)


@pytest.mark.parametrize(
    "text",
    [
        call("create_task", {"title": "buy milk"}),
        call("create_task", {"title": "buy milk", "priority": "high"}),
        call("create_task", {"title": 'a "quoted" \\ title', "due_date": "2026-05-08"}),
        call("create_task", {"title": "ünïcode ok", "due_date": "2026-12-31", "priority": "low"}),
        call("list_tasks", {}),
        call("list_tasks", {"limit": 3}),
        call("list_tasks", {"status": "done", "tags": ["a", "b"]}),
        "Sure, what should the task be called?",
        "Two lines\nare fine.",
    ],
)
def test_accepts_valid_decisions(text: str) -> None:
    assert accepts(decision_grammar([TASK, LIST]).text, text)


@pytest.mark.parametrize(
    "text",
    [
        call("create_task", {}),  # required title missing
        call("create_task", {"priority": "high", "title": "x"}),  # out of declared order
        call("create_task", {"title": "x", "priority": "urgent"}),  # not in the enum
        call("create_task", {"title": "x", "due_date": "next friday"}),  # not a date
        call("create_task", {"title": "x", "colour": "red"}),  # undeclared property
        call("create_task", {"title": "x" * 41}),  # over maxLength
        call("list_tasks", {"limit": 0}),  # below minimum 1
        call("list_tasks", {"tags": ["a", "b", "c", "d"]}),  # over maxItems
        call("delete_task", {"task_id": 1}),  # not a declared function
        call_text("create_task", {"title": "x"}).replace('"title": "x"', '"title": "a\nb"'),
        call_text("create_task", {"title": "x"}) + "\nmore",  # nothing after the call
        '{"name": "create_task", "arguments": {"title": "x"}}',  # not in the tool-call format
        " leading space",
        "text then <tool_call>",
        '```json\n{"name": "list_tasks", "arguments": {}}\n```',
        "",
    ],
)
def test_rejects_invalid_decisions(text: str) -> None:
    assert not accepts(decision_grammar([TASK, LIST]).text, text)


def _validates_for(functions: list[Function], text: str) -> None:
    parsed = parse_call(text)
    if parsed is None:
        assert text and text[0] not in string.whitespace and not set("<{`") & set(text)
        return
    name, arguments = parsed
    function = next(f for f in functions if f.name == name)
    jsonschema.validate(arguments, json.loads(json.dumps(dict(function.parameters), default=list)))


@pytest.mark.parametrize("path", AGENTS, ids=lambda p: p.stem)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_everything_the_grammar_accepts_validates(path: Path, data: st.DataObject) -> None:
    functions = list(load_agent(path).functions)
    grammar = decision_grammar(functions)
    text = data.draw(st.from_regex(to_regex(grammar.text), fullmatch=True))
    _validates_for(functions, text)


def test_example_agents_degrade_nothing() -> None:
    for path in AGENTS:
        assert decision_grammar(load_agent(path).functions).notes == (), path.name


def test_patterns_are_enforced() -> None:
    agent = load_agent(AGENTS[0].parent / "order_support.yaml")
    grammar = decision_grammar(agent.functions).text
    assert accepts(grammar, call("get_order_status", {"order_id": "4521"}))
    assert not accepts(grammar, call("get_order_status", {"order_id": "45"}))
    assert not accepts(grammar, call("get_order_status", {"order_id": "four"}))


def test_call_only_and_arguments_grammars() -> None:
    only = call_only_grammar(TASK).text
    assert accepts(only, call("create_task", {"title": "x"}))
    assert not accepts(only, "Sure.")
    assert not accepts(only, call("list_tasks", {}))
    args = arguments_grammar(TASK).text
    assert accepts(args, '{"title": "x", "priority": "low"}')
    assert call_prefix("create_task") + '{"title": "x"}}\n</tool_call>' == call(
        "create_task", {"title": "x"}
    )


def test_reply_only_and_calls_only() -> None:
    assert accepts(reply_only_grammar().text, "Hello there.")
    assert not accepts(reply_only_grammar().text, call("list_tasks", {}))
    calls_only = decision_grammar([LIST], allow_reply=False).text
    assert not accepts(calls_only, "Hello there.")
    with pytest.raises(ValueError):
        decision_grammar([], allow_reply=False)


@pytest.mark.parametrize(
    ("schema", "note", "sample"),
    [
        ({"type": "string", "pattern": "(?=x)abc"}, "pattern", '"anything"'),
        ({"type": "string", "format": "email"}, "format", '"anything"'),
        ({"properties": {"a": {"not": {"type": "string"}}}}, "`not`", '{"a": "anything"}'),
        ({"$ref": "#/$defs/x"}, "$ref", '[1, "anything"]'),
    ],
)
def test_unsupported_keywords_degrade_with_a_note(
    schema: dict[str, Any], note: str, sample: str
) -> None:
    grammar = arguments_grammar(fn("f", {"type": "object", "properties": {"x": schema}}))
    assert any(note in line for line in grammar.notes), grammar.notes
    assert accepts(grammar.text, '{"x": ' + sample + "}")


def test_any_of_type_lists_nested_objects_and_names() -> None:
    schema = {
        "type": "object",
        "properties": {
            "when": {"anyOf": [{"type": "string", "format": "time"}, {"type": "null"}]},
            "n": {"type": ["integer", "boolean"]},
            "to": {
                "type": "object",
                "properties": {"city": {"const": "Paris"}, "zip": {"type": "number"}},
                "required": ["city"],
            },
        },
        "required": ["when", "n", "to"],
    }
    grammar = arguments_grammar(fn("weird name!", schema)).text
    assert accepts(grammar, '{"when": "09:30", "n": -3, "to": {"city": "Paris", "zip": 75001.5}}')
    assert accepts(grammar, '{"when": null, "n": true, "to": {"city": "Paris"}}')
    assert not accepts(grammar, '{"when": "25:00", "n": 1, "to": {"city": "Paris"}}')
    assert not accepts(grammar, '{"when": null, "n": 1.5, "to": {"city": "Lyon"}}')
