"""Opening hours for agents/front_desk.yaml."""

from __future__ import annotations

_HOURS = {
    "monday": "8 am to 6 pm",
    "tuesday": "8 am to 6 pm",
    "wednesday": "8 am to 6 pm",
    "thursday": "8 am to 8 pm",
    "friday": "8 am to 4 pm",
    "saturday": "9 am to 1 pm",
}


def get_opening_hours(day: str) -> dict[str, object]:
    """The clinic's hours on one day of the week."""
    key = day.strip().lower()
    if key not in {*_HOURS, "sunday"}:
        return {"error": "not_found", "message": f"I don't know the day {day}."}
    hours = _HOURS.get(key)
    return {"day": key, "open": hours is not None, "hours": hours or "closed"}
