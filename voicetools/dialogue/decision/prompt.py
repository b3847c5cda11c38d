"""The prompt format we own: ChatML with the functions in the system message, Qwen2.5 style.

Models' embedded chat templates are untrusted data (the 1.5B file's template has a brace bug)
and differ between files, so the text the model sees is built here, in code we test. The
layout is what Qwen2.5 was trained on (a `# Tools` section with one JSON signature per line
inside `<tools>`, calls inside `<tool_call>`, results inside `<tool_response>` in a user turn),
written out here instead of rendered from the file's Jinja template.

The system message comes first and does not change during a session, so `system_prefix` is a
prompt prefix the backend can evaluate once (`LLM.warm`) and reuse on every turn.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from voicetools.dialogue.grammar.schema import CALL_CLOSE, CALL_OPEN
from voicetools.spec.model import Function

Role = Literal["system", "user", "assistant", "tool"]

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
STOP = (IM_END, "<|endoftext|>")
"""Stop strings for every generation in this format."""

_TOOLS_INTRO = """# Tools

You may call one or more functions to assist with the user query.

You are provided with function signatures within <tools></tools> XML tags:
<tools>
{signatures}
</tools>

For each function call, return a json object with function name and arguments within \
<tool_call></tool_call> XML tags:
<tool_call>
{{"name": <function-name>, "arguments": <args-json-object>}}
</tool_call>"""
"""Qwen2.5's trained wording, kept verbatim on purpose: on the 0.5B model a paraphrase (same
layout, our words) made it answer "order 4521 is pending" instead of calling get_order_status,
under the same grammar; with this text it calls."""


@dataclass(frozen=True)
class Message:
    """One turn of the conversation."""

    role: Role
    content: str
    """Plain text; for `tool`, the JSON result the function returned."""


def signature(function: Function) -> dict[str, Any]:
    """A function as the model was trained to see it (OpenAI-style `function` object)."""
    return {
        "type": "function",
        "function": {
            "name": function.name,
            "description": function.description,
            "parameters": _plain(function.parameters),
        },
    }


def system_message(instructions: str, functions: Sequence[Function]) -> str:
    """The system text: the agent's instructions, then the tools section when there are any."""
    if not functions:
        return instructions.strip()
    lines = "\n".join(json.dumps(signature(f), ensure_ascii=False) for f in functions)
    return f"{instructions.strip()}\n\n{_TOOLS_INTRO.format(signatures=lines)}"


def render(messages: Sequence[Message], *, generation_prompt: bool = True) -> str:
    """ChatML text for `messages`, ending with an open assistant turn unless told not to."""
    parts = []
    for message in messages:
        if message.role == "tool":
            body = f"<tool_response>\n{message.content}\n</tool_response>"
            parts.append(f"{IM_START}user\n{body}{IM_END}\n")
        else:
            parts.append(f"{IM_START}{message.role}\n{message.content}{IM_END}\n")
    if generation_prompt:
        parts.append(f"{IM_START}assistant\n")
    return "".join(parts)


def system_prefix(instructions: str, functions: Sequence[Function]) -> str:
    """The stable start of every prompt of a session: what `LLM.warm` should evaluate."""
    return render(
        [Message("system", system_message(instructions, functions))], generation_prompt=False
    )


def call_text(name: str, arguments: Mapping[str, Any]) -> str:
    """An assistant turn that called a function, as the model would have written it."""
    payload = json.dumps({"name": name, "arguments": _plain(arguments)}, ensure_ascii=False)
    return f"{CALL_OPEN}{payload}{CALL_CLOSE}"


def parse_call(text: str) -> tuple[str, dict[str, Any]] | None:
    """(name, arguments) when `text` is a tool call, None when it is a plain reply.

    Raises ValueError for text that starts like a call but is not one (only possible without a
    grammar, e.g. from a server that ignores it).
    """
    stripped = text.strip()
    if not stripped.startswith(CALL_OPEN.strip()):
        return None
    body = stripped.removeprefix(CALL_OPEN.strip()).removesuffix(CALL_CLOSE.strip())
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed tool call: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ValueError("malformed tool call: no function name")
    arguments = data.get("arguments", {})
    if not isinstance(arguments, dict):
        raise ValueError("malformed tool call: arguments are not an object")
    return data["name"], arguments


def last_user_message(prompt: str) -> str | None:
    """The content of the last user turn of a ChatML prompt (None when there is none)."""
    start = prompt.rfind(f"{IM_START}user\n")
    if start < 0:
        return None
    content = prompt[start + len(IM_START) + len("user\n") :]
    return content.split(IM_END, 1)[0]


def _plain(value: Any) -> Any:
    """Mappings (MappingProxyType from the frozen model) and tuples as JSON-able types."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
