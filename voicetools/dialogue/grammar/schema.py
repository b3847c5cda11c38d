"""Grammars that make every model decision valid by construction.

A decision is either a plain-text reply or exactly one function call in Qwen2.5's native format

    <tool_call>
    {"name": "get_order_status", "arguments": {"order_id": "4521"}}
    </tool_call>

whose arguments validate against that function's JSON Schema (see `grammar.gbnf`).
Using the model's own trained format, rather than an invented JSON envelope, keeps the small
model on familiar ground; the grammar only removes its freedom to be wrong.

A reply is speakable text: it may not start with whitespace and may not contain `<`, `{` or a
backtick, so neither a bare JSON call nor a markdown-fenced one (the 0.5B model's favourite
with its own template) can pass as a reply, and a reply can never drift into a half-written
call. A call is followed by nothing (the model must stop). Pure text in,
text out: compiling the grammar is the backend's job (`llama_cpp.LlamaGrammar.from_string`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from voicetools.dialogue.grammar.gbnf import RuleSet, SchemaConverter, literal
from voicetools.spec.model import Function

CALL_OPEN = "<tool_call>\n"
CALL_CLOSE = "\n</tool_call>"

_REPLY = r"[^<{`\x00-\x20\x7f-\xa0] [^<{`\x00-\x09\x0b-\x1f\x7f-\x9f]*"


@dataclass(frozen=True)
class Grammar:
    """A GBNF grammar and what in the schemas it could not enforce."""

    text: str
    """The grammar, for `LLM.stream(grammar=...)`."""
    notes: tuple[str, ...] = ()
    """Schema keywords the grammar degraded to a permissive rule, one line each."""

    def __str__(self) -> str:
        return self.text


def decision_grammar(functions: Sequence[Function], *, allow_reply: bool = True) -> Grammar:
    """Reply in plain text, or call exactly one of `functions` with schema-valid arguments."""
    if not functions and not allow_reply:
        raise ValueError("a grammar needs at least one function or allow_reply")
    rules = RuleSet()
    choices = []
    if functions:
        converter = SchemaConverter(rules)
        calls = [_call_body(converter, f) for f in functions]
        choices.append(rules.add("call", _wrap_call(" | ".join(calls))))
    if allow_reply:
        choices.append(rules.add("reply", _REPLY))
    return Grammar(rules.render(" | ".join(choices)), tuple(rules.notes))


def call_only_grammar(function: Function) -> Grammar:
    """A call of `function` in the tool-call format: "fill the arguments of this function"."""
    rules = RuleSet()
    body = _call_body(SchemaConverter(rules), function)
    return Grammar(rules.render(_wrap_call(body)), tuple(rules.notes))


def arguments_grammar(function: Function) -> Grammar:
    """Only the arguments object, for a prompt that already ends with the call's opening."""
    rules = RuleSet()
    args = SchemaConverter(rules).rule(dict(function.parameters), f"{function.name}-args")
    return Grammar(rules.render(args), tuple(rules.notes))


def reply_only_grammar() -> Grammar:
    """Plain text only: after a tool result, or when calls are not allowed this turn."""
    return Grammar(RuleSet().render(_REPLY))


def call_prefix(name: str) -> str:
    """The text of a call up to its arguments; `arguments_grammar` continues from here."""
    return f'{CALL_OPEN}{{"name": {json.dumps(name)}, "arguments": '


def _wrap_call(body: str) -> str:
    return f"{literal(CALL_OPEN + '{')} {literal(chr(34) + 'name' + chr(34) + ': ')} ({body}) " + (
        literal("}" + CALL_CLOSE)
    )


def _call_body(converter: SchemaConverter, function: Function) -> str:
    args = converter.rule(dict(function.parameters), f"{function.name}-args")
    head = literal(f'{json.dumps(function.name)}, "arguments": ')
    return converter.rules.add(f"call-{function.name}", f"{head} {args}")
