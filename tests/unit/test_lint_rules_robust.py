"""The F/P/H/PY/B/V and target rules never raise, whatever shape a function entry has.

Hypothesis builds function entries whose every field holds a random JSON value (and schemas
made of real JSON Schema keywords with random values), then lints them with every target on.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicetools.spec.lint import LintConfig, lint_document
from voicetools.spec.load import parse_document
from voicetools.spec.rules.http_secrets import looks_random, shannon_entropy
from voicetools.spec.rules.target_llama import pattern_problem

ALL_TARGETS = LintConfig(targets=("openai", "anthropic", "gemini", "llama"))
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_KEYWORDS = [
    "type", "properties", "required", "enum", "default", "items", "anyOf", "oneOf", "allOf",
    "$ref", "$defs", "pattern", "format", "additionalProperties", "const", "description",
    "nullable", "minimum", "patternProperties", "not",
]  # fmt: skip
schemas = st.recursive(
    json_values,
    lambda inner: st.dictionaries(
        st.sampled_from(_KEYWORDS),
        inner
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        | st.lists(inner, max_size=3),
        max_size=5,
    ),
    max_leaves=12,
)
templates = st.lists(
    st.sampled_from(
        ["{", "}", "${", "x", "A_B", "city", " ", "/", "?", "=", "Bearer ", "https://"]
    ),
    max_size=12,
).map("".join)
functions = st.fixed_dictionaries(
    {},
    optional={
        "name": scalars,
        "description": scalars,
        "parameters": schemas,
        "http": st.fixed_dictionaries(
            {},
            optional={
                "url": templates | json_values,
                "headers": st.dictionaries(
                    st.text(max_size=8), templates | json_values, max_size=3
                ),
                "method": st.sampled_from(["GET", "DELETE", "post", 3]),
            },
        )
        | json_values,
        "python": st.text(max_size=30) | st.sampled_from(["a.py:f", "os:getcwd", "x:", ":y"]),
        "builtin": st.sampled_from(["end_call", "transfer_call", "send_sms", "press_digit", 5]),
        "number": templates | json_values,
        "message": json_values,
        "mock": json_values,
        "speak_during_execution": json_values,
        "timeout_ms": json_values,
        "confirm": templates | json_values,
        "destructive": json_values,
    },
)


def _lint(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    result = lint_document(parse_document(text, "fuzz.yaml"), ALL_TARGETS)
    for finding in result.findings:
        assert finding.location.line >= 1 and finding.location.col >= 1


@SETTINGS
@given(st.lists(functions, max_size=3), st.dictionaries(st.text(max_size=8), scalars, max_size=3))
def test_rules_survive_any_function_entry(entries: list[Any], variables: dict[str, Any]) -> None:
    _lint({"name": "x", "instructions": "y", "variables": variables, "functions": entries})


@SETTINGS
@given(st.text(max_size=40))
def test_pattern_and_entropy_helpers_take_any_text(text: str) -> None:
    pattern_problem(text)
    assert shannon_entropy(text) >= 0
    looks_random(text)


def test_entropy_tells_tokens_from_words() -> None:
    assert looks_random("a8Fk2LmQ9zR7tW3xY6vB1nC4")
    assert not looks_random("application/json; charset=utf-8")
    assert not looks_random("aaaaaaaaaaaaaaaaaaaa1111")
