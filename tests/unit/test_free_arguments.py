"""Arguments written without a grammar: used only when the grammar would have allowed them."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

import pytest

from voicetools.backends.base import Request
from voicetools.dialogue.decision.decider import Malformed
from voicetools.dialogue.decision.free_arguments import forced_start
from voicetools.dialogue.decision.generation import GenerationOptions, warm_locked
from voicetools.dialogue.decision.route import Measurement, RouteDecider
from voicetools.spec.model import Function
from voicetools.testing.scripted_llm import ScriptedLLM

ORDER = Function(
    name="get_order",
    description="",
    kind="mock",
    parameters=MappingProxyType(
        {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "pattern": "^[0-9]{3,12}$"},
                "speed": {"type": "string", "enum": ["standard", "express"]},
                "when": {"type": "string", "format": "date"},
                "note": {"type": "string"},
                "count": {"type": "integer", "minimum": 1},
            },
            "required": ["order_id"],
        }
    ),
)
CONSTRAINED = {"order_id": "999"}
"""What the fake writes under the grammar, so a test can tell which path answered."""


class TwoWayLLM(ScriptedLLM):
    """Writes `free` without a grammar and `CONSTRAINED` under one; after `free`, `tail`
    pieces come slowly, each only if the reader is still asking."""

    def __init__(self, free: str, tail: tuple[str, ...] = ()) -> None:
        super().__init__(piece_size=3)
        self.free, self.tail = free, tail
        self.closed_early = False

    def _stream_impl(self, request: Request) -> Iterator[str]:
        self.requests.append(request)
        text = json.dumps(CONSTRAINED) if request.grammar else self.free
        try:
            yield from (text[i : i + 3] for i in range(0, len(text), 3))
            for piece in () if request.grammar else self.tail:
                threading.Event().wait(0.2)  # time for the reader to stop us
                yield piece
        except GeneratorExit:
            self.closed_early = True
            raise


def arguments(
    llm: ScriptedLLM,
    decider: RouteDecider | None = None,
    function: Function = ORDER,
    measured: Measurement | None = None,
) -> dict[str, Any]:
    decider = decider or RouteDecider(jump_forward=False)
    return asyncio.run(decider.arguments(llm, "", function, GenerationOptions(), measured))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('{"order_id": "4521"}', {"order_id": "4521"}),
        ('{"order_id": "4521", "speed": "express"}', {"order_id": "4521", "speed": "express"}),
        ('{"order_id":"4521","count":2}', {"order_id": "4521", "count": 2}),  # other spacing
        ('{"order_id": "4521", "note": "a } b {"}', {"order_id": "4521", "note": "a } b {"}),
        ('{"order_id": "4521"}\n\nThe order is on its way.', {"order_id": "4521"}),
    ],
)
def test_valid_free_arguments_are_used_without_a_grammar(
    written: str, expected: dict[str, Any]
) -> None:
    llm = TwoWayLLM(written)
    measured = Measurement()
    decider = RouteDecider(jump_forward=False)
    assert arguments(llm, decider, measured=measured) == expected
    assert llm.grammars == [None]
    assert measured.arguments_path == "free" and measured.arguments_s is not None


@pytest.mark.parametrize(
    "written",
    [
        "order 4521",  # not JSON
        '["4521"]',  # not an object
        '{"order_id": "45',  # ends before the object does
        "{}",  # a required key is missing
        '{"order_id": 4521}',  # wrong type
        '{"order_id": "4521", "speed": "warp"}',  # not in the enum
        '{"order_id": "A-17"}',  # breaks the pattern
        '{"order_id": "4521", "when": "2026-13-01"}',  # not a date
        '{"order_id": "4521", "count": 0}',  # below the minimum
        # valid for the schema, refused by the grammar:
        '{"order_id": "4521", "colour": "red"}',  # a key the schema does not list
        '{"order_id": "4521", "count": 2.0}',  # an integer written as a float
        '{"order_id": "4521", "note": "' + "x" * 201 + '"}',  # over the string cap
        '{"speed": "express", "order_id": "4521"}',  # not in the declared order
    ],
)
def test_anything_the_grammar_would_refuse_falls_back_to_it(written: str) -> None:
    llm = TwoWayLLM(written)
    measured = Measurement()
    decider = RouteDecider(jump_forward=False)
    assert arguments(llm, decider, measured=measured) == CONSTRAINED
    assert llm.grammars[0] is None
    assert llm.grammars[1] and "order-id" in llm.grammars[1]
    assert measured.arguments_path == "grammar"


def test_reading_stops_at_the_end_of_the_object() -> None:
    llm = TwoWayLLM('{"order_id": "4521"}', tail=("\n", "Done", "."))
    assert arguments(llm) == {"order_id": "4521"}
    warm_locked(llm, "")  # returns once the stopped generation has let go of the model
    assert llm.closed_early
    assert llm.grammars == [None]


def test_a_text_longer_than_the_grammar_allows_is_stopped_there() -> None:
    only_id = dict(ORDER.parameters, properties={"order_id": ORDER.properties["order_id"]})
    function = Function(name="get_order", description="", kind="mock", parameters=only_id)
    llm = TwoWayLLM('{"order_id": "7', tail=("0" * 10,) * 5)  # a model looping in a string
    decider = RouteDecider(jump_forward=False)
    assert arguments(llm, decider, function) == CONSTRAINED
    warm_locked(llm, "")
    assert llm.closed_early and len(llm.grammars) == 2


def test_without_free_arguments_only_the_grammar_writes() -> None:
    llm = TwoWayLLM('{"order_id": "4521"}')
    measured = Measurement()
    decider = RouteDecider(free_arguments=False)
    assert arguments(llm, decider, measured=measured) == CONSTRAINED
    assert len(llm.grammars) == 1 and llm.grammars[0]
    assert measured.arguments_path == "grammar"


def test_malformed_output_under_the_grammar_still_raises() -> None:
    llm = ScriptedLLM([(lambda prompt: "not json", "")])
    with pytest.raises(Malformed, match="not JSON"):
        arguments(llm)
    assert llm.grammars[0] is None and llm.grammars[1]


@pytest.mark.parametrize(
    ("parameters", "start"),
    [
        (ORDER.parameters, '{"order_id":'),
        ({"type": "object", "properties": {"a": {}, "b": {}}, "required": ["b"]}, ""),
        ({"type": "object", "properties": {}, "required": []}, ""),
        ({"properties": {"n": {"type": "integer"}}, "required": ["n"]}, '{"n": '),
        ({"anyOf": [{"type": "object", "properties": {"a": {}}, "required": ["a"]}]}, ""),
        ({"type": "array", "properties": {"a": {}}, "required": ["a"]}, ""),
    ],
)
def test_only_a_start_the_grammar_forces_is_jumped(parameters: Any, start: str) -> None:
    assert forced_start(parameters) == start


def test_jump_forward_puts_the_forced_start_in_the_prompt() -> None:
    llm = TwoWayLLM(' "4521"}')
    measured = Measurement()
    decider = RouteDecider(jump_forward=True)
    assert arguments(llm, decider, measured=measured) == {"order_id": "4521"}
    assert llm.prompts[0].endswith('{"order_id":') and llm.grammars == [None]
    assert measured.arguments_path == "free"


def test_a_schema_the_validator_cannot_follow_leaves_it_to_the_grammar() -> None:
    broken = {"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}, "required": ["a"]}
    function = Function(name="x", description="", kind="mock", parameters=broken)
    llm = TwoWayLLM('{"a": 1}')
    measured = Measurement()
    decider = RouteDecider(jump_forward=False)
    written = arguments(llm, decider, function, measured=measured)
    assert written == CONSTRAINED  # what the fake writes under one
    assert measured.arguments_path == "grammar"


def test_a_grammar_that_cannot_be_read_as_a_regex_leaves_it_to_the_grammar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreadable(grammar: str) -> Any:
        raise ValueError("cannot read it")

    monkeypatch.setattr("voicetools.dialogue.decision.free_arguments.to_regex", unreadable)
    llm = TwoWayLLM('{"order_id": "4521"}')
    measured = Measurement()
    decider = RouteDecider(jump_forward=False)
    assert arguments(llm, decider, measured=measured) == CONSTRAINED
    assert llm.grammars != [None] and measured.arguments_path == "grammar"
