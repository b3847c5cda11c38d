"""The labelled conversations of benchmarks/data/conversations/: load them and check them.

One YAML file per category (the `category:` at its top), each a list of conversations:

```yaml
category: corrections
today: 2026-11-18                  # the session's date; a conversation may set its own
conversations:
  - id: corrections-orders-1
    agent: order_support.yaml      # a file in agents/
    half: dev                      # dev (tune on it) or test (only report it)
    turns:                         # the caller's lines, 2 to 6
      - Please check order 9004, sorry, I meant 9005.
      - Thanks.
    mocks:                         # what each tool answers (every tool is mocked)
      get_order_status: {order_id: "9005", status: shipped, eta_date: "2026-11-20"}
    execute:                       # calls that must run, with the values that matter
      - {name: get_order_status, arguments: {order_id: "9005"}}
    never:                         # calls that must not run (no arguments: any call of it)
      - {name: get_order_status, arguments: {order_id: "9004"}}
    asking_is_fine: false          # true: running nothing at all is right too (the agent
                                   # asked back about a line it could not read)
```

`problems()` checks the data itself (unit tests run it): turn counts, known agents and
functions, labelled arguments valid against the function's schema, and every labelled value
said in the conversation or given by a mock (`conversation_said.is_said`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from benchmarks.conversation_said import is_said, sources_for
from voicetools.spec.model import Agent

DATA = Path(__file__).parent / "data" / "conversations"
AGENTS = Path(__file__).parent.parent / "agents"
CATEGORIES = ("slots", "corrections", "changes", "confirmations", "garbled", "spelled", "topics")
"""Slots over turns, corrections, changes of mind, confirmation answers, garbled lines,
spelled numbers, topic changes."""
HALVES = ("dev", "test")
MIN_TURNS, MAX_TURNS = 2, 6
LOOKUPS: Mapping[str, frozenset[str]] = {
    "order_support.yaml": frozenset({"get_order_status"}),
    "appointments.yaml": frozenset({"check_availability"}),
    "front_desk.yaml": frozenset({"get_opening_hours"}),
    "task_manager.yaml": frozenset({"list_tasks"}),
    "weather.yaml": frozenset({"get_weather"}),
    "restaurant.yaml": frozenset({"check_table"}),
    "helpdesk.yaml": frozenset({"get_ticket_status"}),
    "car_service.yaml": frozenset({"get_service_status"}),
}
"""Read-only functions of each agent: one may run beside the labelled calls (checking before
booking, looking up again) without making the conversation wrong, since it changes nothing;
its values are still checked for invention and against `never`."""


@dataclass(frozen=True)
class CallLabel:
    """A call by name, with the arguments that matter (a subset; none: any arguments).

    Checked against the function's schema without its `required`, since a label names only
    the values that matter."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)

    def show(self) -> str:
        return f"{self.name} {json.dumps(dict(self.arguments), ensure_ascii=False)}"


@dataclass(frozen=True)
class Conversation:
    id: str
    agent: str
    """The agent file's name in agents/."""
    category: str
    half: str
    today: date
    turns: tuple[str, ...]
    """What the caller says, one line per turn."""
    mocks: Mapping[str, Any] = field(default_factory=dict)
    execute: tuple[CallLabel, ...] = ()
    never: tuple[CallLabel, ...] = ()
    asking_is_fine: bool = False


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _labels(raw: Any) -> tuple[CallLabel, ...]:
    return tuple(CallLabel(str(c["name"]), dict(c.get("arguments") or {})) for c in raw or ())


def parse_file(data: Mapping[str, Any], source: str = "") -> list[Conversation]:
    """The conversations of one parsed file; ValueError naming the entry when one is malformed."""
    category = str(data.get("category", ""))
    today = _date(data.get("today", "2026-11-18"))
    out = []
    for index, raw in enumerate(data.get("conversations") or []):
        try:
            out.append(
                Conversation(
                    id=str(raw["id"]),
                    agent=str(raw["agent"]),
                    category=category,
                    half=str(raw["half"]),
                    today=_date(raw.get("today", today)),
                    turns=tuple(str(t) for t in raw["turns"]),
                    mocks=dict(raw.get("mocks") or {}),
                    execute=_labels(raw.get("execute")),
                    never=_labels(raw.get("never")),
                    asking_is_fine=bool(raw.get("asking_is_fine", False)),
                )
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ValueError(f"{source} conversation {index + 1}: {exc!r}") from exc
    return out


def load_conversations(folder: Path = DATA) -> list[Conversation]:
    """Every conversation of every file in `folder`, files in name order."""
    out: list[Conversation] = []
    for path in sorted(folder.glob("*.yaml")):
        out += parse_file(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return out


def _label_problems(conversation: Conversation, agent: Agent) -> list[str]:
    found = []
    results = [json.dumps(v, ensure_ascii=False) for v in conversation.mocks.values()]
    sources = sources_for([*conversation.turns, *results], agent.variables, conversation.today)
    for label in conversation.execute + conversation.never:
        function = agent.function(label.name)
        if function is None:
            found.append(f"{label.name} is not a function of {conversation.agent}")
            continue
        if label in conversation.never:
            continue  # a value nobody may use need not be valid, nor said
        labelled = {k: v for k, v in function.parameters.items() if k != "required"}
        checker = Draft202012Validator(labelled, format_checker=FormatChecker())
        found += [f"{label.show()}: {e.message}" for e in checker.iter_errors(label.arguments)]
        for name, value in label.arguments.items():
            schema = function.properties.get(name) or {}
            if not is_said(name, schema, value, sources):
                found.append(f"{label.show()}: {name}={value!r} is never said")
    return found


def problems(conversations: Sequence[Conversation], agents: Mapping[str, Agent]) -> list[str]:
    """Everything wrong with the data, one line each; empty when it is sound."""
    found = []
    ids = Counter(c.id for c in conversations)
    found += [f"{name}: the id is used {n} times" for name, n in ids.items() if n > 1]
    for c in conversations:
        where = f"{c.id}:"
        if c.category not in CATEGORIES:
            found.append(f"{where} unknown category {c.category!r}")
        if c.half not in HALVES:
            found.append(f"{where} half must be dev or test, not {c.half!r}")
        if not MIN_TURNS <= len(c.turns) <= MAX_TURNS:
            found.append(f"{where} {len(c.turns)} turns (2 to 6)")
        agent = agents.get(c.agent)
        if agent is None:
            found.append(f"{where} no agent {c.agent}")
            continue
        found += [f"{where} {p}" for p in _label_problems(c, agent)]
        if not c.execute and not c.never:
            found.append(f"{where} labels nothing to execute and nothing to avoid")
    return found
