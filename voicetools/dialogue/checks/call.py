"""What code checks before a call the model chose may run: one function, used by the engine and
by the decisions benchmark, so the benchmark scores exactly what the engine would do.

- end_call only when the caller is saying goodbye: a small model sometimes routes "thanks,
  you're very helpful" to end_call, and hanging up on a caller is the costliest mistake a
  voice agent can make. Anything else gets "Is there anything else...?".
- Dates and times are resolved in code from what the caller said (`dates.normalise_arguments`).
- Spoken digits and enum values the model garbled or invented are taken back from the
  caller's words (`repair`).
- Required arguments that are missing, and identifiers the caller never said, are asked for
  (`grounding`), never invented; so is free text nobody said (`free_text`), and a number read
  digit by digit is one number or asked back (`digit_values`).
- A garbled or empty line never runs a call with side effects (`side_effects`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from voicetools.dialogue.checks.digit_values import DIGIT_BY_DIGIT, joined_digits, unclear_numbers
from voicetools.dialogue.checks.free_text import free_text_grounded
from voicetools.dialogue.checks.grounding import missing_required, question_for, ungrounded
from voicetools.dialogue.checks.repair import repaired
from voicetools.dialogue.checks.side_effects import SAY_AGAIN, blocks
from voicetools.language import normalise_arguments
from voicetools.spec.model import Function

ANYTHING_ELSE = "Is there anything else I can help you with?"

_GOODBYE = re.compile(
    r"\b(bye|goodbye|good bye|bye bye|farewell|see you|see ya|talk to you later|take care|"
    r"have a (good|great|nice) (day|one|night|evening|weekend)|that'?s (all|it|everything)|"
    r"that is (all|it|everything)|nothing else|i'?m done|i am done|we'?re done|hang up|"
    r"end (the|this) call|no,? thanks?|no,? thank you|all set|good ?night)\b",
    re.IGNORECASE,
)


def sounds_like_goodbye(text: str) -> bool:
    """True when the caller's words close the conversation."""
    return bool(_GOODBYE.search(text.replace("’", "'")))


@dataclass(frozen=True)
class Checked:
    """The outcome of the checks: arguments to run with, or what to say instead."""

    arguments: dict[str, Any] = field(default_factory=dict)
    """The arguments to run with (dates resolved); empty when `say` is set."""
    say: str = ""
    """A question or prompt for the caller instead of running the call."""
    asks_for: tuple[str, ...] = ()
    """The argument names the question asks for."""

    @property
    def runs(self) -> bool:
        return not self.say


def check_call(
    function: Function,
    arguments: Mapping[str, Any],
    *,
    utterance: str,
    caller_turns: Sequence[str],
    variables: Mapping[str, str],
    heard: Sequence[str],
    today: date,
) -> Checked:
    """Whether the model's call of `function` may run, and with which arguments."""
    if function.builtin == "end_call" and not sounds_like_goodbye(utterance):
        return Checked(say=ANYTHING_ELSE)
    resolved = joined_digits(function, normalise_arguments(function, arguments, utterance, today))
    sources = [*caller_turns, *variables.values(), *heard]
    resolved = repaired(
        function, resolved, utterance=utterance, caller_turns=caller_turns, sources=sources
    )
    if blocks(function, resolved, utterance):
        return Checked(say=SAY_AGAIN)
    unclear = unclear_numbers(function, resolved, utterance)
    if unclear:
        return Checked(say=DIGIT_BY_DIGIT, asks_for=tuple(unclear))
    resolved, unsaid = free_text_grounded(function, resolved, sources)
    missing = (
        missing_required(function, resolved)
        + ungrounded(function, resolved, caller_turns, variables, extra_sources=heard)
        + unsaid
    )
    if missing:
        names = tuple(dict.fromkeys(missing))
        return Checked(say=question_for(function, list(names)), asks_for=names)
    return Checked(arguments=resolved)
