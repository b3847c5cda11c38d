"""Where one sentence ends and the next begins: one set of rules for streaming and for speech.

A sentence ends at `.`, `!` or `?` (closing quotes or brackets included) followed by whitespace
or the end of the text. Not after an abbreviation ("Dr. Smith", "e.g. this") nor after "No."
before a number ("No. 5"), and never inside a number ("3.5"), so a voice does not pause mid-name.

Two entry points share the rules:
- `complete_sentences(buffer)` for a reply that is still being generated: the sentences that
  are certainly finished, and the rest, which may still grow;
- `sentence_pieces(text, max_chars=...)` for text that is whole (what a TTS voice is given): every
  sentence and every line, long ones cut at commas so the first audio starts early.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_END = re.compile(r"[.!?]+[\"')\]]*(?=(\s+|$))")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "approx"}
_BEFORE_A_NUMBER = {"no"}
"""Abbreviations only when a number follows ("No. 5"); "No. I can't" ends a sentence."""


def complete_sentences(buffer: str) -> tuple[list[str], str]:
    """Complete sentences at the start of `buffer`, and the unfinished rest.

    The end of the buffer never ends a sentence: the next piece may continue it ("3." + "5").
    """
    found: list[str] = []
    start = 0
    for end, next_start in _ends(buffer, final=False):
        sentence = buffer[start:end].strip()
        if sentence:
            found.append(sentence)
        start = next_start
    return found, buffer[start:]


def sentence_pieces(text: str, *, max_chars: int = 160) -> list[str]:
    """Split whole text into sentences (and lines) to synthesise one by one; long ones at commas.

    Pieces without a letter or digit ("...", "-") are dropped: there is nothing to say.
    """
    pieces: list[str] = []
    for line in text.splitlines():
        start = 0
        for end, next_start in _ends(line, final=True):
            pieces.append(line[start:end])
            start = next_start
        pieces.append(line[start:])
    out: list[str] = []
    for piece in (p.strip() for p in pieces):
        if piece and any(c.isalnum() for c in piece):
            out.extend(_split_long(piece, max_chars))
    return out


def _ends(text: str, *, final: bool) -> Iterator[tuple[int, int]]:
    """(end of a sentence, start of the next) for each sentence end in `text`.

    With `final` false, an end that needs to see what follows it waits for more text.
    """
    start = 0
    for match in _END.finditer(text):
        next_start = match.end() + len(match.group(1))
        if not final and match.end() == len(text):
            return  # "3." at the end of a stream may go on as "3.5"
        words = text[start : match.start()].split()
        last = words[-1].lower().rstrip(".") if words else ""
        if last in _ABBREVIATIONS:
            continue
        if last in _BEFORE_A_NUMBER:
            if not final and next_start == len(text):
                return  # "No. " may go on as "No. 5"
            if text[next_start : next_start + 1].isdigit():
                continue
        yield match.end(), next_start
        start = next_start


def _split_long(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    parts: list[str] = []
    current = ""
    for clause in re.split(r"(?<=[,;:])\s+", sentence):
        if current and len(current) + 1 + len(clause) > max_chars:
            parts.append(current)
            current = clause
        else:
            current = f"{current} {clause}".strip()
    parts.append(current)
    return parts
