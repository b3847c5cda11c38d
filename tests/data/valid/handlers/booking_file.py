"""A file handler reached as `handlers/booking_file.py:cancel_appointment`."""

from __future__ import annotations

try:
    import sqlite3
except ImportError:  # pragma: no cover - defined in a try block on purpose
    sqlite3 = None  # type: ignore[assignment]


if sqlite3 is not None:

    def cancel_appointment(appointment_id: str, **options: object) -> dict[str, object]:
        return {"cancelled": appointment_id}
