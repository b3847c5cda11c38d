"""The "action" prompt format of `RouteDecider`: every assistant turn starts with a JSON object.

Why a JSON envelope instead of Qwen2.5's `<tool_call>`: in a real conversation (greeting as the
first assistant turn, our voice instructions) the 0.5B Coder model gives the `<tool_call>` token
almost no probability and invents answers ("order 4521 is pending"), while a JSON object is
what a Coder model writes most readily. So each assistant turn reads

    {"action": "reply"}
    Sure, what's your order number?

or

    {"action": "get_order_status", "arguments": {"order_id": "4521"}}

The session's system message (instructions + tools) is kept as is and an "Answer format"
section listing every action is appended, so the prompt prefix stays stable for a session and
starts with the engine's own prefix (`Engine.warm`). An example call shows only the required
arguments: listing every property made the model fill optional ones nobody mentioned. Earlier
turns of the history are rewritten into the same envelope, so the conversation itself shows
the model the format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from voicetools.dialogue.decision.prompt import Message, parse_call, render
from voicetools.spec.model import Function

REPLY = "reply"
"""The action that speaks to the caller instead of calling a function."""
ACTION_OPEN = '{"action": "'
"""What every assistant turn starts with; the routing step continues from here."""

_FORMAT = """# Answer format

Start every answer with one JSON object that names your action, then:
{{"action": "reply"}} on its own line, then what you say to the caller. Use it for greetings, \
thanks, small talk, questions none of the functions answer, and to tell the caller what a \
function returned.
{actions}
Choose a function whenever the caller asks for something it does, even when some details are \
missing: the system will ask the caller for them."""


def reply_head() -> str:
    """The start of a reply turn; the reply text follows on the next line."""
    return f'{ACTION_OPEN}{REPLY}"}}\n'


def call_head(name: str) -> str:
    """The start of a call turn, up to its arguments object."""
    return f'{ACTION_OPEN}{name}", "arguments": '


def answer_format(functions: Sequence[Function]) -> str:
    """The section appended to the system message: one line per function, with its example."""
    lines = []
    for function in functions:
        required = function.parameters.get("required") or ()
        example = {name: f"<{name}>" for name in function.properties if name in required}
        args = json.dumps(example, ensure_ascii=False)
        summary = function.description.strip().split("\n")[0] or function.name.replace("_", " ")
        optional = [name for name in function.properties if name not in required]
        more = f" (optional, only if the caller said it: {', '.join(optional)})" if optional else ""
        lines.append(f"{call_head(function.name)}{args}}}: {summary}{more}")
    return _FORMAT.format(actions="\n".join(lines))


def action_system(system: str, functions: Sequence[Function]) -> str:
    """The session's system message with the answer format appended."""
    return f"{system}\n\n{answer_format(functions)}" if functions else system


def action_turn(message: Message) -> Message:
    """An earlier assistant turn in the envelope (a call, or a reply); other turns unchanged."""
    if message.role != "assistant":
        return message
    try:
        parsed = parse_call(message.content)
    except ValueError:
        parsed = None
    if parsed is None:
        return Message("assistant", reply_head() + message.content)
    name, arguments = parsed
    return Message("assistant", call_head(name) + json.dumps(arguments, ensure_ascii=False) + "}")


def action_prompt(system: str, functions: Sequence[Function], history: Sequence[Message]) -> str:
    """The prompt up to the open assistant turn (the action object is not started yet)."""
    messages = [Message("system", action_system(system, functions))]
    return render([*messages, *(action_turn(m) for m in history)])
