"""Grounded arguments: identifiers must come from the caller (or the agent), never the model.

Every small model sometimes *invents* an order number or a name the caller never
said. So before a call runs, each identifier-like argument is looked for in what the caller
said in this conversation (all caller turns so far) and in the agent's variables; if it is not
there, the agent asks (`question_for`) instead of calling.

What counts as an identifier is decided from the schema (`identifier_kind`): integer ids,
strings with a digits-only pattern, names ending in _id, _number, number, phone, email or
name, and codes of letters and digits (plate, code, postcode, ...). A schema may say so itself
with `x-grounded: true/false`. Enums, booleans, dates, times and free text (`issue`, `title`)
need no grounding, nor does a value that is the parameter's `default`.

Matching is done on normalised tokens (`spoken_numbers`): an order id "4521" is grounded by
"4521", "45-21", "order 45 21", "four five two one", "forty five twenty one"; a value must
equal a run of consecutive caller tokens, so "452" is *not* grounded by "4521". Names compare
without case or punctuation ("O'Brien" = "o brien"), spelled letters join ("S M I T H").
A caller who corrects a number in the same line ("9004, sorry, 9005") grounds only the later
one (`said_last`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from voicetools.language import (
    final_words,
    is_date_parameter,
    is_time_parameter,
    spoken_to_digits,
    without_rejected,
)
from voicetools.spec.model import Function

_FILLERS = {"um", "uh", "er", "erm", "uhm", "hmm", "ah", "mm"}
_EMAIL_WORDS = {"at", "dot", "underscore", "dash", "hyphen"}
_DIGITS_PATTERN = re.compile(r"^\^?(\[0-9[*#+]*\]|\\d)(\{\d+(,\d*)?\}|\+|\*)?\$?$")
_ID_SUFFIXES = ("_id", "_number", "number", "_code")
_CODE_WORDS = frozenset({"plate", "code", "postcode", "zip", "vin", "sku", "serial", "reference"})
"""Name words of a code of letters and digits read out in groups ("plate MN 404"): kind "code"."""
_TOKEN = re.compile(r"[a-z0-9]+")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def identifier_kind(name: str, schema: Mapping[str, Any]) -> str | None:
    """The kind of identifier ("digits", "phone", "email", "name", "code", "id"), or None if
    free."""
    flag = schema.get("x-grounded")
    if flag is False or "enum" in schema or "const" in schema:
        return None
    kind_type = schema.get("type")
    if kind_type in ("boolean", "number", "array", "object"):
        return None
    if is_date_parameter(name, schema) or is_time_parameter(name, schema):
        return None
    lowered = name.lower()
    pattern = schema.get("pattern")
    if "phone" in lowered or schema.get("format") == "phone":
        return "phone"
    if "email" in lowered or schema.get("format") == "email":
        return "email"
    if isinstance(pattern, str) and _DIGITS_PATTERN.match(pattern):
        return "digits"
    if set(lowered.split("_")) & _CODE_WORDS:
        return "code"
    if lowered == "id" or lowered.endswith(_ID_SUFFIXES):
        return "digits" if kind_type == "integer" else "id"
    if lowered.endswith("name"):
        return "name"
    return "id" if flag is True else None


def tokens(text: str, kind: str | None = None) -> list[str]:
    """Normalised tokens of a caller turn: lowercase, numbers as digits, fillers dropped."""
    out: list[str] = []
    for token in _TOKEN.findall(spoken_to_digits(text)):
        ordinal = _ORDINAL.match(token)
        token = ordinal.group(1) if ordinal else token
        if token in _FILLERS or (kind == "email" and token in _EMAIL_WORDS):
            continue
        out.append(token)
    return out


def _spans(target: str, words: Sequence[str], kind: str) -> bool:
    """Whether `target` equals the concatenation of some run of consecutive `words`."""
    for i in range(len(words)):
        joined = ""
        for word in words[i:]:
            if not word:  # a word with no digits ends a number
                break
            joined += word
            if joined == target or (kind == "phone" and _same_phone(target, joined)):
                return True
            if not target.startswith(joined) and kind != "phone":
                break
    return False


def _same_phone(a: str, b: str) -> bool:
    """Equal, or equal but for a country code of up to 3 digits on one side (7+ digits left)."""
    short, long = sorted((a, b), key=len)
    if short == long:
        return True
    return len(short) >= 7 and long.endswith(short) and len(long) - len(short) <= 3


def _target(value: Any, kind: str) -> str:
    text = "".join(tokens(str(value), kind))
    return re.sub(r"\D", "", text) if kind in ("digits", "phone") else text


def is_default(schema: Mapping[str, Any], value: Any) -> bool:
    """Whether `value` is the parameter's `default`: the function's own value, which the
    caller may leave to it ("using the default port and username"), never an invention."""
    return "default" in schema and value == schema["default"] and value not in ("", None)


def is_count(schema: Mapping[str, Any]) -> bool:
    """Whether the parameter is a quantity ("party_size": 4): a number no identifier rule
    covers, which must still have been said, since a small model writes 5 for "four of us"."""
    return (
        schema.get("type") in ("integer", "number")
        and schema.get("x-grounded") is not False
        and "enum" not in schema
        and "const" not in schema
    )


def _count_said(schema: Mapping[str, Any], value: Any, sources: Sequence[str]) -> bool:
    """Whether the quantity `value` is the schema's default or a number said in `sources`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True  # not a number: the schema check refuses it, not grounding
    if "default" in schema and value == schema["default"]:
        return True
    target = str(int(value)) if float(value).is_integer() else str(value).replace(".", "")
    for source in sources:
        words = [re.sub(r"\D", "", w) for w in tokens(source, "digits")]
        if _spans(target, words, "digits"):
            return True
    return False


