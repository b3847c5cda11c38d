"""A DNS lookup that hangs is bounded by the call's deadline and starves nothing after it.

The resolver is faked at the OS seam (`socket.getaddrinfo`): a real hanging lookup needs a
DNS server the system resolver is configured to ask, which a test cannot set up. Everything
above the seam (the guard, its thread, the event loop) is the real code.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from voicetools.tools import guard
from voicetools.tools.base import ErrorCategory
from voicetools.tools.request import RequestRefused

HUNG_LOOKUPS = 12
"""More than the default thread pool has threads on any machine with fewer than 8 cores."""
HANG_S = 20.0
"""How long a hung lookup blocks (unless released at teardown); far past any bound below."""
PUBLIC = "93.184.216.34"


@pytest.fixture
def slow_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """`*.hang.test` blocks until released; `ok.test` answers at once with a public address."""
    release = threading.Event()

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host.endswith(".hang.test"):
            release.wait(HANG_S)
            raise socket.gaierror(socket.EAI_AGAIN, "temporary failure in name resolution")
        if host == "ok.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))]
        raise socket.gaierror(socket.EAI_NONAME, "unknown name")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield release
    release.set()


async def _bounded_lookup(host: str, timeout_s: float) -> float:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(timeout_s):
            await guard.check_host(host, 443, allow_private=False)
    return time.monotonic() - started


def test_hung_lookups_end_at_the_deadline_and_later_work_is_not_starved(
    slow_dns: threading.Event,
) -> None:
    async def scenario() -> tuple[list[float], float, float]:
        lookups = (_bounded_lookup(f"n{i}.hang.test", 0.3) for i in range(HUNG_LOOKUPS))
        elapsed = await asyncio.gather(*lookups)
        started = time.monotonic()
        address = await guard.check_host("ok.test", 443, allow_private=False)
        assert str(address) == PUBLIC
        resolved_after = time.monotonic() - started
        started = time.monotonic()
        assert await asyncio.to_thread(lambda: 42) == 42  # the loop's own pool is free
        pool_after = time.monotonic() - started
        return elapsed, resolved_after, pool_after

    started = time.monotonic()
    elapsed, resolved_after, pool_after = asyncio.run(scenario())
    whole_run = time.monotonic() - started
    assert max(elapsed) < 0.3 + 1.0, elapsed
    assert resolved_after < 1.0 and pool_after < 1.0, (resolved_after, pool_after)
    # asyncio.run returned without waiting for the hung lookups' threads to finish.
    assert whole_run < 5.0, whole_run


def test_a_lookup_that_fails_fast_is_still_a_temporary_refusal(slow_dns: threading.Event) -> None:
    with pytest.raises(RequestRefused) as refused:
        asyncio.run(guard.check_host("nowhere.test", 443, allow_private=False))
    assert refused.value.category is ErrorCategory.TEMPORARY
    assert "Could not resolve nowhere.test" in refused.value.detail
