"""Which addresses the crawler may connect to, checked where the connection is made.

A school's site is a stranger's server: its name may resolve, or its pages redirect, to the
crawl machine itself (127.0.0.1), the office network (10.x, 192.168.x), a cloud's metadata
service (169.254.169.254) or another address that is not on the public internet. natmon
refuses them unless `allow_private_addresses` is set (the demo, the tests and the simulated
region crawl loopback).

The check sits in httpcore's network backend: the name is resolved once, every address is
checked, and the connection is made to a checked address, not to the name again. So a
redirect, a new connection of a kept-alive pool and a name that answers differently the
second time (DNS rebinding) are all checked on the address actually connected to.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import anyio
import httpcore
import httpx
from httpcore import AnyIOBackend, AsyncNetworkBackend, AsyncNetworkStream

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class ForbiddenAddress(Exception):
    """A host resolved to an address natmon does not connect to; the message is Russian."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host, self.address, self.reason = host, address, reason
        named = address if host == address else f"{address} (имя {host})"
        super().__init__(f"адрес {named} — {reason}; natmon не обращается к таким адресам "
                         "(разрешить их можно настройкой allow_private_addresses в settings: sources.yaml)")


def refusal(address: str) -> str | None:
    """Why natmon does not connect to this IP address (Russian), or None when it is public."""
    try:
        ip: IpAddress = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is dropped
    except ValueError:
        return "не IP-адрес"
    if isinstance(ip, ipaddress.IPv6Address):  # an IPv4 address carried inside reaches that address
        if ip.ipv4_mapped is not None:  # ::ffff:10.0.0.1
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:  # 2002:a00:1:: (6to4)
            ip = ip.sixtofour
        elif ip in NAT64:  # 64:ff9b::a00:1, what DNS64 answers on an IPv6-only network
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.is_unspecified:
        return "неопределённый адрес"
    if ip.is_loopback:
        return "адрес этого же компьютера (loopback)"
    if ip.is_link_local:
        return "локальный адрес канала (link-local, в том числе служба метаданных облака)"
    if ip.is_multicast:
        return "групповой адрес (multicast)"
    if ip.is_private:
        return "адрес внутренней сети"
    if ip.is_reserved or not ip.is_global:
        return "зарезервированный адрес"
    return None


class GuardedBackend(AsyncNetworkBackend):
    """Resolves a host once, refuses non-public addresses, connects to the first checked one that answers."""

    def __init__(self, inner: AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or AnyIOBackend()  # httpx on asyncio connects through anyio

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> AsyncNetworkStream:
        addresses = await _resolve(host, port, timeout)
        for address in addresses:
            reason = refusal(address)
            if reason is not None:
                raise ForbiddenAddress(host, address, reason)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # _resolve never returns an empty list
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not crawled")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The host's addresses, each once, in the resolver's order (an IP literal is itself)."""
    try:
        with anyio.fail_after(timeout):
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
    except OSError as exc:  # socket.gaierror: no such name
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no address")
    return addresses


def guarded_transport(**kwargs: object) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go through `GuardedBackend`.

    httpx 0.28 does not pass a network backend through, so it is set on the pool it built
    (httpx is pinned below 0.29; tests/crawler/test_http_guard.py fails if this stops working).
    """
    transport = httpx.AsyncHTTPTransport(**kwargs)  # type: ignore[arg-type]
    transport._pool._network_backend = GuardedBackend()  # noqa: SLF001 - see the docstring
    return transport
