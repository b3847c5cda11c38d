"""What code adds to the router's scores: facts in the caller's words the model may miss.

The router (`route.RouteDecider.route`) scores "reply" and each function with the model, then
adds these bonuses; each is a fact code can see in so many words, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from voicetools.dialogue.checks.actions import is_lookup, what_it_does
from voicetools.dialogue.checks.verbs import PAST_FORMS, families, family, name_words, words
from voicetools.language import asks_about
from voicetools.spec.model import Function

CUE_BONUS = 3.0
"""Added to a built-in's score when a question about something names it ("do you ever put me
through to a manager?"); a request for it ("can you transfer me?") gets REQUEST_CUE_BONUS. The
model scores "reply" above transfer_call even then, and the words are a fact code can see."""
REQUEST_CUE_BONUS = 6.0
"""Added instead of CUE_BONUS when the line asking for the built-in is a request, not a
question about something (`language.asks_about`): "I want a ticket about my monitor, actually
no, just get me a technician" scored create_ticket 4 points above transfer_call on the 0.5B
model, whose words were the ticket's for most of the line."""
_CUES = {
    "transfer_call": re.compile(
        r"\b(speak|talk|put me through|connect me)\b.{0,20}\b(person|human|someone|agent|"
        r"representative|manager|operator|receptionist|somebody)\b|\btransfer me\b|"
        r"\b(real|live) (person|human|agent)\b|\boperator\b",
        re.IGNORECASE,
    ),
}


ANSWER_BONUS = 2.0
"""Added to the function whose missing arguments the agent just asked for, when the caller's
reply holds them (`Situation.answering`). Asked "What's your order number?", a caller who says
"It's 4521." wants the lookup, yet the 0.5B model scored a reply first (-1.16 against -1.31
with the reply bias) and made up a status; the margin it has to overcome is small."""


_ASK_FOR = re.compile(
    r"\b(speak|talk|put me through|connect me|transfer me|get me|give me|i need|i want)\b"
    r"(?P<rest>.{0,24})",
    re.IGNORECASE,
)
_WHO = re.compile(r"\bto (?:the |a |an |our )?(\w+)", re.IGNORECASE)
"""Whom a transfer_call's description says it reaches ("to a technician", "to the pharmacist")."""


def _asks_for_whom(function: Function, said: str) -> bool:
    """Whether the caller asks to be put through to whom the transfer's description names
    ("just get me a technician" on a helpdesk that transfers "to a technician")."""
    whom = {m.group(1).lower() for m in _WHO.finditer(function.description or "")}
    whom -= {"the", "caller", "them", "a"}
    return any(
        whom & set(re.findall(r"[a-z]+", ask.group("rest").lower()))
        for ask in _ASK_FOR.finditer(said)
    )


def cue_bonus(function: Function, said: str) -> float:
    """REQUEST_CUE_BONUS when the caller's words explicitly ask for this built-in, CUE_BONUS
    when they name it inside a question about something, else 0."""
    cue = _CUES.get(function.builtin or "")
    if cue is None:
        return 0.0
    if cue.search(said) or (function.builtin == "transfer_call" and _asks_for_whom(function, said)):
        return CUE_BONUS if asks_about(said) else REQUEST_CUE_BONUS
    return 0.0


ACTION_BONUS = 1.5
"""Added to an action whose action the caller asks for in so many words, when a lookup's name
holds the same word ("Please refill prescription 44719": request_refill, not refill_status),
or when the caller also names what it is done to ("please open a ticket": create_ticket).
The 0.5B model scored the lookup above the action for that line (-0.43 against -1.31): a name
that starts with the caller's own word wins, whatever the function does (docs/decisions.md)."""
_ASKS_ABOUT = frozenset(
    "is are was were has have did does do what when where which how whether".split()
)
"""First words of a question about something ("Is my refill ready?"), not a request for it."""
_ABOUT = frozenset({"status", "ready", "left", "check"})
"""Words of a line that asks about a state ("the status of my refill")."""


def action_bonus(function: Function, said: str, candidates: Sequence[Function]) -> float:
    """ACTION_BONUS when `said` asks for `function`'s action (a request, not a question about
    a state; the action word not in a past form, as in "they sent the wrong size") and a lookup
    among `candidates` is named with the same action word; else 0."""
    if is_lookup(function) or function.builtin is not None:
        return 0.0
    tokens = words(said)
    if not tokens or tokens[0] in _ASKS_ABOUT or _ABOUT & set(tokens):
        return 0.0
    asked = families(t for t in tokens if t not in PAST_FORMS) & what_it_does(function)
    decoys = set().union(*(_named(f) for f in candidates if is_lookup(f)))
    return ACTION_BONUS if asked & decoys or (asked and _names_object(function, tokens)) else 0.0


def _names_object(function: Function, tokens: Sequence[str]) -> bool:
    """Whether the caller names what the action is done to, as the function's name does
    ("open a ticket" for create_ticket, "reset the password" for reset_password): with the
    action word, a request in so many words, which the 0.5B model still answers with a reply
    ("My VPN keeps dropping, please open a ticket": reply -1.10 after bias, create -1.44)."""
    objects = {w.lower() for w in name_words(function.name) if family(w) is None}
    said = {t[:-1] if t.endswith("s") and len(t) > 3 else t for t in tokens}
    return bool(objects & said)


def _named(function: Function) -> set[str]:
    """The action families a function's name words hold ("refill_status": refill)."""
    return families(w.lower() for w in name_words(function.name))
