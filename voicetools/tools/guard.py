"""The network guard: which addresses an HTTP tool may reach.

An agent file and the model's arguments decide URLs, so without a guard a tool is a way into
the machine's own network (SSRF): the cloud metadata service, an admin port on loopback, a
router. We decide on *addresses*, never on spellings: a host is parsed the way `inet_aton`
parses it (`2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` are all 127.0.0.1), names are
resolved, and every resolved address must pass. The executor then connects to the address we
checked (not to the name again), so DNS rebinding cannot swap it between check and connect.

Blocked by default: everything that is not globally routable (loopback, RFC 1918, CGNAT
100.64/10, link-local, fc00::/7, documentation and benchmark ranges, reserved), multicast and
unspecified addresses, and IPv4 addresses hidden in IPv6 (`::ffff:127.0.0.1`, NAT64, 6to4).
`allow_private=True` (local development) opens loopback, RFC 1918, CGNAT and unique-local
addresses, but never link-local or the cloud metadata endpoints.
"""

from __future__ import annotations

import ipaddress
import socket

from voicetools.tools.base import ErrorCategory
from voicetools.tools.daemon import in_daemon_thread
from voicetools.tools.request import RequestRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
"""Cloud metadata endpoints (AWS, ECS, AWS IPv6, Alibaba, Oracle): blocked in every mode."""

_OPENED_BY_ALLOW_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "::1/128",
        "fc00::/7",
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Blocked(RequestRefused):
    """The destination is not allowed; always category PERMISSION."""

    def __init__(self, detail: str) -> None:
        super().__init__(ErrorCategory.PERMISSION, detail)


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """`host` read as `inet_aton` reads it (1-4 parts, decimal, 0x hex or 0 octal), else None."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        try:
            if part[:2].lower() == "0x":
                numbers.append(int(part[2:], 16) if part[2:] else 0)
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10) if part.isascii() and part.isdigit() else -1)
        except ValueError:
            return None
    *head, last = numbers
    if any(not 0 <= n <= 255 for n in head) or not 0 <= last < 256 ** (5 - len(numbers)):
        return None
    value = last
    for i, n in enumerate(head):
        value |= n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def parse_literal(host: str) -> IPAddress | None:
    """An IP address literal in any spelling a client would accept, or None for a name."""
    host = host.strip().lower().removeprefix("[").removesuffix("]").removesuffix(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return parse_ipv4(host)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def address_problem(ip: IPAddress, *, allow_private: bool) -> str | None:
    """Why `ip` may not be reached (short, safe to show), or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return address_problem(inner, allow_private=allow_private)
    if ip in METADATA:
        return "a cloud metadata address"
    if ip.is_unspecified or ip.is_multicast or ip.is_link_local:
        return "an unspecified, link-local or multicast address"
    if allow_private and any(ip in net for net in _OPENED_BY_ALLOW_PRIVATE):
        return None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "a private address"
    return None


def check_address(ip: IPAddress, *, allow_private: bool) -> None:
    problem = address_problem(ip, allow_private=allow_private)
    if problem:
        raise Blocked(f"The tool's host is {problem}, which tools may not reach")


def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def check_host(host: str, port: int, *, allow_private: bool) -> IPAddress:
    """Resolve `host` and check every address; the address to connect to, or `Blocked`.

    `localhost` and `*.localhost` are loopback by definition (RFC 6761), whatever DNS says.
    """
    name = host.strip().lower().removesuffix(".")
    literal = parse_literal(name)
    if literal is None and (name == "localhost" or name.endswith(".localhost")):
        literal = ipaddress.IPv4Address("127.0.0.1")
    if literal is not None:
        check_address(literal, allow_private=allow_private)
        return literal
    try:
        # A thread of its own: a lookup that hangs past the deadline (the caller's timeout
        # abandons it) must not hold a thread of the loop's shared pool.
        found = await in_daemon_thread(lambda: _getaddrinfo(name, port), name="voicetools-dns")
    except (OSError, UnicodeError) as exc:
        raise RequestRefused(ErrorCategory.TEMPORARY, f"Could not resolve {name}") from exc
    addresses = [parse_literal(a) for a in found]
    if not addresses or any(a is None for a in addresses):
        raise RequestRefused(ErrorCategory.TEMPORARY, f"Could not resolve {name}")
    for address in addresses:
        assert address is not None
        check_address(address, allow_private=allow_private)
    first = addresses[0]
    assert first is not None
    return first
