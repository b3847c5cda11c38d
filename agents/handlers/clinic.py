"""The clinic's calendar for agents/clinic.yaml: a fixed week, so answers are reproducible."""

from __future__ import annotations

import hashlib

_FREE = ["09:00", "11:30", "15:00"]
_BOOKED = {"9004": "2026-05-12 10:00", "9005": "2026-05-14 16:00"}


def check_availability(date: str, service: str = "consultation") -> dict[str, object]:
    """The free times on `date` (the same three every weekday)."""
    return {"date": date, "service": service, "free": list(_FREE)}


def book_appointment(patient_name: str, date: str, time: str, service: str) -> dict[str, object]:
    """Book a free time; the booking number is derived from the booking, so it is stable."""
    if time not in _FREE:
        return {"error": "not_free", "message": f"{time} is not free on {date}.", "free": _FREE}
    digest = hashlib.sha256(f"{patient_name}|{date}|{time}|{service}".encode()).hexdigest()
    booking = f"B-{int(digest[:6], 16) % 9000 + 1000}"
    return {"status": "booked", "booking_id": booking, "patient_name": patient_name,
            "date": date, "time": time, "service": service}  # fmt: skip


def cancel_appointment(appointment_id: str) -> dict[str, object]:
    """Cancel a booked appointment."""
    if appointment_id not in _BOOKED:
        return {"error": "not_found", "message": f"No appointment numbered {appointment_id}."}
    return {"status": "cancelled", "appointment_id": appointment_id,
            "was": _BOOKED[appointment_id]}  # fmt: skip
