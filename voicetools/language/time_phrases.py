"""Find clock times in a caller's sentence: "at 3 pm", "3:30", "noon", "half past two", "15:00".

Conventions:
- "am"/"pm" (or "a.m.") decide when given; "12 am" is midnight, "12 pm" is noon.
- Otherwise a day part near the time decides: "morning" means am; "afternoon", "evening",
  "tonight", "night" mean pm ("tonight at 8" is 20:00).
- Otherwise, for booking lines, an hour from 1 to 6 means the afternoon (13:00-18:00) and 7
  to 11 the morning: nobody books a 3 am check-up, and "come in at three" means 15:00.
  `AFTERNOON_HOURS` holds that range.
- A 24-hour form ("15:00", "09:30" with its leading zero, "0:15") is taken as written.
- A bare number is a time only with a cue: "at 3", "around 3", "3 o'clock", "3 pm"; "three
  thirty" (hour 1-12, then two-digit minutes) needs none. "task 3" is never a time.
- Date expressions are blanked first, so "March 3rd, twenty twenty seven" is not 3:20.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from voicetools.language.day_phrases import find_dates

AFTERNOON_HOURS = range(1, 7)
"""Hours said without am/pm or a day part that are read as pm."""

_AFTER = r"(?!\s*(?:days?|weeks?|months?|years?|people|persons|minutes|hours|st\b|nd\b|rd\b|th\b))"
_MER = r"(?:\s*(am|pm)\b)?"
_PM_WORDS = re.compile(r"\b(afternoon|evening|tonight|night)\b")
_AM_WORDS = re.compile(r"\b(morning)\b")


@dataclass(frozen=True)
class FoundTime:
    """One clock time found in a sentence."""

    start: int
    end: int
    hour: int
    minute: int
    meridiem: str | None
    """"am", "pm", "24h" (taken as written) or None (decided by context)."""


def _h(m: re.Match[str], group: int) -> tuple[int, str | None]:
    """The hour in `group`; a two-digit hour with a leading zero is 24-hour time."""
    raw = m[group]
    return int(raw), "24h" if len(raw) == 2 and raw.startswith("0") else None


Make = Callable[[re.Match[str]], tuple[int, int, str | None]]
_RULES: list[tuple[re.Pattern[str], Make]] = [
    (re.compile(rf"\b(\d{{1,2}}):(\d{{2}})\b{_MER}"),
     lambda m: (_h(m, 1)[0], int(m[2]), m[3] or _h(m, 1)[1])),
    (re.compile(rf"\b(\d{{1,2}}) ([0-5]\d)\b{_MER}{_AFTER}"),
     lambda m: (int(m[1]), int(m[2]), m[3]) if int(m[1]) <= 12 else (99, 0, None)),
    (re.compile(r"\b(\d{1,2})\s*(am|pm)\b"), lambda m: (int(m[1]), 0, m[2])),
    (re.compile(rf"\b(\d{{1,2}}) oclock\b{_MER}"), lambda m: (int(m[1]), 0, m[2])),
    (re.compile(rf"\b(?:at|around|about|by)(?: (?:around|about))? (\d{{1,2}})\b{_MER}{_AFTER}"
                r"(?![:/]\d| \d)"), lambda m: (int(m[1]), 0, m[2])),
    (re.compile(rf"\bhalf past (\d{{1,2}})\b{_MER}"), lambda m: (int(m[1]), 30, m[2])),
    (re.compile(rf"\bquarter (?:past|after) (\d{{1,2}})\b{_MER}"),
     lambda m: (int(m[1]), 15, m[2])),
    (re.compile(rf"\bquarter (?:to|of|before) (\d{{1,2}})\b{_MER}"),
     lambda m: ((int(m[1]) - 1) % 12 or 12, 45, m[2])),
    (re.compile(rf"\b(\d{{1,2}}) (?:minutes )?(?:past|after) (\d{{1,2}})\b{_MER}"),
     lambda m: (int(m[2]), int(m[1]), m[3])),
    (re.compile(rf"\b(\d{{1,2}}) minutes (?:to|before) (\d{{1,2}})\b{_MER}"),
     lambda m: ((int(m[2]) - 1) % 12 or 12, 60 - int(m[1]), m[3])),
    (re.compile(r"\b(?:12 )?(?:noon|midday)\b"), lambda m: (12, 0, "24h")),
    (re.compile(r"\b(?:12 )?midnight\b"), lambda m: (0, 0, "24h")),
]  # fmt: skip


def find_times(text: str) -> list[FoundTime]:
    """Every clock time in `text` (already `prepare()`d), in order, overlaps resolved."""
    for d in find_dates(text, date(2000, 1, 3)):
        text = text[: d.start] + " " * (d.end - d.start) + text[d.end :]
    found: list[FoundTime] = []
    for pattern, make in _RULES:
        for m in pattern.finditer(text):
            hour, minute, meridiem = make(m)
            if hour <= 23 and minute <= 59:
                found.append(FoundTime(m.start(), m.end(), hour, minute, meridiem))
    kept: list[FoundTime] = []
    for f in sorted(found, key=lambda f: -(f.end - f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def clock(found: FoundTime, text: str) -> time | None:
    """The 24-hour time `found` means, reading the day part from the words around it."""
    hour, meridiem = found.hour, found.meridiem
    near = text[max(0, found.start - 25) : found.end + 25]
    if meridiem is None and _PM_WORDS.search(near):
        meridiem = "pm" if hour < 12 else None
    elif meridiem is None and _AM_WORDS.search(near):
        meridiem = "am" if hour <= 12 else None
    if meridiem == "am":
        if hour > 12:
            return None
        hour = 0 if hour == 12 else hour
    elif meridiem == "pm":
        if hour > 12 and hour != 0:
            return time(hour, found.minute) if hour < 24 else None
        hour = 12 if hour == 12 else hour + 12
    elif meridiem is None and hour in AFTERNOON_HOURS:
        hour += 12
    return time(hour, found.minute)
