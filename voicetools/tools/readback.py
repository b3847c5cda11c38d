"""The words around a confirmation: the read-back question, and whether a reply is yes or no.

The question must read back the exact arguments, since the caller's yes approves those and no
others. A `confirm:` template is filled from the arguments (and the agent's variables); any
argument the template leaves out is read back in parentheses, so a template can never hide
what is about to happen. `confirm: true` builds the whole question from the arguments.

`yes_or_no()` is deliberately cautious: a reply that holds both a yes and a no ("yes... no,
wait"), or hedges ("I'm not sure"), is neither, and the dialogue layer should ask again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from voicetools.spec.model import Function

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def spoken_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(spoken_value(v) for v in value)
    if value is None:
        return "none"
    return str(value)


def _words(name: str) -> str:
    return name.replace("_", " ").strip()


def confirmation_question(
    function: Function, arguments: Mapping[str, Any], variables: Mapping[str, str] | None = None
) -> str:
    """The question for `function` called with `arguments`, reading every argument back."""
    given = {k: v for k, v in arguments.items() if v is not None}
    template = function.confirm
    if not isinstance(template, str):
        readback = ", ".join(f"{_words(k)} {spoken_value(v)}" for k, v in given.items())
        return f"Shall I {_words(function.name)}" + (f" with {readback}?" if readback else "?")
    values = {**(variables or {}), **{k: spoken_value(v) for k, v in given.items()}}
    used = set(_PLACEHOLDER.findall(template))
    question = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template).strip()
    rest = ", ".join(f"{_words(k)} {spoken_value(v)}" for k, v in given.items() if k not in used)
    if not rest:
        return question
    end = len(question.rstrip("?.!"))
    return f"{question[:end]} ({rest}){question[end:] or '?'}"


_YES = (
    "yes",
    "yeah",
    "yep",
    "yup",
    "ya",
    "sure",
    "ok",
    "okay",
    "correct",
    "right",
    "confirm",
    "confirmed",
    "go ahead",
    "please do",
    "do it",
    "absolutely",
    "definitely",
    "affirmative",
    "that's right",
    "that is right",
    "sounds good",
    "of course",
    "no problem",
    "yes please",
    "alright",
    "all right",
    "perfect",
)
_NO = (
    "no",
    "nope",
    "nah",
    "don't",
    "do not",
    "dont",
    "cancel",
    "stop",
    "wait",
    "never mind",
    "nevermind",
    "not",
    "negative",
    "wrong",
    "hold on",
)
_HEDGES = ("not sure", "don't know", "dont know", "do not know", "maybe", "i guess")
_PHRASES = sorted(
    [(p, None) for p in _HEDGES] + [(p, True) for p in _YES] + [(p, False) for p in _NO],
    key=lambda item: -len(item[0]),
)


def yes_or_no(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when the reply is neither or both."""
    rest = " " + re.sub(r"[^a-z' ]+", " ", text.lower().replace("\u2019", "'")) + " "
    seen: set[bool | None] = set()
    for phrase, meaning in _PHRASES:
        padded = f" {phrase} "
        if padded in rest:
            seen.add(meaning)
            rest = rest.replace(padded, " | ")
    if None in seen or len(seen) != 1:
        return None
    return seen.pop()
