"""A reply sentence that only repeats the caller's words or the greeting, which callers hear as
the agent not listening ("Sorry, I meant 9005." said back as the agent's own words).

Measured by word overlap with the caller's last line or the greeting: a sentence of at least
`MIN_WORDS` words, `OVERLAP` of which (or more) were in that source, and which says `COVERS` of
the source's words or more ("Yes, please." after the caller's "Yes, please."). One word
("Hello!") is kept, and so is a courtesy said back ("Thank you!"), an answer that reuses a few
of the caller's words ("Order 4521 has shipped.") and a stock question that shares a few words
with a long greeting ("How can I help?"). A sentence stitched from both sources, every word of
it said by one or the other, is a repeat too when it says `COVERS` of one of them ("Quick Lane
Garage, is my car with plate GH 600 ready?").
"""

from __future__ import annotations

from collections.abc import Iterable

from voicetools.dialogue.checks.verbs import words

MIN_WORDS = 2
_COURTESY = frozenset(
    "hi hello hey there thanks thank you bye goodbye good morning afternoon evening too "
    "welcome great have a nice day".split()
)
"""Words of a courtesy, which is said back as a matter of course ("Thanks!" "Thank you!")."""
OVERLAP = 0.8
"""Share of a sentence's words found in one source that makes it a repeat: "How can I help
you?" after the greeting "How can I help you today?" is 1.0; "Your order 4521 has shipped."
after "Where is order 4521?" is 0.4."""
COVERS = 0.5
"""Share of the source's words the sentence must say again: "How can I help?" says 4 of the 10
words of "Hello! Thanks for calling. How can I help you today?", and is kept."""


def parrots(sentence: str, sources: Iterable[str]) -> bool:
    """Whether `sentence` mostly repeats one of `sources` (the caller's line, the greeting)."""
    said = words(sentence)
    if len(said) < MIN_WORDS or _COURTESY.issuperset(said):
        return False
    known_by_source = [set(words(source)) for source in sources]
    known_by_source = [known for known in known_by_source if known]
    stitched = set(said) <= set().union(*known_by_source)
    for known in known_by_source:
        if not stitched and sum(w in known for w in said) / len(said) < OVERLAP:
            continue
        if len(known & set(said)) / len(known) >= COVERS:
            return True
    return False
