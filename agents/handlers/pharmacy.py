"""Prescriptions for agents/pharmacy.yaml: a refill-status lookup and a refill request.

The store is a constant: a handler runs in a worker process, and a demo must answer the same
way on every call. request_refill answers only `{"ok": true}`, as many real back ends do, so
the agent has to say what happened in its own words (`voicetools.dialogue.result_line`).
"""

from __future__ import annotations

PRESCRIPTIONS: dict[str, dict[str, object]] = {
    "44719": {"medication": "lisinopril", "status": "ready for pickup", "refills_left": 2},
    "30822": {"medication": "metformin", "status": "being filled", "refills_left": 0},
}


def _digits(value: object) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def refill_status(prescription_number: str | None = None) -> dict[str, object]:
    """Whether a prescription is ready, and how many refills are left."""
    number = _digits(prescription_number)
    found = PRESCRIPTIONS.get(number)
    if found is None:
        return {"error": "not_found", "message": f"I couldn't find prescription {number}."}
    return {"prescription_number": number, **found}


def request_refill(prescription_number: str | None = None) -> dict[str, object]:
    """Queue a refill; only known prescriptions with refills left can be refilled."""
    number = _digits(prescription_number)
    found = PRESCRIPTIONS.get(number)
    if found is None:
        return {"error": "not_found", "message": f"I couldn't find prescription {number}."}
    if found["refills_left"] == 0:
        return {
            "error": "permission",
            "message": "That prescription has no refills left; the pharmacist must renew it.",
        }
    return {"ok": True}
