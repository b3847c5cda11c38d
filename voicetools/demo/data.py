"""The demo backend's data: fixed orders and cities, and availability computed from the date.

Deterministic on purpose: the same request gives the same answer on every machine, so
scenario files and tests can rely on it. ORDERS mirrors agents/data/orders.json (the Python
order tool's store) so both order tools tell the same story.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

ORDERS: dict[str, dict[str, Any]] = {
    "4521": {"status": "shipped", "eta_date": "2026-05-08", "carrier": "UPS"},
    "1234": {"status": "processing", "eta_date": "2026-05-12", "carrier": None},
    "7788": {"status": "delivered", "eta_date": "2026-04-30", "carrier": "DHL"},
    "5150": {"status": "cancelled", "eta_date": None, "carrier": None},
}

SERVICES = ("consultation", "checkup", "followup")
_DAY_SLOTS = ("09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00")

# city -> (temperature in Celsius, conditions)
CITIES: dict[str, tuple[float, str]] = {
    "paris": (18.0, "partly cloudy"),
    "london": (14.0, "light rain"),
    "berlin": (16.0, "overcast"),
    "madrid": (27.0, "sunny"),
    "rome": (24.0, "sunny"),
    "lisbon": (22.0, "clear"),
    "amsterdam": (13.0, "windy"),
    "new york": (21.0, "humid"),
    "san francisco": (17.0, "fog"),
    "chicago": (12.0, "breezy"),
    "toronto": (11.0, "cloudy"),
    "tokyo": (23.0, "clear"),
    "sydney": (19.0, "showers"),
    "mumbai": (31.0, "humid"),
    "cairo": (33.0, "sunny"),
    "são paulo": (25.0, "thunderstorms"),
}


def availability(date: str, service: str) -> list[str] | None:
    """Free start times on `date` for `service`; [] on weekends; None if either is invalid.

    A slot is dropped when a CRC of (date, slot) says so, which looks like a real calendar
    but is the same everywhere.
    """
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return None
    if service not in SERVICES or len(date) != 10:
        return None
    if day.weekday() >= 5:
        return []
    return [s for s in _DAY_SLOTS if zlib.crc32(f"{date} {s}".encode()) % 3 != 0]


def weather(city: str, units: str) -> dict[str, Any] | None:
    """The current weather of a known city (case-insensitive), or None."""
    known = CITIES.get(" ".join(city.lower().split()))
    if known is None:
        return None
    celsius, conditions = known
    unit = "fahrenheit" if units.lower().startswith("f") else "celsius"
    temperature = round(celsius * 9 / 5 + 32) if unit == "fahrenheit" else celsius
    return {
        "city": city.strip().title(),
        "temperature": temperature,
        "units": unit,
        "conditions": conditions,
    }
