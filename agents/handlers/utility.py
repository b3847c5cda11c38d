"""Accounts and outage reports for agents/utility.yaml: a small in-memory utility backend."""

from __future__ import annotations

import zlib

_ACCOUNTS = {
    "773019": {"amount_due": "84.20", "due_date": "2026-12-15"},
    "448190": {"amount_due": "0.00", "due_date": None},
    "305822": {"amount_due": "132.75", "due_date": "2026-12-02"},
}


def get_account_balance(account_number: str) -> dict[str, object]:
    """The amount due and its due date on one account."""
    account = _ACCOUNTS.get("".join(ch for ch in str(account_number) if ch.isdigit()))
    if account is None:
        return {"error": "not_found", "message": f"I couldn't find account {account_number}."}
    return {"account_number": account_number, **account}


def report_outage(address: str, description: str) -> dict[str, object]:
    """File an outage report; the reference number is derived from the address, so the same
    report gets the same number."""
    reference = f"OUT-{zlib.crc32(address.strip().lower().encode()) % 10000:04d}"
    return {
        "status": "reported",
        "reference": reference,
        "message": f"Outage at {address} reported as {reference}; a crew will be there in 2 hours.",
    }
