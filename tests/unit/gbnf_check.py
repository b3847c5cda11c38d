"""A test-only reading of our GBNF grammars as Python regexes, to check them without llama.cpp.

Our grammars are regular except the permissive `json-value` rules, whose recursion is cut at a
small depth (the deeper alternatives simply never match). With a regex, a test can ask "does the
grammar accept this text?" and hypothesis can generate texts the grammar accepts
(`from_regex`), which must then validate against the schema.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<lit>"(?:\\.|[^"\\])*")
    | (?P<cls>\[(?:\\.|[^\]\\])*\])
    | (?P<rep>\{\d*(?:,\d*)?\})
    | (?P<name>[a-zA-Z0-9-]+)
    | (?P<op>[()|?*+])
    )""",
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "[": "[", "]": "]"}


def parse_rules(text: str) -> dict[str, list[tuple[str, str]]]:
    """Rule name -> tokens (kind, text)."""
    rules = {}
    for line in text.strip().splitlines():
        name, _, body = line.partition("::=")
        tokens = []
        pos = 0
        while body[pos:].strip():
            match = _TOKEN.match(body, pos)
            assert match, f"cannot read {body[pos:]!r} in rule {name.strip()}"
            kind = match.lastgroup
            assert kind is not None
            tokens.append((kind, match.group(kind)))
            pos = match.end()
        rules[name.strip()] = tokens
    return rules


def _unescape(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt == "x":
                out.append(chr(int(body[i + 2 : i + 4], 16)))
                i += 4
                continue
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def to_regex(text: str, max_depth: int = 2) -> re.Pattern[str]:
    """The language of the grammar's `root` as a compiled regex (recursion cut at max_depth)."""
    rules = parse_rules(text)

    def expand(name: str, stack: tuple[str, ...]) -> str:
        if stack.count(name) >= max_depth:
            return "(?!)"
        parts = []
        for kind, tok in rules[name]:
            if kind == "lit":
                parts.append(re.escape(_unescape(tok[1:-1])))
            elif kind == "cls":
                parts.append(tok)  # GBNF classes read the same in Python (\x00, \\, \])
            elif kind == "name":
                parts.append("(?:" + expand(tok, (*stack, name)) + ")")
            elif kind == "op" and tok == "(":
                parts.append("(?:")
            else:
                parts.append(tok)
        return "".join(parts)

    return re.compile(expand("root", ()), re.DOTALL)


def accepts(grammar: str, text: str) -> bool:
    return to_regex(grammar).fullmatch(text) is not None
