"""Free text grounded: a summary, an address or a city the model writes must come from the caller.

`grounding` checks identifiers digit by digit and name by name. Free text cannot be checked
that strictly, since the model rightly shortens "the box arrived all crushed" to "box arrived
crushed", but it must not invent: a value is grounded when at least half of its content words
(`language.content`) were said (by the caller, in the agent's variables, or in a tool result
the caller heard) and every number in it was said. "123 Main St, City A, USA" from a caller who
said "Everything and" is not. An ungrounded optional value is dropped (the function's default
applies); an ungrounded required one is asked for.

Only strings with no other check count as free text: not identifiers, enums, dates or times,
not `x-grounded: false`, and not the text of a builtin (send_sms's message is the agent's own
words to the caller, not a value taken from them). A list or an object is checked leaf by leaf:
each string in it as free text, each number among the numbers said ("strings": ["Hello",
"world"] for "make code that concatenates two strings" is invented).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind, is_default
from voicetools.dialogue.checks.verbs import forms
from voicetools.language import content_words, is_date_parameter, is_time_parameter, words_of
from voicetools.spec.model import Function


def is_free_text(function: Function, name: str, schema: Mapping[str, Any]) -> bool:
    """Whether parameter `name` holds free text that `free_text_grounded` checks."""
    if function.builtin is not None or schema.get("x-grounded") is False:
        return False
    if schema.get("type", "string") != "string" or "enum" in schema or "const" in schema:
        return False
    if is_date_parameter(name, schema) or is_time_parameter(name, schema):
        return False
    return identifier_kind(name, schema) is None


def _numbers(words: Sequence[str]) -> list[str]:
    """Maximal runs of digit words, joined: ["12", "oak", "4", "5"] -> ["12", "45"]."""
    runs: list[str] = []
    current = ""
    for word in [*words, ""]:
        if word.isdigit():
            current += word
        elif current:
            runs.append(current)
            current = ""
    return runs


def _all_runs(words: Sequence[str]) -> set[str]:
    """Every run of consecutive digit words, joined, as a caller may group a number."""
    runs: set[str] = set()
    for i in range(len(words)):
        joined = ""
        for later in words[i:]:
            if not later.isdigit():
                break
            joined += later
            runs.add(joined)
    return runs


class SaidWords:
    """The content words and numbers of every text a value may come from."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.words: set[str] = set()
        self.every_word: set[str] = set()
        self.numbers: set[str] = set()
        for source in sources:
            self.words.update(content_words(source))
            self.every_word.update(words_of(source))
            self.numbers.update(_all_runs(words_of(source)))

    def ground(self, value: Any) -> bool:
        """Whether free-text `value` was said: half its content words, every number in it
        (a value of function words only, "all", when all of them were said)."""
        text = str(value)
        words = content_words(text)
        if not words:
            every = words_of(text)
            return bool(every) and all(word in self.every_word for word in every)
        if not all(number in self.numbers for number in _numbers(words_of(text))):
            return False
        return 2 * sum(word in self.words for word in words) >= len(words)


_HOLD = re.compile(
    r"\b(hold on|hang on|one (moment|sec(ond)?|minute)|just a (sec(ond)?|moment|minute)|"
    r"give me a (sec(ond)?|moment|minute)|let me (think|see|check))\b",
    re.IGNORECASE,
)
"""A caller asking the agent to wait: words about the call, never a value ("Add a, hold on")."""


def own_vocabulary(function: Function) -> set[str]:
    """The words a function already says of itself: its name, its parameters' names and their
    enum values. A value made only of them ("High priority task" for create_task's title) is
    the model restating the request, not something the caller gave; every form of its
    action word counts ("I have a ticket open" for create_ticket)."""
    names = [function.name, *function.properties]
    for schema in function.properties.values():
        options = schema.get("enum") if isinstance(schema, Mapping) else None
        names += [str(o) for o in options] if isinstance(options, list) else []
    own = {w for name in names for w in content_words(name.replace("_", " "))}
    return own | forms(own)


def _leaves(value: Any) -> list[Any]:
    """The scalars inside a list or an object, at any depth."""
    if isinstance(value, Mapping):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _leaf_said(leaf: Any, said: SaidWords) -> bool:
    """Whether a value inside a list or an object was said: a string as free text, a number
    as one of the numbers said; true, false and null need no words."""
    if leaf is None or isinstance(leaf, bool):
        return True
    if isinstance(leaf, int | float):
        number = int(leaf) if float(leaf).is_integer() else leaf
        return str(number).replace(".", "") in said.numbers
    return said.ground(leaf)


def free_text_grounded(
    function: Function, arguments: Mapping[str, Any], sources: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """`arguments` without ungrounded optional free text (lists and objects too), and the
    required such parameters whose values nobody said (to ask for), in schema order: a value is
    ungrounded when its words were not said (hold phrases do not count) or are only the
    function's own (`own_vocabulary`), unless it is the parameter's `default`."""
    said = SaidWords([_HOLD.sub(" ", source) for source in sources])
    vocabulary = own_vocabulary(function)
    kept = dict(arguments)
    unsaid: list[str] = []
    for name, schema in function.properties.items():
        value = kept.get(name)
        if value is None or not isinstance(schema, Mapping):
            continue
        nested = function.builtin is None and schema.get("x-grounded") is not False
        if isinstance(value, list | dict) and nested:
            grounded = all(_leaf_said(leaf, said) for leaf in _leaves(value))
        elif is_free_text(function, name, schema):
            words = set(content_words(str(value)))
            grounded = said.ground(value) and not (words and words <= vocabulary)
        else:
            continue
        if grounded or is_default(schema, value):
            continue
        if name in function.required:
            unsaid.append(name)
        else:
            del kept[name]  # invented: the function's default applies
    return kept, unsaid
