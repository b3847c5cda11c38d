"""Pure text about what callers say and what the agent says back; no I/O, no model.

The bottom layer above `spec`: dialogue, audio and tools all use it, so it imports none of them.
- numbers: spoken numbers to digits ("forty five twenty one" -> "45 21"), transcript clean-up;
- dates (with day_phrases, time_phrases): relative dates and times resolved in code;
- sentences: the one sentence splitter, for a streamed reply and for text a voice reads;
- corrections: which words of a self-correcting line ("9004, sorry, 9005") have the last say;
- content: the content words of a line, for free text and for telling a garbled line;
- digits: digits said one by one, and what STT writes for them, as one number;
- questions: whether a line asks about something or asks the agent to do something;
- codes: a code of letters and digits said after its noun ("plate B M seven one two Z").
"""

from voicetools.language.codes import code_after
from voicetools.language.content import content_words, words_of
from voicetools.language.corrections import (
    WHEN_WORDS,
    as_meant,
    corrects_itself,
    final_words,
    refused_then,
    replaced_words,
    without_rejected,
)
from voicetools.language.dates import (
    date_format,
    is_date_parameter,
    is_time_parameter,
    names_a_date,
    normalise_arguments,
    resolve_date,
    resolve_time,
    without_when_words,
    write_date,
)
from voicetools.language.day_phrases import MONTHS
from voicetools.language.digits import is_partial_number, misheard_number, one_number
from voicetools.language.numbers import clean_transcript, ordinal_suffix, spoken_to_digits
from voicetools.language.questions import acknowledges, asks_about
from voicetools.language.sentences import complete_sentences, sentence_pieces

__all__ = [
    "acknowledges",
    "as_meant",
    "asks_about",
    "MONTHS",
    "WHEN_WORDS",
    "ordinal_suffix",
    "clean_transcript",
    "code_after",
    "corrects_itself",
    "final_words",
    "complete_sentences",
    "content_words",
    "date_format",
    "is_date_parameter",
    "is_partial_number",
    "is_time_parameter",
    "misheard_number",
    "names_a_date",
    "normalise_arguments",
    "one_number",
    "refused_then",
    "replaced_words",
    "resolve_date",
    "resolve_time",
    "sentence_pieces",
    "spoken_to_digits",
    "without_rejected",
    "without_when_words",
    "words_of",
    "write_date",
]
