"""Driving an `Engine` in a unit test: one caller turn in, its events out, and what they hold."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import Event, Say, ToolCalled


def turn(engine: Engine, text: str) -> list[Event]:
    """Every event of one caller turn, the turn run to its end."""

    async def collect() -> list[Event]:
        return [event async for event in engine.turn(text)]

    return asyncio.run(collect())


def said(events: Sequence[Event], *kinds: str) -> list[str]:
    """What the agent said, of the given kinds ("agent", "confirm", ...; all when none)."""
    return [e.text for e in events if isinstance(e, Say) and (not kinds or e.kind in kinds)]


def calls(events: Sequence[Event]) -> list[tuple[str, dict[str, Any]]]:
    """The calls sent to the runner (a confirmation question included), with their arguments."""
    return [(e.name, dict(e.arguments)) for e in events if isinstance(e, ToolCalled)]
