"""A small, safe subset of JSON Schema `pattern` regexes, translated to GBNF.

Agent authors write patterns like `^[0-9]{3,12}$` (order numbers) or
`^([01][0-9]|2[0-3]):[0-5][0-9]$` (times). Constraining generation with them stops a small model
from writing "four five two one" where digits are wanted. Only what can be translated exactly is
accepted: an anchored pattern made of literals, `.`, classes, `\\d \\w \\s`, groups, alternation and
bounded quantifiers. Anything else (lookarounds, backreferences, unanchored patterns, classes
holding quotes or backslashes) returns None and the caller falls back to a plain string; a
grammar may be stricter than the schema, never looser, so `\\s` becomes a plain space.

The returned expression describes the string's *JSON text* between the quotes, so every
character it can produce is one JSON allows raw (no quote, backslash or control character).
"""

from __future__ import annotations

_MAX_REPEAT = 64
_SAFE_PUNCT = set(" !#%&',-/:;<=>@_`~")
_ESCAPE_CLASSES = {"d": "0-9", "w": "a-zA-Z0-9_", "s": " "}


class Unsupported(Exception):
    """The pattern uses something this subset does not translate."""


def pattern_to_gbnf(pattern: str) -> str | None:
    """A GBNF expression for the text matched by `pattern`, or None when not translatable."""
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")):
        return None
    parser = _Parser(pattern[1:-1])
    try:
        expr = parser.alternation()
        if parser.pos != len(parser.text):
            raise Unsupported(parser.text[parser.pos :])
    except Unsupported:
        return None
    return expr or None


def _literal(ch: str) -> str:
    if ch.isalnum() or ch in _SAFE_PUNCT or ord(ch) > 127:
        return '"' + ch + '"'
    if ch in "$()*+.?[]^{|}":
        return '"' + ch + '"'
    raise Unsupported(ch)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self) -> str:
        ch = self.peek()
        if not ch:
            raise Unsupported("unexpected end")
        self.pos += 1
        return ch

    def alternation(self) -> str:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        if any(not b for b in branches):
            raise Unsupported("empty branch")
        return branches[0] if len(branches) == 1 else "(" + " | ".join(branches) + ")"

    def sequence(self) -> str:
        parts: list[str] = []
        while self.peek() not in ("", "|", ")"):
            parts.append(self.quantified(self.atom()))
        return " ".join(parts)

    def atom(self) -> str:
        ch = self.take()
        if ch == "(":
            if self.text.startswith("?:", self.pos):
                self.pos += 2
            elif self.peek() == "?":
                raise Unsupported("lookaround or named group")
            inner = self.alternation()
            if self.take() != ")":
                raise Unsupported("unclosed group")
            return "(" + inner + ")"
        if ch == "[":
            return self.char_class()
        if ch == "\\":
            esc = self.take()
            if esc in _ESCAPE_CLASSES:
                return "[" + _ESCAPE_CLASSES[esc] + "]"
            return _literal(esc)
        if ch == ".":
            return '[^"\\\\\\x00-\\x1f]'
        if ch in "*+?{^$":
            raise Unsupported(ch)
        return _literal(ch)

    def char_class(self) -> str:
        negate = self.peek() == "^"
        if negate:
            self.pos += 1
        body = ""
        first = True
        while first or self.peek() != "]":
            first = False
            ch = self.take()
            if ch == "\\":
                esc = self.take()
                if esc in _ESCAPE_CLASSES:
                    body += _ESCAPE_CLASSES[esc]
                    continue
                ch = esc
            if ch in '"\\' or ord(ch) < 0x20:
                raise Unsupported("quote, backslash or control character in a class")
            body += "\\]" if ch == "]" else ch  # ranges and a literal "-" read the same in GBNF
        self.pos += 1
        if negate:
            return "[^" + body + '"\\\\\\x00-\\x1f]'
        return "[" + body + "]"

    def quantified(self, atom: str) -> str:
        ch = self.peek()
        if ch in ("*", "+", "?"):
            self.pos += 1
            if self.peek() in ("?", "+"):  # lazy/possessive: same set of strings
                self.pos += 1
            return atom + ch
        if ch != "{":
            return atom
        end = self.text.find("}", self.pos)
        if end < 0:
            raise Unsupported("unclosed {")
        spec = self.text[self.pos + 1 : end]
        low_text, comma, high_text = spec.partition(",")
        if not low_text.isdigit() or (high_text and not high_text.isdigit()):
            raise Unsupported("{" + spec + "}")
        self.pos = end + 1
        if self.peek() == "?":
            self.pos += 1
        low = int(low_text)
        high = int(high_text) if high_text else (low if not comma else None)
        if low > _MAX_REPEAT or (high is not None and (high > _MAX_REPEAT or high < low)):
            raise Unsupported("repeat too large")
        if high is None:
            return f"{atom}{{{low},}}"
        return f"{atom}{{{low}}}" if low == high else f"{atom}{{{low},{high}}}"
