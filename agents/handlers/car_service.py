"""A garage's service desk for agents/car_service.yaml: bookings and status, no storage.

A booking's number is made from its details, so the same booking always gets the same number;
a plate ending in a digit below 5 is ready for pickup, any other is still in the workshop.
"""

from __future__ import annotations

import re
import zlib


def _plate(plate: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", plate).upper()


def book_service(plate: str, date: str, time: str, service: str) -> dict[str, object]:
    """Book the service; returns the booking number."""
    car = _plate(plate)
    if not car:
        return {"error": "invalid_arguments", "message": "I need the car's plate first."}
    number = zlib.crc32(f"{car}|{date}|{time}|{service}".encode()) % 90000 + 10000
    return {"booking_number": str(number), "status": "booked", "plate": car}


def get_service_status(plate: str) -> dict[str, object]:
    """How the service of one car is going."""
    car = _plate(plate)
    if not car:
        return {"error": "not_found", "message": "I couldn't find a car with that plate."}
    ready = car[-1].isdigit() and int(car[-1]) < 5
    return {"plate": car, "status": "ready for pickup" if ready else "in the workshop"}


def cancel_service(booking_number: str) -> dict[str, object]:
    """Cancel a service booking by its number."""
    digits = "".join(ch for ch in str(booking_number) if ch.isdigit())
    if not digits:
        return {"error": "not_found", "message": "I need the booking number to cancel it."}
    return {"booking_number": digits, "status": "cancelled"}
