"""A garbled or empty caller line never leads to a call with side effects.

Speech-to-text turns noise and half-heard words into lines like "Everything and"; a small model
answers such a line with a call anyway, filling every argument from its imagination. A lookup
on a garbled line costs nothing (grounding still checks its arguments), but a report filed, a
refill requested or a call transferred cannot be taken back. So a side-effecting call runs only
when the caller's line says something: at least two content words (`language.content`), or a
word of the function or of a value the call needs, or a date or time the call needs; and a yes
("yes please") to a question the agent asked. Otherwise the agent asks the caller to repeat.

Which functions are lookups follows the rules the project already has: nothing destructive or
confirmed is one (`Function.destructive`, `needs_confirmation`), an HTTP tool is one when its
method is GET (as `tools/http.py` decides what is safe to retry), a builtin never is (ending,
transferring, texting and keypresses all act on the call), and a Python or mock function is one
when its name opens with a verb that only reads (`get_`, `check_`, `list_`...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from voicetools.language import (
    content_words,
    is_date_parameter,
    is_time_parameter,
    names_a_date,
    resolve_time,
)
from voicetools.spec.model import Function
from voicetools.tools import Consent, classify

SAY_AGAIN = "Sorry, I didn't catch that. Could you say it again?"

_READ_VERBS = frozenset(
    """
    get check find list search look lookup view show read query retrieve track fetch locate
    describe explain estimate calculate compare count verify validate identify recommend
    suggest summarize quote spell tell say answer is has can
    """.split()
)
"""First words of a function name that only read (a subset of `spec.rules.functions.VERBS`)."""
_FIRST_WORD = re.compile(r"^[A-Za-z][a-z0-9]*")
_MEANINGFUL = 2
"""A line with this many content words says something, whatever the call."""


def is_lookup(function: Function) -> bool:
    """Whether calling `function` only reads: nothing happens that would need taking back."""
    if function.destructive or function.needs_confirmation or function.builtin is not None:
        return False
    if function.http is not None:
        return function.http.method == "GET"
    first = _FIRST_WORD.match(function.name)
    return first is not None and first.group().lower() in _READ_VERBS


def _needs_when(function: Function, line: str) -> bool:
    """Whether `line` names a date or time and the function takes one."""
    for name, schema in function.properties.items():
        if not isinstance(schema, Mapping):
            continue
        if is_date_parameter(name, schema) and names_a_date(line):
            return True
        if is_time_parameter(name, schema) and resolve_time(line) is not None:
            return True
    return False


def says_nothing_for(function: Function, arguments: Mapping[str, Any], line: str) -> bool:
    """Whether `line` is too garbled or empty to act on with a call of `function`."""
    words = set(content_words(line))
    if len(words) >= _MEANINGFUL:
        return False
    own = function.name.replace("_", " ") + " " + function.description
    values = " ".join(str(v) for v in arguments.values() if v is not None)
    if words & set(content_words(own + " " + values)):
        return False
    if _needs_when(function, line):
        return False
    return classify(line, function, arguments) is not Consent.YES


def blocks(function: Function, arguments: Mapping[str, Any], line: str) -> bool:
    """Whether a call of `function` must not run on the caller's `line`: it has side effects
    and the line says nothing to act on; the agent asks the caller to repeat instead."""
    if function.builtin == "end_call":
        return False  # a goodbye is a short line; `call.sounds_like_goodbye` decides end_call
    return not is_lookup(function) and says_nothing_for(function, arguments, line)
