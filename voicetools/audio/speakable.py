"""Text as a voice should say it: `speakable(text)` cleans (`language.sentences` then splits).

Replies and tool results are written for screens: markdown, links, emoji, "#A-4521", "$12.50",
"15%". A TTS voice reads those badly or not at all ("asterisk asterisk", a URL letter by
letter, a phonemizer error on an emoji). Identifiers are the worst case: "order 4521" read as
"four thousand five hundred twenty-one" is hard to check against a receipt, so runs of digits
that name something (order, phone and account numbers, codes mixing letters and digits) are
read one character at a time. Quantities stay numbers: amounts, percentages, decimals, numbers
with thousands separators, years, and times and dates, which are said the natural way.

Pure functions on strings, no I/O: the voice loop calls them before every `TTS.synthesize`
(`BaseTTS` does so by default).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']*[^\s<>()\"'.,;:!?]", re.IGNORECASE)
_HTML = re.compile(r"</?[A-Za-z][^>]*>")
_CODE = re.compile(r"`+([^`]*)`+")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~)(\S(?:.*?\S)?)\1")
_LINE_MARK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+•][ \t]+|\d+[.)][ \t]+)", re.MULTILINE)
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}.*$", re.MULTILINE)
_TABLE_EDGE = re.compile(r"^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$", re.MULTILINE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONEY = re.compile(r"([$€£])\s?(\d[\d,]*)(?:\.(\d{2}))?\b")
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d{1,4}\)?(?:[ .-]\(?\d{2,4}\)?){2,4}(?!\w|\.\d)")
_CODE_ID = re.compile(r"#?\b(?=[A-Za-z-]*\d)(?=[\d-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")
_HASH_NUMBER = re.compile(r"#\s?(\d+)\b")
_DIGITS = re.compile(r"(?<!\d)(?<!\d[.,:/])\d{4,}(?!\d|[.,:/]\d)")
_SUFFIXED = re.compile(r"\d+(?:st|nd|rd|th|am|pm|s|k|kg|km|m|h|min|ms|mb|gb)", re.IGNORECASE)
_SYMBOLS = {
    "%": " percent",
    "&": " and ",
    "@": " at ",
    "°": " degrees",
    "+": " plus ",
    "=": " equals ",
}
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds"}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def speakable(text: str, *, urls: str = "domain") -> str:
    """`text` cleaned for a voice. `urls`: "domain" says only the site, "link" says
    "the link I've sent you" (for agents that text the link), "drop" removes it."""
    text = re.sub(r"[™®©]", "", text)
    text = text.replace("°C", " degrees Celsius").replace("°F", " degrees Fahrenheit")
    text = unicodedata.normalize("NFKC", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub(lambda m: _url(m.group(0), urls), text)
    text = _HTML.sub(" ", text)
    text = _CODE.sub(r"\1", text)
    text = _TABLE_RULE.sub("", text)
    text = _LINE_MARK.sub("", text)
    for _ in range(2):  # nested emphasis: ***bold italic*** or **a _b_ c**
        text = _EMPHASIS.sub(r"\2", text)
    text = _TABLE_EDGE.sub("", text).replace("|", ", ")
    text = _drop_emoji(text)
    text = _ISO_DATE.sub(_date, text)
    text = _MONEY.sub(_money, text)
    text = _PHONE.sub(_phone, text)
    text = _HASH_NUMBER.sub(lambda m: f"number {spell(m.group(1))}", text)
    text = _CODE_ID.sub(_code, text)
    text = _DIGITS.sub(lambda m: m.group(0) if _is_year(m.group(0)) else spell(m.group(0)), text)
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"[*_#~^<>{}\[\]\\`|]", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" ?\n[ \n]*", "\n", text)
    return re.sub(r" ([,.!?;:])", r"\1", text).strip()


def spell(token: str) -> str:
    """One character at a time: "4521" -> "4 5 2 1", "AB-12" -> "A B, 1 2"."""
    groups = [g for g in re.split(r"[-\s#]+", token) if g]
    return ", ".join(" ".join(g.upper()) for g in groups)


def _code(match: re.Match[str]) -> str:
    """Spell an identifier such as "A-4521" or "X7K2", but not "2nd", "5pm" or "10km"."""
    token = match.group(0)
    return token if _SUFFIXED.fullmatch(token) else spell(token)


def _url(url: str, mode: str) -> str:
    if mode == "link":
        return "the link I've sent you"
    if mode == "drop":
        return ""
    domain = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
    return re.split(r"[/?#:]", domain, maxsplit=1)[0].rstrip(".")


def _drop_emoji(text: str) -> str:
    """Emoji, pictographs and their joiners go; letters, digits and punctuation stay."""
    kept = []
    for char in text:
        if char in "\u200d\ufe0f\ufe0e\u20e3" or 0x1F3FB <= ord(char) <= 0x1F3FF:
            continue
        if unicodedata.category(char) in ("So", "Cs", "Co") and char not in _SYMBOLS:
            kept.append(" ")
            continue
        kept.append(char)
    return "".join(kept)


def _date(match: re.Match[str]) -> str:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _money(match: re.Match[str]) -> str:
    whole = f"{int(match.group(2).replace(',', '')):,}"  # separators: read as an amount
    cents = match.group(3)
    unit = _CURRENCY[match.group(1)]
    if whole == "1":
        unit = unit[:-1]
    if cents and cents != "00":
        return f"{whole} {unit} and {int(cents)} cents"
    return f"{whole} {unit}"


def _phone(match: re.Match[str]) -> str:
    raw = match.group(0)
    plus = "plus " if raw.startswith("+") else ""
    return plus + spell(re.sub(r"[().]", " ", raw).replace("+", ""))


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2099
