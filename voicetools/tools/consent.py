"""What a caller's reply to a confirmation question means: yes, no, a question, a change, unclear.

Consent is decided here, in code, and only an explicit affirmative with nothing that undermines
it is a yes. Everything else is weighed in this order, so the safe reading always wins:

* CHANGE: a change word ("instead", "make it", "rather") or, after "but"/"actually"/"no", a
  value the pending call does not hold ("Sure, but delete task 4 instead", "no, task 4",
  "yes but tomorrow"); also any new value said as a statement ("yes, task 4"), and a word
  that nearly matches a value being read back ("Sorry, I meant mlopez7" to "... for mlopez?").
* QUESTION: a question mark, a question word anywhere (which, what, why...), or a clause that
  opens like a question ("is that the right one", "can you...") even without the "?" that
  speech-to-text often drops.
* UNCLEAR: a hedge ("I'm not sure", "maybe").
* NO: a negation or refusal ("no wait", "not yet", "let me think", "keep it").
* YES: an affirmative ("yes", "go ahead", "uh huh") whose other words are all harmless: filler,
  words of the function's name ("yes, cancel it" to "cancel appointment 12?"), or the values
  being read back ("yes, task 3").
* UNCLEAR: anything else ("Okay, let me check my calendar", "no problem").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from voicetools.language import replaced_words
from voicetools.spec.model import Function
from voicetools.tools.readback import spoken_value


class Consent(StrEnum):
    """What a reply to a confirmation question means."""

    YES = "yes"
    NO = "no"
    QUESTION = "question"
    CHANGE = "change"
    UNCLEAR = "unclear"


_AFFIRM = """yes | yeah | yea | yep | yup | ya | yah | yes please | sure | ok | okay | correct |
right | exactly | confirm | confirmed | i confirm | go ahead | go for it | please do | do it |
do that | please proceed | proceed | absolutely | definitely | certainly | affirmative |
sounds good | of course | alright | all right | perfect | fine | uh huh | mhm | mhmm | mm hmm |
why not | i'm sure | i am sure | you bet | that's right | that is right | that's correct |
that's it | that's fine | sure thing"""
_REFUSE = """no | nope | nah | no thanks | no thank you | don't | dont | do not | not | never |
never mind | nevermind | cancel | stop | wait | hold on | hang on | hold off | negative | wrong |
keep | keep it | leave it | forget it | forget about it | not now | not yet | later |
let me think | think about it | i'll think | rather not | i'd rather not | skip it | abort |
no way | not really | i don't think so | changed my mind | change my mind | one moment |
one sec | one second | just a moment | just a sec | just a second | a moment | give me a second |
don't do it | no don't"""
_HEDGE = """not sure | i'm not sure | don't know | dont know | do not know | no idea | maybe |
perhaps | i guess | i suppose | probably | i think so | possibly | kind of | sort of | hmm |
i think | unsure"""
_NEUTRAL = """no problem | not a problem | no worries | thank you | thanks"""
_CHANGE = """instead | make it | make that | change it | change that | change to | change the |
change | switch | swap | rather | the other one | a different | different one | not that one"""
_WEAK_CHANGE = frozenset({"but", "actually", "no", "not", "only", "just", "wait"})
"""Words that turn a new value into a change even inside a question."""

_QUESTION_WORDS = frozenset(
    "which what what's whats who who's whom whose where where's when why how how's".split()
)
_QUESTION_OPENERS = frozenset(
    """is isn't are aren't was wasn't were can can't could couldn't would wouldn't will won't
    should shall does doesn't did didn't has am""".split()
)
_PRONOUNS = frozenset("you i we they he she it that this".split())
_LEAD_IN = frozenset(
    """ok okay so and but um uh er erm well oh ah yes yeah sure right hmm sorry alright then
    like hey also hold on wait""".split()
)
_HARMLESS = frozenset(
    """please thanks thank you it that this go ahead do just um uh uhm er erm ah oh well and
    i i'm im am me for now really very much great good cool the a an one with to at on is all
    set sir ma'am totally yes okay ok sure hey that's thats it's want""".split()
)
_DANGLING = frozenset("and so but or because if then".split())
"""A reply that ends on one of these was cut off: what follows could undo the yes."""
_DATE_WORDS = frozenset(
    """today tonight tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday
    weekend week month morning afternoon evening night noon midnight pm o'clock earlier
    january february march april june july august september october november december""".split()
)
"""Words that name a day or a time ("may" and "am" are left out: "yes you may", "yes I am")."""
_UNITS = "zero one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 10 + i for i, w in enumerate(_TEENS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
}
_DETERMINERS = frozenset("the that this which other right wrong same a an last new any".split())
_TOKEN = re.compile(r"[a-z0-9']+")
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def _phrases(spec: str) -> list[tuple[str, ...]]:
    return [tuple(p.split()) for p in (s.strip() for s in spec.split("|")) if p]


_TAGGED = sorted(
    [(p, "affirm") for p in _phrases(_AFFIRM)]
    + [(p, "refuse") for p in _phrases(_REFUSE)]
    + [(p, "hedge") for p in _phrases(_HEDGE)]
    + [(p, "neutral") for p in _phrases(_NEUTRAL)]
    + [(p, "change") for p in _phrases(_CHANGE)],
    key=lambda item: -len(item[0]),
)


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    words = (t.strip("'") for t in _TOKEN.findall(text))
    return [_ORDINAL.sub(r"\1", w) for w in words if w]


