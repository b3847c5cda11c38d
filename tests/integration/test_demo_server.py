"""The demo backend, through the real HTTP executor and the example agents' own functions.

The agents point at 127.0.0.1:8765; each test starts the backend on a free port and points
the function there, so tests never collide with a `voicetools demo-server` left running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from voicetools.cli.app import app
from voicetools.demo.server import DemoServer
from voicetools.spec import Agent, Function, load_agent
from voicetools.tools.base import ErrorCategory, ToolCall, ToolResult
from voicetools.tools.http import HttpExecutor

pytestmark = pytest.mark.integration

AGENTS = Path(__file__).resolve().parents[2] / "agents"
MONDAY, SATURDAY = "2026-05-11", "2026-05-09"


@pytest.fixture
def demo() -> Iterator[DemoServer]:
    server = DemoServer(port=0).start()
    yield server
    server.stop()


def function_of(agent: Agent, name: str, server: DemoServer) -> Function:
    function = agent.function(name)
    assert function is not None and function.http is not None
    url = function.http.url.replace("http://127.0.0.1:8765", server.url)
    return replace(function, http=replace(function.http, url=url))


def call(
    agent_file: str,
    name: str,
    arguments: Mapping[str, Any],
    server: DemoServer,
    env: Mapping[str, str] | None = None,
) -> ToolResult:
    agent = load_agent(AGENTS / agent_file)
    function = function_of(agent, name, server)

    async def go() -> ToolResult:
        executor = HttpExecutor(
            variables=agent.variables, env=env or {}, allow_private=agent.allow_private
        )
        try:
            return await executor.execute(function, ToolCall(name, arguments), 5.0)
        finally:
            await executor.aclose()

    return asyncio.run(go())


def test_weather_for_a_known_city(demo: DemoServer) -> None:
    result = call(
        "weather.yaml",
        "get_weather",
        {"city": "Paris", "units": "fahrenheit"},
        demo,
        {"WEATHER_API_KEY": "demo-key"},
    )
    assert result.ok, result.payload
    assert result.payload == {
        "city": "Paris",
        "temperature": 64,
        "units": "fahrenheit",
        "conditions": "partly cloudy",
    }


def test_weather_unknown_city_and_missing_key(demo: DemoServer) -> None:
    unknown = call(
        "weather.yaml",
        "get_weather",
        {"city": "Atlantis", "units": "celsius"},
        demo,
        {"WEATHER_API_KEY": "demo-key"},
    )
    assert unknown.category is ErrorCategory.NOT_FOUND
    no_key = call("weather.yaml", "get_weather", {"city": "Paris", "units": "celsius"}, demo)
    assert no_key.category is ErrorCategory.PERMISSION and no_key.attempts == 0


def test_ticket_is_created_with_auth_and_caller_number(demo: DemoServer) -> None:
    result = call(
        "order_support.yaml",
        "create_support_ticket",
        {"issue": "Parcel arrived damaged", "order_id": "4521"},
        demo,
        {"DEMO_API_KEY": "demo-key"},
    )
    assert result.ok, result.payload
    assert result.payload["ticket_id"] == "T-1001"
    assert result.payload["caller_number"] == "+15551234567"
    assert "demo-key" not in str(result)


def test_ticket_idempotency_and_auth(demo: DemoServer) -> None:
    with httpx.Client(base_url=demo.url, trust_env=False) as client:
        headers = {"Authorization": "Bearer x", "Idempotency-Key": "k-1"}
        first = client.post("/tickets", json={"issue": "a"}, headers=headers)
        again = client.post("/tickets", json={"issue": "a"}, headers=headers)
        other = client.post("/tickets", json={"issue": "b"}, headers={"Authorization": "Bearer x"})
        assert first.status_code == 201 and again.json() == first.json()
        assert other.json()["ticket_id"] == "T-1002" and len(demo.state.tickets) == 2
        assert client.post("/tickets", json={"issue": "a"}).status_code == 401
        assert client.get("/orders/4521").json()["status"] == "shipped"
        assert client.get("/orders/0000").status_code == 404


def test_availability_then_booking(demo: DemoServer) -> None:
    free = call(
        "appointments.yaml", "check_availability", {"date": MONDAY, "service": "checkup"}, demo
    )
    assert free.ok and free.payload["free"][0] == "09:00"
    booked = call(
        "appointments.yaml",
        "book_appointment",
        {"customer_name": "Ada Lovelace", "date": MONDAY, "time": "09:00", "service": "checkup"},
        demo,
    )
    assert booked.ok and booked.payload["confirmation"].startswith("A-")
    taken = call(
        "appointments.yaml",
        "book_appointment",
        {"customer_name": "Alan Turing", "date": MONDAY, "time": "09:00", "service": "checkup"},
        demo,
    )
    assert taken.category is ErrorCategory.UNKNOWN and taken.detail["status"] == 409
    assert "09:00" not in taken.payload["response"]["free"]
    after = call(
        "appointments.yaml", "check_availability", {"date": MONDAY, "service": "checkup"}, demo
    )
    assert "09:00" not in after.payload["free"]


def test_weekends_are_closed(demo: DemoServer) -> None:
    result = call(
        "appointments.yaml",
        "check_availability",
        {"date": SATURDAY, "service": "consultation"},
        demo,
    )
    assert result.payload == {
        "date": SATURDAY,
        "service": "consultation",
        "free": [],
        "closed": True,
    }


def test_demo_server_command_is_registered() -> None:
    result = CliRunner().invoke(app, ["demo-server", "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0 and "--port" in result.output
