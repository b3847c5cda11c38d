"""A BFCL case as our own agent and caller turns, so the engine's router and checks run on it.

BFCL's function docs use their own types (`dict`, `float`, `tuple`, `any`); they become JSON
Schema (`object`, `number`, `array`, any value), which is also what BFCL sends to function-calling
models. Our function names are letters, digits and underscores, so `uber.ride` becomes
`uber_ride`; `BfclAgent.original` maps a called name back for matching. The case's system
messages become the agent's instructions; its last user message is the caller's utterance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from benchmarks.bfcl_data import BfclCase
from benchmarks.utterances import Case, Expect, PriorTurn
from voicetools.spec.model import Agent, Function

TODAY = date(2026, 1, 5)
"""A fixed session date, so runs are comparable (BFCL cases name their dates in full)."""
INSTRUCTIONS = "You are a helpful assistant. Use a function when it does what the user asks."
"""The instructions when the case has no system message of its own."""

_TYPES = {"dict": "object", "float": "number", "tuple": "array", "any": None}


def to_schema(bfcl: Mapping[str, Any]) -> dict[str, Any]:
    """BFCL's parameter doc as JSON Schema, nested properties and items included."""
    out: dict[str, Any] = {}
    for key, value in bfcl.items():
        if key == "type":
            kind = _TYPES.get(value, value)
            if kind is not None:
                out["type"] = kind
        elif key == "properties" and isinstance(value, Mapping):
            out[key] = {name: to_schema(p) for name, p in value.items() if isinstance(p, Mapping)}
        elif key == "items" and isinstance(value, Mapping):
            out[key] = to_schema(value)
        else:
            out[key] = value
    if out.get("type") == "object":
        out.setdefault("properties", {})
    return out


def our_name(name: str, taken: set[str]) -> str:
    """A name our agent format accepts (letters, digits, underscores, <= 64), unique in `taken`."""
    base = re.sub(r"\W", "_", name, flags=re.ASCII)[:60] or "function"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


@dataclass(frozen=True)
class BfclAgent:
    """The agent built for one case, and how to read its calls back in BFCL's names."""

    agent: Agent
    original: Mapping[str, str]
    """Our function name -> the BFCL name."""
    case: Case
    """The case as the decision benchmark's caller turns (utterance last)."""


def _function(doc: Mapping[str, Any], name: str) -> Function:
    parameters = to_schema(doc.get("parameters") or {"type": "dict", "properties": {}})
    parameters.setdefault("required", [])
    return Function(name, str(doc.get("description", "")), MappingProxyType(parameters), "none")


def _case(bfcl: BfclCase, name: str) -> Case:
    talk = [m for m in bfcl.messages if m.get("role") in ("user", "assistant")]
    last = max((i for i, m in enumerate(talk) if m["role"] == "user"), default=len(talk))
    prior = tuple(
        PriorTurn("caller" if m["role"] == "user" else "agent", text=str(m.get("content", "")))
        for m in talk[:last]
    )
    utterance = str(talk[last].get("content", "")) if last < len(talk) else ""
    expect = Expect("reply") if not bfcl.answers else Expect("call", next(iter(bfcl.answers[0])))
    return Case(bfcl.id, name, bfcl.category, TODAY, utterance, expect, prior)


def to_agent(bfcl: BfclCase) -> BfclAgent:
    """Our agent for `bfcl`: its functions, renamed where needed, and its system prompt."""
    taken: set[str] = set()
    original: dict[str, str] = {}
    functions = []
    for doc in bfcl.functions:
        name = our_name(str(doc["name"]), taken)
        taken.add(name)
        original[name] = str(doc["name"])
        functions.append(_function(doc, name))
    system = [str(m.get("content", "")) for m in bfcl.messages if m.get("role") == "system"]
    agent = Agent(
        name=f"bfcl-{bfcl.id}",
        instructions="\n\n".join(s for s in system if s.strip()) or INSTRUCTIONS,
        functions=tuple(functions),
    )
    return BfclAgent(agent, MappingProxyType(original), _case(bfcl, agent.name))