def _tag(words: list[str], own: frozenset[str]) -> tuple[set[str], list[str]]:
    """The kinds of phrase found (longest first), and the words left over."""
    kinds: set[str] = set()
    rest: list[str | None] = list(words)
    for phrase, kind in _TAGGED:
        n = len(phrase)
        for i in range(len(rest) - n + 1):
            if tuple(rest[i : i + n]) == phrase:
                if kind == "refuse" and n == 1 and phrase[0] in own:
                    continue  # "cancel" answering "cancel appointment 12?"
                kinds.add(kind)
                rest[i : i + n] = [None] * n
    return kinds, [w for w in rest if w is not None]


def _numbers(words: list[str]) -> list[tuple[str, ...]]:
    """Each run of numbers said as digits or words: "four five" -> ("4", "5"), "twenty one"
    -> ("21",); "one" after a determiner ("that one") is a pronoun, not a number."""
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    for i, word in enumerate([*words, ""]):
        pronoun = word == "one" and not run and i > 0 and words[i - 1] in _DETERMINERS
        if word.isdigit():
            run.append(str(int(word)))
            continue
        if word in _NUMBER_WORDS and not pronoun:
            value = _NUMBER_WORDS[word]
            if run and value < 10 and len(run[-1]) == 2 and run[-1].endswith("0"):
                run[-1] = str(int(run[-1]) + value)  # "twenty" "one" -> "21"
            else:
                run.append(str(value))
            continue
        if run:
            runs.append(tuple(run))
            run = []
    return runs


def _new_number(words: list[str], known: set[str]) -> bool:
    """Whether a number in the reply is not one of the pending call's ("4" when it holds 3)."""
    return any(
        str(int("".join(run))) not in known and not known.issuperset(run) for run in _numbers(words)
    )


def _known(
    function: Function | None, arguments: Mapping[str, Any], question: str
) -> tuple[set[str], set[str]]:
    """Words and numbers the pending call already holds: harmless to repeat in a yes."""
    texts = [question, *(t for v in arguments.values() for t in (str(v), spoken_value(v)))]
    if function is not None:
        texts += [function.name.replace("_", " "), *(n.replace("_", " ") for n in arguments)]
    words = {w for text in texts for w in _tokens(text)}
    numbers = {str(int(w)) for w in words if w.isdigit()}
    numbers.update(str(int(h + m)) for t in texts for h, m in _CLOCK.findall(t))  # 2:30 as 230
    return words, numbers


def _new_enum_value(
    function: Function | None, arguments: Mapping[str, Any], words: list[str]
) -> bool:
    """Whether the reply names an allowed value of a parameter other than the pending one."""
    said = f" {' '.join(words)} "
    for name, schema in function.properties.items() if function is not None else ():
        choices = schema.get("enum") if isinstance(schema, Mapping) else None
        for choice in choices if isinstance(choices, list) else ():
            spoken = " ".join(_tokens(str(choice).replace("_", " ")))
            if spoken and choice != arguments.get(name) and f" {spoken} " in said:
                return True
    return False


def _corrects_a_name(function: Function | None, arguments: Mapping[str, Any], reply: str) -> bool:
    """Whether the reply nearly repeats a name or code being read back, changed ("Sorry, I
    meant mlopez7" to "Reset the password for mlopez?"); enum values have their own rule."""
    for name, value in arguments.items():
        schema = function.properties.get(name) if function is not None else None
        if isinstance(schema, Mapping) and "enum" in schema:
            continue
        if isinstance(value, str) and replaced_words(value, reply):
            return True
    return False


def _is_question(text: str, rest: list[str]) -> bool:
    """A question mark, a question word outside a set phrase ("why not"), or a clause that
    opens like a question."""
    if "?" in text or _QUESTION_WORDS.intersection(rest):
        return True
    for clause in re.split(r"[,.;:!\u2014\u2013]", text):
        opening = _tokens(clause)
        while opening and opening[0] in _LEAD_IN:
            opening.pop(0)
        if not opening:
            continue
        first, second = opening[0], (opening[1] if len(opening) > 1 else "")
        if first in _QUESTION_OPENERS or (first in ("do", "have") and second in _PRONOUNS):
            if not (first == "do" and second in ("it", "that", "this")):
                return True
    return False


def classify(
    reply: str,
    function: Function | None = None,
    arguments: Mapping[str, Any] | None = None,
    question: str = "",
) -> Consent:
    """What `reply` means as an answer to `question` about `function` called with `arguments`."""
    arguments = arguments or {}
    words = _tokens(reply)
    if not words:
        return Consent.UNCLEAR
    own = frozenset(_tokens(function.name.replace("_", " ") if function is not None else ""))
    kinds, rest = _tag(words, own)
    known_words, known_numbers = _known(function, arguments, question)
    new_value = (
        _new_number(rest, known_numbers)
        or any(w in _DATE_WORDS and w not in known_words for w in rest)
        or _new_enum_value(function, arguments, words)
        or _corrects_a_name(function, arguments, reply)
    )
    if "change" in kinds or (new_value and _WEAK_CHANGE.intersection(words)):
        return Consent.CHANGE
    if _is_question(reply.lower(), rest):
        return Consent.QUESTION
    if new_value:
        return Consent.CHANGE
    if "hedge" in kinds:
        return Consent.UNCLEAR
    if "refuse" in kinds:
        return Consent.NO
    harmless = _HARMLESS | known_words | own
    # a number left here is one the pending call holds ("yes, task three")
    if (
        "affirm" in kinds
        and words[-1] not in _DANGLING
        and all(w in harmless or w.isdigit() or w in _NUMBER_WORDS for w in rest)
    ):
        return Consent.YES
    return Consent.UNCLEAR
