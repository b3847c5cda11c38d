"""BFCL's AST matching rules for the live categories, restated for the calls a setup made.

Following bfcl_eval's `ast_checker` (simple_function_checker and its helpers):
- live_irrelevance is right when no call is made.
- live_simple / live_multiple expect exactly one call; it is right when the function name is
  the expected one, every required argument is given, no argument is unknown, and every value
  has the documented type (an int passes for a float) and is among the allowed values; an
  argument whose allowed values include `""` is optional and may be left out.
- Strings compare after dropping spaces and `,./-_*^` and lower-casing ("April 1, 2024" equals
  "april 1 2024"), in lists too; a dict's keys must be allowed keys with allowed values, and
  keys missing from it must be optional.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from benchmarks.bfcl_data import BfclCase

Call = tuple[str, Mapping[str, Any]]
"""A call as (BFCL function name, arguments)."""

_PYTHON_TYPES: Mapping[str, type] = {
    "string": str, "integer": int, "float": float, "boolean": bool,
    "array": list, "tuple": list, "dict": dict, "any": str,
}  # fmt: skip


def standard(text: str) -> str:
    """A string as BFCL compares it."""
    return re.sub(r"[ ,./\-_*^]", "", text).lower().replace("'", '"')


def _flat(value: Any) -> Any:
    return standard(value) if isinstance(value, str) else value


def _standard_list(value: Any) -> list[Any]:
    # BFCL turns an optional marker "" into the empty list when it compares lists.
    return [_flat(v) for v in value] if isinstance(value, list) else []


def _dict_right(value: Mapping[str, Any], allowed: Sequence[Any]) -> bool:
    for option in allowed:
        if not isinstance(option, Mapping):
            continue
        known = all(
            k in option and _flat(v) in [_flat(a) for a in option[k]] for k, v in value.items()
        )
        if known and all(k in value or "" in v for k, v in option.items()):
            return True
    return False


def value_right(schema: Mapping[str, Any], value: Any, allowed: Sequence[Any]) -> bool:
    """Whether one argument value has the documented type and is among the allowed values."""
    kind = str(schema.get("type", "any"))
    expected = _PYTHON_TYPES.get(kind, str)
    if expected is float and type(value) is int:
        value = float(value)
    answer_type = next((type(a) for a in allowed if a != ""), None)
    if type(value) is not expected:
        # BFCL accepts a value of the answer's type when it differs from the doc (a variable).
        return answer_type is not None and type(value) is answer_type and value in allowed
    if answer_type is not None and answer_type is not expected:
        return value in allowed
    if expected is dict:
        return _dict_right(value, allowed)
    items = schema.get("items")
    if expected is list and isinstance(items, Mapping) and items.get("type") == "dict":
        return any(
            isinstance(option, list) and len(option) == len(value)
            and all(_dict_right(v, [o]) for v, o in zip(value, option, strict=True))
            for option in allowed
        )  # fmt: skip
    if expected is str:
        return standard(value) in [standard(a) for a in allowed if isinstance(a, str)]
    if expected is list:
        return _standard_list(value) in [_standard_list(a) for a in allowed]
    return value in allowed


def call_right(doc: Mapping[str, Any], call: Call, answer: Mapping[str, Any]) -> bool:
    """Whether `call` matches the expected `answer` ({name: {argument: allowed values}})."""
    name, arguments = call
    expected_name, allowed = next(iter(answer.items()))
    if name != expected_name or doc.get("name") != expected_name:
        return False
    parameters = doc.get("parameters") or {}
    properties = parameters.get("properties") or {}
    if any(p not in arguments for p in parameters.get("required") or ()):
        return False
    for key, value in arguments.items():
        if key not in properties or key not in allowed:
            return False
        if not value_right(properties[key], value, allowed[key]):
            return False
    return all(key in arguments or "" in values for key, values in allowed.items())


def right(case: BfclCase, calls: Sequence[Call]) -> bool:
    """BFCL's verdict on the calls a setup made for `case` (rules in the module docstring)."""
    if not case.answers:
        return not calls
    if len(calls) != len(case.answers):
        return False
    expected_name = next(iter(case.answers[0]))
    doc = next((f for f in case.functions if f.get("name") == expected_name), None)
    return doc is not None and call_right(doc, calls[0], case.answers[0])
