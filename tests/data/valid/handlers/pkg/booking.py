"""A module handler reached as `handlers.pkg.booking:book_appointment`."""

from __future__ import annotations


async def book_appointment(
    date: str,
    time: str,
    service: str = "checkup",
    *,
    visit_id: str | None = None,
) -> dict[str, object]:
    return {"date": date, "time": time, "service": service, "visit_id": visit_id}
