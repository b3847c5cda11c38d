"""`language.asks_about`: a question about something, told from a request phrased as one;
`language.acknowledges`: a line that only thanks."""

import pytest

from voicetools.language import acknowledges, asks_about


@pytest.mark.parametrize(
    "line",
    [
        "Hmm, first tell me, is my car with plate GH 600 ready?",
        "What's the status of order 4521?",
        "Do you have a followup free tomorrow?",
        "Have you got my order?",
        "OK, where's my package?",
        "and when does the pharmacy close",
    ],
)
def test_a_question_about_the_world_asks_about_it(line: str) -> None:
    assert asks_about(line)


@pytest.mark.parametrize(
    "line",
    [
        "Can you book me in for Tuesday?",
        "Could I talk to a person?",
        "Would you cancel it, please?",
        "Is that right?",
        "What about Tuesday?",
        "I'd like to book an oil change.",
        "Please transfer me to a person.",
        "Do it.",
        "Yes.",
        "",
    ],
)
def test_requests_checks_and_answers_ask_about_nothing(line: str) -> None:
    assert not asks_about(line)


@pytest.mark.parametrize(
    ("line", "thanks"),
    [
        ("Great, thanks.", True),
        ("OK, thank you very much.", True),
        ("That's all, thanks.", True),
        ("Thanks, is it ready?", False),
        ("Thanks, book it for Friday.", False),
        ("Yes.", False),  # an answer, not thanks
        ("Everything and", False),
        ("", False),
    ],
)
def test_a_line_that_only_thanks(line: str, thanks: bool) -> None:
    assert acknowledges(line) is thanks
