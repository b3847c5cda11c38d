"""An IT helpdesk for agents/helpdesk.yaml: tickets and password resets, no storage.

Ticket numbers are made from the summary, so the same problem gets the same number; a ticket
number ending in 0 is closed, any other is in progress. The username `locked` stands for an
account the helpdesk may not reset by phone.
"""

from __future__ import annotations

import zlib


def create_ticket(summary: str, urgency: str = "normal") -> dict[str, object]:
    """Open a ticket; returns its number."""
    text = " ".join(summary.split())
    if not text:
        return {"error": "invalid_arguments", "message": "I need a short description first."}
    number = zlib.crc32(text.lower().encode()) % 900000 + 100000
    return {"ticket_number": str(number), "status": "open", "urgency": urgency}


def get_ticket_status(ticket_number: str) -> dict[str, object]:
    """The status of one ticket."""
    digits = "".join(ch for ch in str(ticket_number) if ch.isdigit())
    if not digits:
        return {"error": "not_found", "message": "I couldn't find that ticket."}
    status = "closed" if digits.endswith("0") else "in progress"
    return {"ticket_number": digits, "status": status}


def reset_password(username: str) -> dict[str, object]:
    """Reset the account's password; the temporary one goes out by SMS."""
    user = username.strip().lower()
    if user == "locked":
        return {"error": "permission", "message": "That account can only be reset in person."}
    return {"username": user, "status": "reset", "temporary_password_sent": True}
