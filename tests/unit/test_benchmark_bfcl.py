"""The BFCL live sample: reading the wheel, our agent from BFCL's docs, BFCL's matching rules,
both setups on a scripted model, and the CLI's error without data.

The wheel is a zip built here from a few hand-written lines in BFCL's format (tests/data/bfcl).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from benchmarks import bfcl
from benchmarks.bfcl_agent import to_agent, to_schema
from benchmarks.bfcl_data import (
    DOWNLOAD,
    ENV_DATA,
    BfclCase,
    MissingData,
    find_wheel,
    load_category,
    sample,
)
from benchmarks.bfcl_match import right
from benchmarks.bfcl_run import raw_calls, run_case, template_renderer
from voicetools.testing import ScriptedLLM

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "bfcl"
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}"
    "{% if loop.first and tools %}<tools>{% for t in tools %}{{ t | tojson }}{% endfor %}"
    "</tools>{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
"""A chat template of the Qwen kind, enough to render a case with its tools."""


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    path = tmp_path / "bfcl_eval-2099.1.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for file in FIXTURE.rglob("*.json"):
            archive.write(file, f"bfcl_eval/data/{file.relative_to(FIXTURE).as_posix()}")
        archive.writestr("bfcl_eval/__init__.py", "")
    return path


def case(wheel: Path, category: str, index: int = 0) -> BfclCase:
    return load_category(wheel, category)[index]


def test_cases_come_with_their_possible_answers_and_irrelevance_has_none(wheel: Path) -> None:
    simple = load_category(wheel, "live_simple")
    assert [c.id for c in simple] == ["live_simple_0-0-0", "live_simple_1-1-0"]
    assert simple[0].messages[-1]["content"].startswith("Book a comfort ride")
    assert simple[0].answers[0]["ride.book"]["type"] == ["comfort"]
    assert [f["name"] for f in case(wheel, "live_multiple").functions] == [
        "orders.cancel",
        "orders.status",
    ]
    assert case(wheel, "live_irrelevance").answers == ()


def test_a_folder_or_the_environment_names_the_wheel(
    wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert find_wheel(wheel.parent) == wheel
    monkeypatch.setenv(ENV_DATA, str(wheel))
    assert find_wheel(None) == wheel


def test_a_sample_is_the_same_for_the_same_seed_and_keeps_file_order(wheel: Path) -> None:
    cases = load_category(wheel, "live_simple") * 5
    picked = sample(cases, 4, seed=3)
    assert len(picked) == 4 and picked == sample(cases, 4, seed=3)
    assert sample(cases, 0, seed=3) == cases


def test_dotted_names_become_ours_and_map_back(wheel: Path) -> None:
    built = to_agent(case(wheel, "live_multiple"))
    assert [f.name for f in built.agent.functions] == ["orders_cancel", "orders_status"]
    assert built.original["orders_cancel"] == "orders.cancel"
    assert built.case.utterance == "Cancel order 4521 please."


def test_bfcl_types_become_json_schema_nested_ones_too(wheel: Path) -> None:
    built = to_agent(case(wheel, "live_simple"))
    parameters = built.agent.functions[0].parameters
    assert parameters["type"] == "object" and parameters["required"] == ["loc", "type"]
    assert parameters["properties"]["type"]["enum"] == ["plus", "comfort"]
    options = parameters["properties"]["options"]
    assert options["type"] == "object"
    assert options["properties"]["tip"] == {"type": "number", "default": 0.0}
    weather = to_schema(case(wheel, "live_simple", 1).functions[0]["parameters"])
    assert weather["properties"]["spot"]["type"] == "array"
    assert weather["properties"]["spot"]["items"] == {"type": "number"}
    assert "type" not in weather["properties"]["extra"]  # `any`: every value


def test_the_system_message_becomes_the_instructions(wheel: Path) -> None:
    assert to_agent(case(wheel, "live_simple")).agent.instructions == "You book rides for the user."
    assert to_agent(case(wheel, "live_simple", 1)).agent.instructions.startswith("You are a")


def test_a_call_with_allowed_values_is_right_and_optional_ones_may_be_absent(wheel: Path) -> None:
    ride = case(wheel, "live_simple")
    assert right(ride, [("ride.book", {"loc": "12 elm st.", "type": "comfort", "time": 5})])
    extras = {"child_seat": False}
    assert right(ride, [("ride.book", {"loc": "12 Elm St", "type": "comfort", "time": 5,
                                       "options": extras})])  # fmt: skip
    weather = case(wheel, "live_simple", 1)
    assert right(weather, [("get_weather", {"city": "OSLO", "unit": "celsius"})])


def test_wrong_values_names_counts_and_missing_arguments_are_wrong(wheel: Path) -> None:
    ride = case(wheel, "live_simple")
    good = {"loc": "12 Elm Street", "type": "comfort", "time": 5}
    assert not right(ride, [("ride.book", {**good, "type": "plus"})])
    assert not right(ride, [("ride.book", {**good, "time": "5"})])  # the wrong type
    assert not right(ride, [("ride.book", {k: v for k, v in good.items() if k != "time"})])
    assert not right(ride, [("ride.book", {**good, "colour": "red"})])
    assert not right(ride, [("ride.book", {**good, "options": {"tip": 5.0}})])
    assert not right(ride, [("ride_book", good)])
    assert not right(ride, [("ride.book", good), ("ride.book", good)])
    assert not right(ride, [])
    weather = case(wheel, "live_simple", 1)
    assert not right(weather, [("get_weather", {"city": "Oslo"})])  # unit is not optional


def test_the_multiple_category_needs_the_right_function_of_several(wheel: Path) -> None:
    orders = case(wheel, "live_multiple")
    assert right(orders, [("orders.cancel", {"order_id": "4521"})])
    assert not right(orders, [("orders.status", {"order_id": "4521"})])


def test_irrelevance_is_right_only_without_a_call(wheel: Path) -> None:
    joke = case(wheel, "live_irrelevance")
    assert right(joke, [])
    assert not right(joke, [("orders.status", {"order_id": "1"})])


def test_raw_calls_are_every_tool_call_block_or_a_bare_json_call() -> None:
    two = '<tool_call>\n{"name": "a", "arguments": {"x": 1}}\n</tool_call>\n<tool_call>\n{"name": "b", "arguments": {}}\n</tool_call>'  # noqa: E501
    assert raw_calls(two) == (("a", {"x": 1}), ("b", {}))
    assert raw_calls('{"name": "a", "arguments": {}}') == (("a", {}),)
    assert raw_calls("Sure, here is a joke.") == ()


def test_the_raw_setup_renders_the_models_template_with_bfcl_names(wheel: Path) -> None:
    ride = case(wheel, "live_simple")
    llm = ScriptedLLM().on_call("comfort ride", "ride.book", loc="12 Elm Street", type="comfort",
                                time=5)  # fmt: skip
    result = run_case("raw", llm, template_renderer(CHATML), ride)
    assert result.right and result.calls == (
        ("ride.book", {"loc": "12 Elm Street", "type": "comfort", "time": 5}),
    )
    assert '"name": "ride.book"' in llm.prompts[0] and "You book rides" in llm.prompts[0]


def test_the_voicetools_setup_runs_our_router_and_maps_names_back(wheel: Path) -> None:
    orders = case(wheel, "live_multiple")
    llm = ScriptedLLM().on_call("order 4521", "orders_cancel", order_id="4521")
    result = run_case("voicetools", llm, None, orders)
    assert result.right and result.calls == (("orders.cancel", {"order_id": "4521"}),)
    assert llm.decisions, "the router chose the action"


def test_the_voicetools_setup_asks_instead_of_calling_with_an_invented_value(wheel: Path) -> None:
    orders = case(wheel, "live_multiple")
    llm = ScriptedLLM().on_call("order 4521", "orders_cancel", order_id="9999")
    result = run_case("voicetools", llm, None, orders)
    assert result.calls == () and not result.right


def test_the_table_has_a_row_per_model_and_setup_with_each_category(wheel: Path) -> None:
    cases = [c for k in ("live_simple", "live_irrelevance") for c in load_category(wheel, k)]
    llm = ScriptedLLM().on_call("Oslo", "get_weather", city="Oslo", unit="celsius")
    results = bfcl.run_model(llm, CHATML, cases)
    rows = [bfcl.row("m", setup, cases, got) for setup, got in results.items()]
    assert rows[0] == ["m", "raw", "1/2 (50%)", "-", "1/1 (100%)", "2/3 (67%)", "0"]
    assert "| m | voicetools |" in bfcl.table(rows)


def test_without_data_the_cli_says_how_to_get_it_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(ENV_DATA, raising=False)
    assert bfcl.main(["--sample", "1"]) == 2
    error = capsys.readouterr().err
    assert DOWNLOAD in error and error.count("\n") == 1
    assert bfcl.main(["--data", str(tmp_path)]) == 2
    assert DOWNLOAD in capsys.readouterr().err
    with pytest.raises(MissingData):
        find_wheel(tmp_path / "nothing.whl")
