"""Filler while a tool runs, on virtual time (voicetools.dialogue.filler, .clock)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetools.dialogue.clock import MonotonicClock, VirtualClock
from voicetools.dialogue.filler import DEFAULT_PHRASES, STILL_WORKING, FillerLine, FillerPlanner
from voicetools.spec.model import Function


def fn(filler: tuple[str, ...] | None = None, builtin: str | None = None) -> Function:
    return Function(
        name=builtin or "lookup",
        description="",
        parameters={"type": "object", "properties": {}},
        kind="builtin" if builtin else "mock",
        builtin=builtin,
        filler=filler,
    )


def test_fast_tool_gets_no_filler() -> None:
    plan = FillerPlanner().plan(fn())
    assert plan.due(0.0) == []
    assert plan.due(0.39) == []
    plan.finish()  # the result came at 0.39 s
    assert plan.due(10.0) == []
    assert plan.said == []
    assert plan.next_due_s() is None


def test_first_line_after_the_delay_then_still_working() -> None:
    plan = FillerPlanner(delay_s=0.4, second_after_s=3.0).plan(fn())
    assert plan.next_due_s() == 0.4
    first = plan.due(0.4)
    assert len(first) == 1 and first[0] in DEFAULT_PHRASES
    assert plan.due(1.0) == []
    assert plan.next_due_s() == 3.0
    second = plan.due(3.2)
    assert len(second) == 1 and second[0] in STILL_WORKING
    assert plan.due(60.0) == []  # never a third line
    assert plan.said == [FillerLine(0.4, first[0]), FillerLine(3.0, second[0])]


def test_a_late_poll_returns_every_line_due_once_in_order() -> None:
    plan = FillerPlanner().plan(fn(("Checking.",)))
    lines = plan.due(5.0)
    assert lines[0] == "Checking." and lines[1] in STILL_WORKING
    assert plan.due(5.0) == []


def test_the_functions_phrases_are_used() -> None:
    plan = FillerPlanner().plan(fn(("Let me look at the calendar.",)))
    assert plan.due(0.5) == ["Let me look at the calendar."]


def test_empty_filler_means_silent() -> None:
    plan = FillerPlanner().plan(fn(()))
    assert plan.silent and plan.next_due_s() is None
    assert plan.due(100.0) == []


@pytest.mark.parametrize("builtin", ["end_call", "transfer_call", "press_digit"])
def test_builtins_that_speak_for_themselves_are_silent(builtin: str) -> None:
    assert FillerPlanner().plan(fn(builtin=builtin)).due(10.0) == []


def test_send_sms_gets_a_default_filler_and_authors_can_give_builtins_phrases() -> None:
    assert FillerPlanner().plan(fn(builtin="send_sms")).due(0.5)
    assert FillerPlanner().plan(fn(("Connecting you.",), "transfer_call")).due(0.5) == [
        "Connecting you."
    ]


def test_agent_default_phrases() -> None:
    planner = FillerPlanner(default_phrases=["Hang on.", "Right, checking."])
    said = {planner.plan(fn()).due(0.5)[0] for _ in range(20)}
    assert said == {"Hang on.", "Right, checking."}


def test_single_phrase_never_repeats_back_to_back() -> None:
    planner = FillerPlanner()
    one = fn(("Let me check that for you...",))
    first = planner.plan(one).due(0.5)
    second = planner.plan(one).due(0.5)
    assert first == ["Let me check that for you..."]
    assert second != first and second[0] in DEFAULT_PHRASES


def test_a_phrase_not_said_does_not_count() -> None:
    planner = FillerPlanner()
    one = fn(("Only phrase.",))
    planner.plan(one).finish()  # fast tool: nothing said
    assert planner.last is None
    assert planner.plan(one).due(0.5) == ["Only phrase."]


@given(st.integers(0, 10_000), st.lists(st.sampled_from([0.1, 0.5, 2.0, 4.0]), max_size=30))
def test_never_the_same_phrase_twice_in_a_row(seed: int, durations: list[float]) -> None:
    planner = FillerPlanner(seed=seed)
    functions = [fn(), fn(("Let me check that for you...",)), fn(("A.", "B."))]
    spoken: list[str] = []
    for i, duration in enumerate(durations):
        plan = planner.plan(functions[i % len(functions)])
        spoken += plan.due(duration)
        plan.finish()
    assert all(a != b for a, b in zip(spoken, spoken[1:], strict=False))


def test_same_seed_same_phrases() -> None:
    def run(seed: int) -> list[str]:
        planner = FillerPlanner(seed=seed)
        return [line for _ in range(10) for line in planner.plan(fn()).due(4.0)]

    assert run(7) == run(7)
    assert run(1) != run(2) or run(1) != run(3)


def test_virtual_clock_advances_and_wakes_sleepers_in_order() -> None:
    async def main() -> list[str]:
        clock = VirtualClock()
        woke: list[str] = []

        async def sleeper(name: str, seconds: float) -> None:
            await clock.sleep(seconds)
            woke.append(f"{name}@{clock.now():.1f}")

        tasks = [asyncio.create_task(sleeper("b", 2.0)), asyncio.create_task(sleeper("a", 1.0))]
        await asyncio.sleep(0)
        assert clock.pending == 2
        clock.advance(1.5)
        await asyncio.sleep(0)
        assert woke == ["a@1.5"]
        clock.advance(1.0)
        await asyncio.gather(*tasks)
        return woke

    assert asyncio.run(main()) == ["a@1.5", "b@2.5"]
    with pytest.raises(ValueError):
        VirtualClock().advance(-1)


def test_driving_a_plan_with_a_virtual_clock() -> None:
    """How a loop uses a plan: wait for the result or the next line, whichever comes first."""

    async def run(tool_seconds: float) -> list[tuple[float, str]]:
        clock = VirtualClock()
        plan = FillerPlanner().plan(fn())
        start = clock.now()
        tool = asyncio.ensure_future(clock.sleep(tool_seconds))
        await asyncio.sleep(0)  # let the tool start (and register its deadline)
        heard: list[tuple[float, str]] = []
        while not tool.done():
            due_at = plan.next_due_s()
            step = tool_seconds if due_at is None else min(tool_seconds, due_at)
            clock.advance(max(0.0, start + step - clock.now()))
            await asyncio.sleep(0)
            if tool.done():
                break
            heard += [(clock.now() - start, line) for line in plan.due(clock.now() - start)]
        plan.finish()
        return heard

    assert asyncio.run(run(0.2)) == []
    one = asyncio.run(run(1.0))
    assert [t for t, _ in one] == [0.4]
    two = asyncio.run(run(5.0))
    assert [t for t, _ in two] == [0.4, 3.0]


def test_monotonic_clock() -> None:
    clock = MonotonicClock()
    before = clock.now()
    asyncio.run(clock.sleep(0))
    assert clock.now() >= before
