"""Action words: which family of actions a word names ("booked", "schedule", "booking" -> book).

Shared by the claim check (what a reply says was done), the support check (what a function
does, from its name) and the chain rule (what the caller asked for), so the three agree on one
vocabulary. A family is named by its plainest verb; `DONE` holds claims that name no particular
action ("all set", "processed"), which any action supports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DONE = "done"
"""The family of claims that name no particular action."""

_FAMILIES: dict[str, tuple[str, ...]] = {
    "book": ("book", "books", "booked", "booking", "schedule", "scheduled", "reserve",
             "reserved", "reservation"),
    "cancel": ("cancel", "cancels", "cancelled", "canceled", "cancellation"),
    "delete": ("delete", "deleted", "remove", "removed", "erase", "erased"),
    "send": ("send", "sent", "text", "texted", "sms", "email", "emailed"),
    "transfer": ("transfer", "transferred", "connect", "connected", "forward", "forwarded"),
    "create": ("create", "created", "open", "opened", "add", "added", "log", "logged", "file",
               "filed"),
    "refund": ("refund", "refunded", "reimburse", "reimbursed"),
    "order": ("order", "ordered", "purchase", "purchased", "buy", "bought"),
    "refill": ("refill", "refilled", "renew", "renewed"),
    "submit": ("request", "requested", "submit", "submitted"),
    "report": ("report", "reported"),
    "update": ("update", "updated", "change", "changed", "modify", "modified", "reschedule",
               "rescheduled", "move", "moved"),
    "complete": ("complete", "finish", "finished", "mark", "marked"),
    "pay": ("pay", "paid", "charge", "charged"),
    DONE: ("completed", "processed", "confirmed", "placed", "done"),
}  # fmt: skip
"""Every form a family's words take in names, requests and claims."""

_FAMILY_OF = {word: family for family, words in _FAMILIES.items() for word in words}

PAST_FORMS = frozenset(
    word for word in _FAMILY_OF if word.endswith("ed") or word in {"sent", "bought", "paid", "done"}
)
"""The forms that say something already happened ("booked", "sent"), as a claim does."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case words of `text`, apostrophes kept inside ("haven't"), for every check here."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def family(word: str) -> str | None:
    """The action family `word` names, or None."""
    return _FAMILY_OF.get(word.lower())


def forms(tokens: Iterable[str]) -> set[str]:
    """Every word of the families any of `tokens` names ("create" -> "open", "added", ...)."""
    return {word for name in families(tokens) for word in _FAMILIES[name]}


def families(tokens: Iterable[str]) -> set[str]:
    """The action families any of `tokens` names."""
    return {f for f in map(family, tokens) if f is not None}


def name_words(name: str) -> list[str]:
    """A function name's words: "request_refill" -> ["request", "refill"]."""
    return [w for w in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name) if w]
