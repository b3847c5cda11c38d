"""Was a value said? The conversations benchmark's one rule for where an argument came from.

Used twice: the data check (every value a label expects must have been said in the
conversation or given by a mock) and the scorer (an executed call whose value nobody said
holds an invented value). A value counts as said when it can be found in the `sources`:
the caller's lines so far, the agent's variables, and the results of calls already run.

- dates and times: a clause of a source resolves to it (`voicetools.language`, against the
  conversation's `today`), or it is written there as it is ("2026-11-20", "19:30");
- numbers, and strings that hold a digit or name an identifier (order_id, plate, username):
  the value, letters and digits only, equals a run of consecutive source tokens, after
  spoken numbers became digits ("seven seven three oh one nine" -> "773019"); a number
  must be a whole one said, not a piece of a longer one (not "773" of "773.019");
- names (`customer_name`, `name`): every word of the value is said;
- enum values: their words ("oil_change" -> "oil change") appear in a row;
- other free text (a ticket summary): at least half of its content words were said (a word
  matches on its first five letters, so "crushed" finds "crush").
Booleans and a parameter's schema default are never invented.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from voicetools.dialogue.checks.grounding import identifier_kind, tokens
from voicetools.language import is_date_parameter, is_time_parameter, resolve_date, resolve_time

STOPWORDS = frozenset(
    "a an the to my for of and or please some me i it is on in at with that this be was "
    "are our your you we can could would will just".split()
)
_CLAUSE = re.compile(r"[,.;:!?]+\s*|\s+(?:no|sorry|i mean|i meant|actually)\s+")
_STEM = 5


@dataclass(frozen=True)
class Sources:
    """Where a value may come from, and the date relative days are counted from."""

    texts: tuple[str, ...]
    today: date


def _clauses(text: str) -> list[str]:
    return [text, *(part for part in _CLAUSE.split(text) if part.strip())]


def _dates(sources: Sources) -> set[str]:
    found = set()
    for text in sources.texts:
        found |= set(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text))
        for clause in _clauses(text):
            day = resolve_date(clause, sources.today)
            if day is not None:
                found.add(day.isoformat())
    return found


def _times(sources: Sources) -> set[str]:
    found = set()
    for text in sources.texts:
        found |= {f"{int(h):02d}:{m}" for h, m in re.findall(r"\b(\d{1,2}):(\d{2})\b", text)}
        for clause in _clauses(text):
            moment = resolve_time(clause)
            if moment is not None:
                found.add(moment.strftime("%H:%M"))
    return found


def squash(value: Any) -> str:
    """Letters and digits only, lowercase, spoken numbers as digits."""
    return "".join(tokens(str(value)))


def _in_a_row(target: str, sources: Sources) -> bool:
    """Whether `target` (squashed) is the concatenation of consecutive tokens of a source; a
    number must be a whole one, not a piece of a longer one ("773" of "773.019")."""
    if not target:
        return False
    whole = target.isdigit()
    for text in sources.texts:
        words = tokens(text)
        for i in range(len(words)):
            if whole and i > 0 and words[i - 1].isdigit():
                continue
            joined = ""
            for j, word in enumerate(words[i:], start=i + 1):
                joined += word
                if joined == target and not (whole and j < len(words) and words[j].isdigit()):
                    return True
                if not target.startswith(joined):
                    break
    return False


def content_words(text: str) -> list[str]:
    """The words of `text` that carry meaning: no stopwords, no one-letter words."""
    return [w for w in tokens(str(text)) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def _stem_in(word: str, pool: set[str]) -> bool:
    return word in pool or any(w[:_STEM] == word[:_STEM] for w in pool if len(w) >= _STEM)


def is_said(name: str, schema: Mapping[str, Any], value: Any, sources: Sources) -> bool:
    """Whether `value` for parameter `name` comes from the sources (rules in the docstring)."""
    if value is None or isinstance(value, bool) or value == schema.get("default"):
        return True
    text = str(value).strip()
    if is_date_parameter(name, schema):
        return text in _dates(sources)
    if is_time_parameter(name, schema):
        return text in _times(sources)
    if "enum" in schema:
        return _in_a_row(squash(text.replace("_", " ")), sources)
    kind = identifier_kind(name, schema)
    if isinstance(value, int | float) or kind in ("digits", "phone", "email", "id"):
        return _in_a_row(squash(text), sources)
    if _in_a_row(squash(text), sources):
        return True  # said as it is, in a row ("LP 404" for a plate "LP404")
    numbers = [w for w in tokens(text) if any(c.isdigit() for c in w)]
    if not all(_in_a_row(w, sources) for w in numbers):
        return False  # a number in free text must have been said too
    if kind == "name":
        return all(_in_a_row(word, sources) for word in tokens(text))
    wanted = content_words(text)
    pool = {w for source in sources.texts for w in tokens(source)}
    return not wanted or 2 * sum(_stem_in(w, pool) for w in wanted) >= len(wanted)


def same_value(name: str, schema: Mapping[str, Any], expected: Any, actual: Any) -> bool:
    """Whether an executed call's `actual` value is the labelled `expected` one.

    Free text is right when every content word of the label is in the actual text (on its
    stem); identifiers and numbers compare on letters and digits; the rest exactly.
    """
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float):
        return str(actual).strip() == str(expected)
    if actual is None:
        return False
    want, got = str(expected).strip(), str(actual).strip()
    if is_date_parameter(name, schema) or is_time_parameter(name, schema) or "enum" in schema:
        return want.casefold() == got.casefold()
    if identifier_kind(name, schema) is not None or any(ch.isdigit() for ch in want):
        return squash(want) == squash(got)
    pool = set(tokens(got))
    return all(_stem_in(w, pool) for w in content_words(want))


def sources_for(texts: Sequence[str], variables: Mapping[str, str], today: date) -> Sources:
    """Sources from caller lines and results (as text) plus the agent's variables."""
    return Sources((*texts, *(str(v) for v in variables.values())), today)
