"""A module reached as `handlers.pkg.tools` (a namespace package next to the agent file)."""

from __future__ import annotations


def close_ticket(ticket_id: str) -> dict[str, object]:
    return {"closed": ticket_id}
