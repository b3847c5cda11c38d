"""Whether the caller's words at a pause sound finished: rules first, then the loaded model.

The voice loop transcribes early, at a short pause (`runtime.preempt`). With that transcript
it can end the turn at once when the words are complete, and wait longer when they are not
("I want to book a table for" ... "two"), instead of one fixed silence for every turn.

Rules decide when they can, without the model:
- a line ending in a word that needs another ("and", "to", "the", "my", "for", "um") is never
  finished;
- a yes or a no while a confirmation question is pending is finished (`tools.classify`).

Otherwise the model is asked how likely the caller's turn ends here: the prompt is the
conversation so far, in the decider's format, with the caller's turn opened and their words
in it, trailing punctuation removed (Whisper writes a full stop after half a sentence too).
The probability that the next token closes the sentence or the turn (".", "?", "!", the
end-of-turn token) is P(finished). Measured on the 0.5B model (docs/decisions.md): 22 half
sentences all scored under 0.0013, 22 of 23 whole ones over 0.002, so the scale is
logarithmic and the two thresholds are far apart. The prompt is the start of the decision's
own prompt, so llama.cpp keeps its tokens in the KV cache and the decision that follows
pays only for the end-of-turn tokens.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicetools.backends.base import LLM, ScoresContinuations
from voicetools.dialogue.decision.generation import run_locked
from voicetools.dialogue.decision.prompt import IM_END, IM_START
from voicetools.tools import Consent, classify

ENDINGS: tuple[str, ...] = (".", "?", "!", ".\n", "?\n", "!\n", IM_END)
"""What may follow a finished line: each is one token on Qwen2.5, so one evaluation scores all."""
FINISHED_AT = 0.01
"""P(finished) from which the turn ends at the pause (the highest half sentence measured
scored 0.0013)."""
UNFINISHED_BELOW = 0.002
"""P(finished) under which the loop waits longer (whole sentences mostly scored over 0.002)."""
DANGLING = frozenset(
    """a an the my your our their and or but because if than of to for
    i'm i'd i'll we're you're they're um uh er erm""".split()
)
"""Last words after which a line is never finished. Only words that almost never end a
sentence: "is" ends "can you tell me where my order is", "that" ends "I'd like that", "so"
ends "I think so", so those are left to the model (a digit group is another matter: the loop
does not end a turn early when digits are expected at all)."""
_WORD = re.compile(r"[a-z0-9']+")
_TRAILING = re.compile(r"[\s.?!,;:\u2026-]+$")


@dataclass(frozen=True)
class TurnEnd:
    """Whether the caller's words at a pause sound finished."""

    finished: bool | None
    """True: end the turn now; False: wait longer; None: no opinion (the usual silence)."""
    why: str
    """What decided, in a few words: "dangling word", "yes or no", "model", "no model"."""
    probability: float | None = None
    """The model's P(finished), when it was asked."""


def bare(text: str) -> str:
    """`text` without trailing punctuation: what the model continues."""
    return _TRAILING.sub("", text.strip())


def by_rules(text: str, *, confirming: bool) -> TurnEnd | None:
    """A verdict from the words alone, or None when the model must be asked."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    if not words:
        return TurnEnd(None, "no words")
    if words[-1] in DANGLING:
        return TurnEnd(False, "dangling word")
    if confirming and classify(text) in (Consent.YES, Consent.NO):
        return TurnEnd(True, "yes or no")
    return None


def verdict(probability: float) -> TurnEnd:
    """The model's P(finished) as a verdict (module docstring: the thresholds)."""
    if probability >= FINISHED_AT:
        return TurnEnd(True, "model", probability)
    if probability < UNFINISHED_BELOW:
        return TurnEnd(False, "model", probability)
    return TurnEnd(None, "model", probability)


def probe_prompt(prefix: str, text: str) -> str:
    """`prefix` (the conversation, ending after a closed turn) with the caller's turn opened
    and `text` in it, unpunctuated at its end."""
    return f"{prefix}{IM_START}user\n{bare(text)}"


async def judge(llm: LLM | None, prefix: str, text: str, *, confirming: bool = False) -> TurnEnd:
    """Rules, then (when `llm` can score continuations) the model: see the module docstring."""
    ruled = by_rules(text, confirming=confirming)
    if ruled is not None:
        return ruled
    if not isinstance(llm, ScoresContinuations):
        return TurnEnd(None, "no model")
    scorer = llm
    prompt = probe_prompt(prefix, text)
    scores = await run_locked(llm, lambda: scorer.score_continuations(prompt, ENDINGS))
    return verdict(finished_probability(scores))


def finished_probability(scores: Sequence[float]) -> float:
    """The summed probability of the endings, from their log-probabilities."""
    return min(1.0, sum(math.exp(s) for s in scores))
