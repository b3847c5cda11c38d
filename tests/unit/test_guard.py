"""The network guard decides on addresses, whatever their spelling. No network is used:
literals are parsed, and name resolution is replaced where a test needs a name."""

from __future__ import annotations

import asyncio

import pytest

from voicetools.tools import guard
from voicetools.tools.base import ErrorCategory
from voicetools.tools.guard import Blocked, check_host, parse_literal

LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "127.1",
    "127.0.1",
    "2130706433",
    "0x7f000001",
    "0x7F.0.0.1",
    "0177.0.0.1",
    "0177.1",
    "017700000001",
    "127.255.255.254",
    "127.0.0.1.",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
    "[::ffff:7f00:1]",
    "64:ff9b::7f00:1",
    "2002:7f00:1::",
    "localhost",
    "LOCALHOST",
    "api.localhost",
]
PRIVATE = [
    "10.0.0.1",
    "10.255.255.255",
    "012.0.0.1",
    "167772161",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "0xc0a80101",
    "100.64.0.1",
    "100.127.255.255",
    "fd00::1",
    "fc00::1",
    "fdff:ffff::1",
    "::ffff:10.0.0.1",
    "::ffff:192.168.0.1",
]
ALWAYS_BLOCKED = [
    "169.254.169.254",
    "2852039166",
    "0xa9fea9fe",
    "0251.0376.0251.0376",
    "169.254.43518",
    "::ffff:169.254.169.254",
    "[::ffff:a9fe:a9fe]",
    "fd00:ec2::254",
    "169.254.0.1",
    "169.254.170.2",
    "100.100.100.200",
    "192.0.0.192",
    "fe80::1",
    "fe80::1%eth0",
    "0.0.0.0",
    "0",
    "::",
    "224.0.0.1",
    "ff02::1",
    "255.255.255.255",
    "240.0.0.1",
]
PUBLIC = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


def check(host: str, allow_private: bool) -> None:
    asyncio.run(check_host(host, 80, allow_private=allow_private))


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + PRIVATE + ALWAYS_BLOCKED)
def test_refused_by_default(host: str) -> None:
    with pytest.raises(Blocked) as caught:
        check(host, allow_private=False)
    assert caught.value.category is ErrorCategory.PERMISSION


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + PRIVATE)
def test_allow_private_opens_loopback_and_private(host: str) -> None:
    check(host, allow_private=True)


@pytest.mark.parametrize("host", ALWAYS_BLOCKED)
def test_metadata_and_link_local_stay_blocked_with_allow_private(host: str) -> None:
    with pytest.raises(Blocked):
        check(host, allow_private=True)


@pytest.mark.parametrize("host", PUBLIC)
def test_public_addresses_pass(host: str) -> None:
    check(host, allow_private=False)


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1.256", "10.1.1.0"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
    ],
)
def test_spellings_parse_like_inet_aton(spelling: str, address: str) -> None:
    assert str(parse_literal(spelling)) == address


@pytest.mark.parametrize(
    "name", ["example.com", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "1..1", "١٢٧.0.0.1", ""]
)
def test_names_are_not_mistaken_for_addresses(name: str) -> None:
    assert parse_literal(name) is None


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "_getaddrinfo", lambda host, port: ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(Blocked):
        check("mixed.example", allow_private=False)
    monkeypatch.setattr(guard, "_getaddrinfo", lambda host, port: ["93.184.216.34"])
    assert str(asyncio.run(check_host("ok.example", 443, allow_private=False))) == "93.184.216.34"


def test_unresolvable_name_is_a_temporary_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    monkeypatch.setattr(guard, "_getaddrinfo", fail)
    with pytest.raises(guard.RequestRefused) as caught:
        check("nowhere.example", allow_private=True)
    assert caught.value.category is ErrorCategory.TEMPORARY
