"""Our GBNF grammars read as Python regexes: "would the grammar have accepted this text?".

Our grammars are regular except the permissive `json-value` rules, whose recursion is cut at a
small depth (the deeper alternatives simply never match), so the regex accepts a subset of
the grammar's language, never more. Used to accept arguments written without a grammar
(`decision.free_arguments`) and by the tests to check grammars without llama.cpp.
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
            if match is None or match.lastgroup is None:
                raise ValueError(f"cannot read {body[pos:]!r} in rule {name.strip()}")
            kind = match.lastgroup
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
    """Whether `grammar` (GBNF text) accepts the whole of `text`."""
    return to_regex(grammar).fullmatch(text) is not None