def _shaped(kind: str, target: str, value: Any) -> bool:
    """Whether a normalised value looks like its kind: a name has letters (a phone number in
    the agent's variables is no customer name), a phone number has at least 7 digits, a code
    has a digit or is one word."""
    if kind == "name":
        return any(c.isalpha() for c in target)
    if kind == "phone":
        return len(target) >= 7
    if kind == "code":  # "I'm checking on my car" is no plate, though the caller said it
        return any(c.isdigit() for c in target) or len(str(value).split()) == 1
    return True


def is_grounded(name: str, schema: Mapping[str, Any], value: Any, sources: Sequence[str]) -> bool:
    """Whether `value` for parameter `name` appears in one of the `sources` texts."""
    kind = identifier_kind(name, schema)
    if value is None or isinstance(value, bool) or is_default(schema, value):
        return True
    if kind is None:
        return not is_count(schema) or _count_said(schema, value, sources)
    target = _target(value, kind)
    if not target or not _shaped(kind, target, value):
        return False
    for source in sources:
        words = tokens(source, kind)
        if kind in ("digits", "phone"):
            words = [re.sub(r"\D", "", w) for w in words]
        if _spans(target, words, kind):
            return True
        if kind == "name":
            parts = [_target(p, kind) for p in re.split(r"\s+", str(value).strip())]
            if len(parts) > 1 and all(p and _spans(p, words, kind) for p in parts):
                return True
    return False


def said_last(turn: str) -> str:
    """A caller turn as far as it grounds values: without rejected values ("not 9004"), and
    when it corrects itself to a number, without the numbers before the correction.

    >>> said_last("Cancel 9004, sorry, 9005")
    'cancel , sorry, 9005'
    """
    kept = without_rejected(turn)
    final = final_words(turn)
    start = kept.rfind(final)
    if final == kept or start < 0 or not re.search(r"\d", spoken_to_digits(final)):
        return kept
    return re.sub(r"\d+", "", spoken_to_digits(kept[:start])) + final


def ungrounded(
    function: Function,
    arguments: Mapping[str, Any],
    caller_turns: Sequence[str],
    variables: Mapping[str, str],
    *,
    extra_sources: Sequence[str] = (),
) -> list[str]:
    """The argument names whose identifier values the caller never gave, in schema order.

    `extra_sources` may add texts the caller has heard, e.g. a task list the agent read out,
    so that "complete the milk one" can use the id from that list.
    """
    sources = [*map(said_last, caller_turns), *variables.values(), *extra_sources]
    names = [n for n in function.properties if n in arguments]
    names += [n for n in arguments if n not in function.properties]
    missing: list[str] = []
    for name in names:
        schema = function.properties.get(name, {})
        if isinstance(schema, Mapping) and not is_grounded(name, schema, arguments[name], sources):
            missing.append(name)
    return missing


def missing_required(function: Function, arguments: Mapping[str, Any]) -> list[str]:
    """Required parameters left out, null, or given as an empty string."""
    return [
        name
        for name in function.required
        if arguments.get(name) is None
        or (isinstance(arguments[name], str) and not arguments[name].strip())
    ]


_WH = ("what", "which", "when", "where", "who", "how")
_ASK_AT_ONCE = 2
"""A caller answers one or two questions at a time; the rest are asked on the next turn."""


def _label(function: Function, name: str) -> str:
    """A short noun phrase (or wh-clause) for a parameter, from its description or its name."""
    schema = function.properties.get(name, {})
    description = schema.get("description", "") if isinstance(schema, Mapping) else ""
    phrase = re.split(r"[,.;:(]| e\.g\b", description, maxsplit=1)[0].strip()
    if not phrase or len(phrase.split()) > 7:
        phrase = "the " + name.replace("_id", "_number").replace("_", " ")
    phrase = phrase[0].lower() + phrase[1:]
    phrase = re.sub(r"\bthe caller's\b", "your", phrase)
    if phrase.startswith(_WH):
        return phrase
    kind = identifier_kind(name, schema) if isinstance(schema, Mapping) else None
    if kind is not None and len(phrase.split()) <= 3:
        phrase = re.sub(r"^the ", "your ", phrase)
    if not re.match(r"(the|your|a|an) ", phrase):
        phrase = "the " + phrase
    return phrase


def _question(function: Function, name: str) -> str:
    schema = function.properties.get(name, {})
    schema = schema if isinstance(schema, Mapping) else {}
    if is_date_parameter(name, schema):
        return "which day would you like"
    if is_time_parameter(name, schema):
        return "what time would you like"
    options = schema.get("enum")
    if isinstance(options, list) and 1 < len(options) <= 4:
        words = [str(o).replace("_", " ") for o in options]
        return f"would you like {', '.join(words[:-1])} or {words[-1]}"
    label = _label(function, name)
    return label if label.startswith(_WH) else f"what's {label}"


def question_for(function: Function, missing: Sequence[str]) -> str:
    """A short spoken question asking for the first one or two `missing` arguments.

    `question_for(get_order_status, ["order_id"])` is "What's your order number?"
    """
    parts = [_question(function, name) for name in missing[:_ASK_AT_ONCE]]
    if not parts:
        return "Could you tell me a bit more?"
    text = " and ".join(parts) if len(parts) == 2 else parts[0]
    return text[0].upper() + text[1:] + "?"
