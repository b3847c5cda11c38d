"""What code adds to the router's scores: facts in the caller's words the model may miss.

The router (`route.RouteDecider.route`) scores "reply" and each function with the model, then
adds these bonuses; each is a fact code can see in so many words, never a guess.
"""

from __future__ import annotations

import re

from voicetools.spec.model import Function

CUE_BONUS = 3.0
"""Added to a built-in's score when the caller asks for it in so many words: the model scores
"reply" above transfer_call even then, and an explicit request is a fact code can see."""
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


def cue_bonus(function: Function, said: str) -> float:
    """CUE_BONUS when the caller's words explicitly ask for this built-in, else 0."""
    cue = _CUES.get(function.builtin or "")
    return CUE_BONUS if cue is not None and cue.search(said) else 0.0
