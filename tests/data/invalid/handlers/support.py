"""Handlers for the python_handlers.yaml fixture (never imported by the linter)."""

from __future__ import annotations

raise SystemExit("the linter must not import handler modules")


def create_ticket(issue: str, priority: str = "normal") -> dict[str, object]:
    return {"ticket": issue, "priority": priority}


async def lookup_order(order_id: str, **extra: object) -> dict[str, object]:
    return {"order_id": order_id}


def narrow(issue: str) -> dict[str, object]:
    return {"issue": issue}


def greedy(issue: str, customer_id: str, urgency: str) -> dict[str, object]:
    return {"issue": issue, "customer": customer_id, "urgency": urgency}


def positional(issue: str, /) -> dict[str, object]:
    return {"issue": issue}


class Helper:
    def hidden(self, issue: str) -> dict[str, object]:
        return {"issue": issue}
