"""`language.corrections`: the words of a caller line that have the last say on a value."""

import pytest

from voicetools.language import as_meant, corrects_itself, final_words, refused_then, replaced_words


@pytest.mark.parametrize(
    ("line", "final"),
    [
        ("Please cancel appointment 9004, sorry, 9005.", "9005."),
        ("Sorry, I meant 9005.", "9005."),
        ("I meant 9005", "9005"),
        ("Monday, no wait, Tuesday", "Tuesday"),
        ("Make that Tuesday.", "Tuesday."),
        ("make it three thirty", "three thirty"),
        ("Change it to a checkup", "a checkup"),
        ("Tuesday, not Monday", "Tuesday"),
        ("Book Tuesday instead of Monday", "Book Tuesday"),
        ("No, 9005.", "9005."),
        ("Actually the followup", "the followup"),
        ("four four seven, I mean, four four seven one nine", "four four seven one nine"),
        ("at two, or rather at three", "at three"),
        ("The order is 4521, no, 4522.", "4522."),  # a "no" between commas
    ],
)
def test_the_later_value_has_the_last_say(line: str, final: str) -> None:
    assert corrects_itself(line)
    assert final_words(line) == final


@pytest.mark.parametrize(
    "line",
    [
        "Cancel appointment 9004.",
        "Next Monday at 3 pm.",
        "A checkup for John Smith.",
        "Notably, it's order 4521",  # "not" inside a word is no rejection
        "I need a waiter",  # "wait" inside a word is no marker
        "A table, no smoking, for two.",  # "no" here is not between two commas
    ],
)
def test_a_line_without_a_correction_is_kept_whole(line: str) -> None:
    assert not corrects_itself(line)
    assert final_words(line) == line


@pytest.mark.parametrize("line", ["Sorry,", "I meant", "No.", "no thanks, 9005", "No thank you"])
def test_a_marker_with_nothing_after_it_keeps_the_line(line: str) -> None:
    # Nothing follows the marker (or "no thanks" declines): the whole line is all there is.
    assert final_words(line) == line.strip(" ,")


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        (
            "Transfer me to reception, actually no, wait, just tell me your hours on Friday.",
            "just tell me your hours on Friday.",
        ),
        (
            "Open a ticket, my printer is jammed, no sorry, my scanner is jammed.",
            "Open a ticket, my scanner is jammed.",
        ),
        ("Add buy milk, sorry, I meant buy bread", "Add buy bread"),
        (
            "I want a ticket about my monitor, actually no, just get me a technician.",
            "just get me a technician.",
        ),
        ("Book Tuesday, no wait, make that Wednesday at 3", "Book Wednesday at 3"),
        (
            "The weather in Paris, sorry, I mean Vienna, in celsius.",
            "The weather in Vienna, in celsius.",
        ),
        ("Book with Dr. Smith, sorry, I mean Dr. Jones", "Book with Dr. Jones"),
        ("Book a table for Friday, sorry, for Saturday", "Book a table for Saturday"),
        ("Cancel order 4521, sorry, cancel order 4522", "cancel order 4522"),
        ("Add a task to buy milk, no, buy bread.", "Add a task to buy bread."),
    ],
)
def test_a_request_taken_back_mid_line_is_gone_from_the_line_as_meant(
    line: str, meant: str
) -> None:
    assert as_meant(line) == meant


@pytest.mark.parametrize(
    "line",
    [
        "Please cancel appointment 9004, sorry, I meant 9005.",  # a value: final_words reads it
        "Actually, I'd rather have a consultation.",  # nothing before the marker
        "What's the status of order 4521?",  # no correction at all
        "No, thanks.",
    ],
)
def test_a_line_that_corrects_only_a_value_or_nothing_is_kept_whole(line: str) -> None:
    assert as_meant(line) == line


@pytest.mark.parametrize(
    ("line", "then"),
    [
        ("No, don't open a ticket, transfer me to a person.", "transfer me to a person."),
        ("No, don't bother, connect me to a person.", "connect me to a person."),
        ("No, don't text me, just put me through.", "just put me through."),
        ("No, don't do that.", ""),  # refuses, asks nothing new
        ("Please don't cancel it", ""),
        ("Don't worry, it's fine.", None),  # refuses nothing the agent offered
        ("No, thanks.", None),
        ("Transfer me, please.", None),
    ],
)
def test_what_a_line_asks_for_after_refusing(line: str, then: str | None) -> None:
    assert refused_then(line) == then


def test_a_request_after_a_refusal_is_the_line_as_meant() -> None:
    assert as_meant("No, don't do that, transfer me to a technician.") == (
        "transfer me to a technician."
    )


@pytest.mark.parametrize(
    ("value", "line", "swaps"),
    [
        ("mlopez", "Sorry, I meant mlopez7.", {"mlopez": "mlopez7"}),
        ("Novak", "Sorry, the name is Nowak.", {"Novak": "Nowak"}),
        ("Anna Berg", "No, Anna Borg.", {"Berg": "Borg"}),
        ("Novak", "Yes, no problem.", {}),
        ("Novak", "Yes, Novak.", {}),  # the same name is no change
        ("checkup", "okay, let me check my calendar", {}),  # a word cut short is no name
        ("Novak", "I said Novak, not Nowak", {}),  # the turned-down word is not the new one
    ],
)
def test_near_words_replace_the_word_they_correct(
    value: str, line: str, swaps: dict[str, str]
) -> None:
    assert replaced_words(value, line) == swaps
