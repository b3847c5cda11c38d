"""Handlers for the valid fixtures (never imported by the linter)."""

from __future__ import annotations


def create_ticket(
    issue: str, order_id: str | None = None, urgency: str | None = None
) -> dict[str, object]:
    return {"ticket_id": "T-1001", "issue": issue, "order_id": order_id, "urgency": urgency}
