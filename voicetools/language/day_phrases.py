"""Find the date expressions in a caller's sentence and resolve each against the session's date.

Small models get relative dates wrong, so dates are resolved here, in code,
from the words the caller said. Every rule is a regex over `prepare()`d text (lowercase,
spelled-out numbers as digits) plus a function of `today`; nothing reads the clock.

Conventions (weeks run Monday to Sunday, as in ISO 8601 and most calendars):
- "today", "tonight", "this morning/afternoon/evening": today. "tomorrow": +1.
  "the day after tomorrow": +2. "yesterday": -1.
- A bare weekday, "on Friday", "coming Friday": the first such day *after* today (on a
  Wednesday, "Wednesday" means a week from today; the caller would say "today" otherwise).
- "this Friday" / "Friday this week": that day of the current week if it is today or later,
  else the next one.
- "next Friday" / "Friday next week" / "next week Friday": that day of *next* week. Said on
  Wednesday 2026-11-18, "next Friday" is 2026-11-27, not the day after tomorrow; this is what
  most people mean and what Duckling-style assistant parsers return. "Friday after next": the
  upcoming Friday plus 7 days.
- "next week": the Monday of next week. "this weekend": the coming Saturday (today on a
  weekend). "next weekend": Saturday of next week. "next month": the 1st of next month.
- "in 3 days", "in two weeks", "in a month", "3 days from now".
- "the 15th": the next 15th, today included. "March 3rd", "3rd of March", "3/14" (US
  month/day): the next such day, today included; with a year ("3/14/2027", "March 3rd, 2027")
  exactly that day; "20/3/2024", whose first number cannot be a month, is day/month (with a
  year only: "24/7 support" is no date). ISO "2026-12-01" as is, and so are "2023.10.1" and
  "2023/10/01". Where a line names a day in words and then a written date ("next Wednesday
  2023.10.1"), the later one is meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from voicetools.language.numbers import spoken_to_digits

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "tues": 1, "wednesday": 2, "weds": 2, "thursday": 3,
    "thurs": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
"""Three-letter forms are left out: "sat", "sun" and "wed" are ordinary words too."""
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = "(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + ")s?"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(\d{4}|\d{2} \d{2}))?"
_COUNT = {"a": 1, "an": 1, "one": 1, "a couple of": 2, "a couple": 2, "a few": 3}
_NOT_A_DATE_AFTER = r"(?!\s+(?:task|one|item|thing|order|time|floor))"


@dataclass(frozen=True)
class Found:
    """One date expression found in a sentence."""

    start: int
    end: int
    """Character span in the prepared text (not the original)."""
    value: date


def prepare(text: str) -> str:
    """Lowercase, numbers as digits, 'a.m.' as 'am', runs of spaces collapsed."""
    text = spoken_to_digits(text)
    text = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", text)
    return re.sub(r"\s+", " ", text)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    digits = raw.replace(" ", "")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _month_day(today: date, month: int, day: int, year: int | None) -> date | None:
    """The next `month`/`day` on or after today, or exactly that day in `year`."""
    if year is not None:
        return _safe(year, month, day)
    for y in range(today.year, today.year + 5):  # 5 years: Feb 29 comes round
        found = _safe(y, month, day)
        if found is not None and found >= today:
            return found
    return None


def _day_of_month(today: date, day: int) -> date | None:
    year, month = today.year, today.month
    for _ in range(13):
        found = _safe(year, month, day)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _add_months(today: date, months: int) -> date:
    index = today.month - 1 + months
    year, month = today.year + index // 12, index % 12 + 1
    for day in range(today.day, 27, -1):
        found = _safe(year, month, day)
        if found is not None:
            return found
    return date(year, month, min(today.day, 28))


def _weekday(today: date, day: int, mode: str) -> date:
    monday = today - timedelta(days=today.weekday())
    if mode == "next":
        return monday + timedelta(days=7 + day)
    if mode == "this" and day >= today.weekday():
        return monday + timedelta(days=day)
    ahead = (day - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead + (7 if mode == "after next" else 0))


def _count(raw: str) -> int:
    return _COUNT.get(raw, 0) or int(raw)


def _in_span(today: date, count: str, unit: str) -> date:
    n = _count(count)
    if unit.startswith("month"):
        return _add_months(today, n)
    return today + timedelta(days=n * (7 if unit.startswith("week") else 1))


def _weekday_rule(m: re.Match[str], today: date) -> date:
    before, name, after = m.group(1) or "", m.group(2), m.group(3) or ""
    words = before.split()
    mode = ""
    if "next" in words or "next" in after:
        mode = "next"
    elif "this" in after or ("this" in words and "coming" not in words):
        mode = "this"
    if "after next" in after:
        mode = "after next"
    return _weekday(today, WEEKDAYS[name], mode)


def _weekend(today: date, which: str) -> date:
    if which == "next":
        return _weekday(today, 5, "next")
    return today if today.weekday() >= 5 else _weekday(today, 5, "")


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]]
_RULES: list[Rule] = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
     lambda m, t: _safe(int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"\b(\d{4})[./](\d{1,2})[./](\d{1,2})\b"),
     lambda m, t: _safe(int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b"),
     lambda m, t: _month_day(t, int(m[1]), int(m[2]), _year(m[3]))
     or (_month_day(t, int(m[2]), int(m[1]), _year(m[3])) if int(m[1]) > 12 and m[3] else None)),
    (re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_ORD}\b{_YEAR}"),
     lambda m, t: _month_day(t, MONTHS[m[1]], int(m[2]), _year(m[3]))),
    (re.compile(rf"\b(?:the\s+)?{_ORD}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}"),
     lambda m, t: _month_day(t, MONTHS[m[2]], int(m[1]), _year(m[3]))),
    (re.compile(rf"\bthe\s+(\d{{1,2}})(?:st|nd|rd|th)\b{_NOT_A_DATE_AFTER}"),
     lambda m, t: _day_of_month(t, int(m[1]))),
    (re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b"), lambda m, t: t),
    (re.compile(r"\b(?:the )?day after tomorrow\b"), lambda m, t: t + timedelta(days=2)),
    (re.compile(r"\btomorrow\b"), lambda m, t: t + timedelta(days=1)),
    (re.compile(r"\byesterday\b"), lambda m, t: t - timedelta(days=1)),
    (re.compile(r"\bin (\d+|an?|one|a couple(?: of)?|a few) (days?|weeks?|months?)\b"),
     lambda m, t: _in_span(t, m[1], m[2])),
    (re.compile(r"\b(\d+|an?|a couple of|a few) (days?|weeks?) from (?:now|today)\b"),
     lambda m, t: _in_span(t, m[1], m[2])),
    (re.compile(r"\b(next|this|the) weekend\b"), lambda m, t: _weekend(t, m[1])),
    (re.compile(r"\bnext week\b"), lambda m, t: _weekday(t, 0, "next")),
    (re.compile(r"\bnext month\b"), lambda m, t: _add_months(t.replace(day=1), 1)),
    (re.compile(rf"\b((?:(?:on|this|next|coming|the|week) )*){_DAY}\b"
                r"((?: of)? (?:next week|this week|after next))?"), _weekday_rule),
]  # fmt: skip


def find_dates(text: str, today: date) -> list[Found]:
    """Every date expression in `text` (already `prepare()`d), in order, overlaps resolved.

    Where two expressions overlap, the longer wins ("the day after tomorrow" over "tomorrow").
    """
    found: list[Found] = []
    for pattern, rule in _RULES:
        for m in pattern.finditer(text):
            value = rule(m, today)
            if value is not None:
                found.append(Found(m.start(), m.end(), value))
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: -(f.end - f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
