"""Table bookings for agents/restaurant.yaml: a fixed book of busy slots, no storage.

Every Friday and Saturday evening at 20:00 is full, and so is any party over 12, so a
caller can hear both answers; a booking's number is made from its details, so the same
booking always gets the same number.
"""

from __future__ import annotations

import zlib
from datetime import date as Date

FULL_TIME = "20:00"
"""Friday and Saturday at this time are fully booked."""
LARGEST_TABLE = 12


def _full(party_size: int, date: str, time: str) -> bool:
    weekend = Date.fromisoformat(date).weekday() in (4, 5)
    return party_size > LARGEST_TABLE or (weekend and time == FULL_TIME)


def check_table(party_size: int, date: str, time: str) -> dict[str, object]:
    """Whether a table is free for the party at that date and time."""
    try:
        full = _full(party_size, date, time)
    except ValueError:
        return {"error": "invalid_arguments", "message": f"I couldn't read the date {date}."}
    return {"party_size": party_size, "date": date, "time": time, "free": not full}


def book_table(party_size: int, date: str, time: str, name: str) -> dict[str, object]:
    """Reserve the table; its number is derived from the booking's details."""
    try:
        full = _full(party_size, date, time)
    except ValueError:
        return {"error": "invalid_arguments", "message": f"I couldn't read the date {date}."}
    if full:
        return {"error": "not_found", "message": f"There is no free table at {time} on {date}."}
    number = zlib.crc32(f"{party_size}|{date}|{time}|{name}".encode()) % 90000 + 10000
    return {"booking_number": str(number), "status": "booked", "name": name}


def cancel_booking(booking_number: str) -> dict[str, object]:
    """Cancel a booking by its number."""
    digits = "".join(ch for ch in str(booking_number) if ch.isdigit())
    if not digits:
        return {"error": "not_found", "message": "I need the booking number to cancel it."}
    return {"booking_number": digits, "status": "cancelled"}
