"""Every value grounded: digits said one by one, free text by content words, corrections,
and no side-effecting call on a garbled line (issue 12 item 3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from voicetools.dialogue.checks.call import Checked, check_call
from voicetools.dialogue.checks.digit_values import DIGIT_BY_DIGIT
from voicetools.dialogue.checks.free_text import SaidWords
from voicetools.dialogue.checks.grounding import said_last
from voicetools.dialogue.checks.side_effects import SAY_AGAIN, is_lookup
from voicetools.language import content_words, is_partial_number, misheard_number, one_number
from voicetools.spec import load_agent
from voicetools.spec.model import Agent

AGENTS = Path(__file__).resolve().parents[2] / "agents"
ADDRESS = "123 Main St, City A, USA"


@pytest.fixture(scope="module")
def utility() -> Agent:
    return load_agent(AGENTS / "utility.yaml")


def _check(
    agent: Agent, name: str, arguments: dict[str, object], *turns: str, heard: Sequence[str] = ()
) -> Checked:
    function = agent.function(name)
    assert function is not None
    return check_call(
        function,
        arguments,
        utterance=turns[-1],
        caller_turns=list(turns),
        variables=agent.variables,
        heard=heard,
        today=date(2026, 12, 1),
    )


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("7 7 3 0 1 9", "773019"),
        ("7, 7, 3, 0, 1, 9", "773019"),  # pauses written as commas
        ("seven seven three oh one nine", "773019"),
        ("seven seven three zero one nine", "773019"),
        ("double seven three oh one nine", "773019"),
        ("four four seven one nine", "44719"),
        ("3.0.822", "30822"),  # what STT writes for "three, oh, eight two two"
        ("773.019", "773019"),
        ("44 71 9", "44719"),
        ("773-019", "773019"),
        (773019, "773019"),
    ],
)
def test_digits_said_one_by_one_are_one_number(said: object, digits: str) -> None:
    assert one_number(said) == digits


@pytest.mark.parametrize("value", ["4471-Ine", "44719ine", "account seven", "", True])
def test_a_value_with_words_in_it_is_not_a_number(value: object) -> None:
    assert one_number(value) is None


@pytest.mark.parametrize("line", ["It's 4471-Ine.", "My account is 44719ine"])
def test_digits_run_into_letters_are_misheard_number(line: str) -> None:
    assert misheard_number(line)


@pytest.mark.parametrize("line", ["At 3pm on the 21st", "Account 773019", "in the 1990s"])
def test_ordinary_lines_are_readable(line: str) -> None:
    assert not misheard_number(line)


def test_a_number_shorter_than_the_schema_wants_is_partial_number() -> None:
    six = {"type": "string", "pattern": "^[0-9]{6}$"}
    assert is_partial_number(six, "4471") and not is_partial_number(six, "773019")
    assert is_partial_number({"minLength": 5}, "4471") and not is_partial_number({}, "1")


def test_content_words_drop_fillers_and_function_words_and_fold_spellings() -> None:
    assert content_words("Um, the boxes arrived crushed at twelve Oak St.") == [
        "box", "arrived", "crushed", "12", "oak", "street",
    ]  # fmt: skip
    assert content_words("Everything and") == []
    assert content_words("It's S M I T H") == ["smith"]


@pytest.mark.parametrize(
    ("value", "grounded"),
    [
        ("box arrived crushed", True),
        ("crushed box", True),
        ("42 Elm Street", True),
        ("42 Elm St", True),
        ("24 Elm Street", False),  # every number must be said
        ("box crushed, lid missing, refund owed, manager called", False),  # under half said
        (ADDRESS, False),
    ],
)
def test_free_text_is_grounded_by_half_its_content_words_and_all_its_numbers(
    value: str, grounded: bool
) -> None:
    said = SaidWords(["The box arrived all crushed, I live at 42 Elm Street."])
    assert said.ground(value) is grounded


def test_the_address_nobody_said_is_asked_for(utility: Agent) -> None:
    checked = _check(
        utility,
        "report_outage",
        {"address": ADDRESS, "description": "power is out"},
        "Hi, the power is out in my house.",
    )
    assert not checked.runs and checked.asks_for == ("address",)
    assert "address" in checked.say.lower()


def test_a_said_address_runs(utility: Agent) -> None:
    checked = _check(
        utility,
        "report_outage",
        {"address": "42 Elm Street", "description": "lights went off"},
        "The power is out at 42 Elm Street, all the lights went off.",
    )
    assert checked == Checked(
        arguments={"address": "42 Elm Street", "description": "lights went off"}
    )


def test_an_address_from_a_tool_result_the_caller_heard_is_grounded(utility: Agent) -> None:
    heard = ['{"account_number": "773019", "service_address": "9 Birch Lane"}']
    checked = _check(
        utility,
        "report_outage",
        {"address": "9 Birch Lane", "description": "no power"},
        "There's no power at my place, the address on my account.",
        heard=heard,
    )
    assert checked.runs


def test_an_optional_free_text_value_nobody_said_is_dropped(orders: Agent) -> None:
    function = orders.function("create_support_ticket")
    assert function is not None
    # order_id is an identifier (grounding asks); the shape of the rule is in free_text
    checked = _check(
        orders, "create_support_ticket", {"issue": "broken lid"}, "My lid came broken."
    )
    assert checked.runs and checked.arguments == {"issue": "broken lid"}
    asked = _check(orders, "create_support_ticket", {"issue": "late delivery"}, "Open a ticket.")
    assert asked.asks_for == ("issue",)


@pytest.mark.parametrize(
    "line",
    [
        "My account number is 7 7 3 0 1 9",
        "It's seven seven three oh one nine.",
        "account double seven three, zero, one, nine",
        "773.019",
    ],
)
def test_a_spelled_account_number_reaches_the_call_as_one_number(utility: Agent, line: str) -> None:
    for written in ("7 7 3 0 1 9", "773019", "773.019"):
        checked = _check(utility, "get_account_balance", {"account_number": written}, line)
        assert checked == Checked(arguments={"account_number": "773019"}), (line, written)


def test_a_misheard_number_is_asked_again_digit_by_digit(utility: Agent) -> None:
    for written in ("4471-Ine", "4471"):
        checked = _check(
            utility, "get_account_balance", {"account_number": written}, "It's 4471-Ine."
        )
        assert checked.say == DIGIT_BY_DIGIT and checked.asks_for == ("account_number",)


def test_part_of_a_number_is_asked_for_never_passed_on(utility: Agent) -> None:
    checked = _check(utility, "get_account_balance", {"account_number": "4471"}, "It's 44 71.")
    assert checked.say == DIGIT_BY_DIGIT and not checked.runs


def test_after_sorry_the_later_number_wins(utility: Agent) -> None:
    line = "My account is 773019, sorry, I mean 305822."
    for written in ("773019", "305822"):
        checked = _check(utility, "get_account_balance", {"account_number": written}, line)
        assert checked.arguments == {"account_number": "305822"}
    assert "773019" not in said_last(line) and said_last("Account 773019") == "Account 773019"


def test_a_number_the_caller_took_back_is_not_grounded_by_that_line() -> None:
    assert said_last("Cancel 9004, sorry, 9005").endswith("9005")
    assert "9004" not in said_last("Cancel 9004, sorry, 9005")
    assert said_last("Tuesday, not Monday") == "Tuesday"


def test_the_garbled_line_never_files_a_report(utility: Agent) -> None:
    for line in ("Everything and", "Um", "", "and the"):
        checked = _check(
            utility, "report_outage", {"address": ADDRESS, "description": "outage"}, line
        )
        assert checked.say == SAY_AGAIN and not checked.runs, line


def test_a_short_line_that_answers_the_question_is_not_garbled(utility: Agent) -> None:
    checked = _check(
        utility,
        "report_outage",
        {"address": "Oakville", "description": "lights off"},
        "The lights are off at my house.",
        "Oakville.",
    )
    assert checked.runs


def test_a_lookup_on_a_short_line_is_left_to_grounding(utility: Agent) -> None:
    checked = _check(utility, "get_account_balance", {"account_number": "123456"}, "Everything")
    assert checked.say != SAY_AGAIN and checked.asks_for == ("account_number",)


def test_lookups_are_told_from_functions_with_side_effects(utility: Agent, orders: Agent) -> None:
    assert is_lookup(utility.functions[0]) and not is_lookup(utility.functions[1])
    status, ticket, transfer = (orders.function(n) for n in ("get_order_status",
                                "create_support_ticket", "transfer_call"))  # fmt: skip
    assert status is not None and ticket is not None and transfer is not None
    assert is_lookup(status) and not is_lookup(ticket) and not is_lookup(transfer)


def test_a_correction_of_something_else_leaves_the_number_alone() -> None:
    tasks = load_agent(AGENTS / "task_manager.yaml")
    line = "Actually, I mean the one due on the 3rd."
    checked = _check(tasks, "complete_task", {"task_id": 12}, "Complete task 12.", line)
    assert checked.arguments == {"task_id": 12}
    corrected = _check(tasks, "complete_task", {"task_id": 12}, "Task 12, sorry, 13.")
    assert corrected.arguments == {"task_id": 13}
