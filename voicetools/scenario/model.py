"""The scenario file: scripted conversations with one agent, and what each turn must show.

```yaml
agent: ../order_support.yaml      # relative to this file
today: 2026-05-08                 # optional: the session's date ("tomorrow" is resolved on it)
mock_tools: true                  # optional: every tool answers with its mock (as --mock-tools)
scenarios:
  - name: order status is looked up, not guessed
    mocks:                        # per-tool canned results (a result with `error` fails)
      get_order_status: {order_id: "4521", status: shipped, eta_date: "2026-05-12"}
    faults:                       # per-tool injected faults (voicetools.tools.faults)
      create_support_ticket: {status: 503}       # or {timeout: true}, {invalid_json: true},
                                                 # {latency_ms: 800} (combines with the others)
    turns:
      - user: What's the status of order 4521?
        expect:
          calls: [{name: get_order_status, arguments: {order_id: "4521"}}]
          filler: true                 # a filler line was spoken while a tool ran
          reply_contains: [shipped, on its way]   # any one, case-insensitive
          reply_not_contains: [cancelled]         # none of these
      - user: Thanks, bye!
        expect: {calls: [{name: end_call}], ended: true}
```

Expectation semantics (all optional; a turn without `expect` only has to run):

* `calls`: these calls happened in this order (others may come between them). `arguments` is a
  subset: keys not listed are not checked; strings compare case-insensitively and trimmed,
  and a number matches its digits written as a string ("4521" == 4521).
* `no_call: true`: no function was called; `false`: at least one was.
* `confirmation: true`: the agent asked a confirmation question (a `confirm` function);
  `false`: it did not.
* `filler: true` / `false`: a filler line was / was not spoken.
* `reply_contains` / `reply_not_contains`: the agent's words in the turn (filler excluded)
  contain at least one / none of the texts, ignoring case.
* `ended: true` / `false`: the call is over / still going after the turn.

`SCENARIO_SCHEMA` (voicetools.scenario.schema) is the JSON Schema of this structure, for editors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from voicetools.tools import Fault


@dataclass(frozen=True)
class ExpectedCall:
    """One call a turn must make."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    """A subset of the arguments, compared loosely (see the module docstring)."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.arguments:
            data["arguments"] = dict(self.arguments)
        return data


@dataclass(frozen=True)
class Expect:
    """What one turn must show; None means "not checked"."""

    calls: tuple[ExpectedCall, ...] = ()
    no_call: bool | None = None
    confirmation: bool | None = None
    filler: bool | None = None
    reply_contains: tuple[str, ...] = ()
    """Any one of these, case-insensitive."""
    reply_not_contains: tuple[str, ...] = ()
    """None of these, case-insensitive."""
    ended: bool | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.calls:
            data["calls"] = [c.to_json() for c in self.calls]
        for key in ("no_call", "confirmation", "filler", "ended"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.reply_contains:
            data["reply_contains"] = list(self.reply_contains)
        if self.reply_not_contains:
            data["reply_not_contains"] = list(self.reply_not_contains)
        return data


@dataclass(frozen=True)
class ScenarioTurn:
    """One caller line and its expectations."""

    user: str
    expect: Expect = field(default_factory=Expect)
    line: int = 0
    """Where the turn starts in the scenario file (for failure messages)."""

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user, "expect": self.expect.to_json()}


@dataclass(frozen=True)
class Scenario:
    """One scripted conversation, run on a fresh engine and a fresh tool runner."""

    name: str
    turns: tuple[ScenarioTurn, ...]
    mocks: Mapping[str, Any] = field(default_factory=dict)
    faults: Mapping[str, Fault] = field(default_factory=dict)
    line: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.mocks:
            data["mocks"] = dict(self.mocks)
        if self.faults:
            data["faults"] = {k: v.to_json() for k, v in self.faults.items()}
        data["turns"] = [t.to_json() for t in self.turns]
        return data


@dataclass(frozen=True)
class ScenarioFile:
    """A parsed scenario file."""

    path: str
    """As the user named it."""
    agent_path: Path
    """Resolved against the scenario file's folder."""
    scenarios: tuple[Scenario, ...]
    today: date | None = None
    mock_tools: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"agent": str(self.agent_path)}
        if self.today is not None:
            data["today"] = self.today.isoformat()
        if self.mock_tools:
            data["mock_tools"] = True
        data["scenarios"] = [s.to_json() for s in self.scenarios]
        return data
