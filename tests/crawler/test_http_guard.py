"""Addresses the crawler refuses, checked on the address actually connected to."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import httpx
import pytest

from channels.base import HttpError
from crawler.http import PoliteClient
from crawler.http_guard import ForbiddenAddress, GuardedBackend, guarded_transport, refusal
from tests.conftest import FAST_POLICY


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1", "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1",
    "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:a00:1::", "64:ff9b::a00:1",
    "64:ff9b::7f00:1"])
def test_non_public_addresses_are_refused(address: str) -> None:
    assert refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "77.88.55.242", "2a02:6b8::2:242", "::ffff:8.8.8.8",
                                     "2002:808:808::1", "64:ff9b::808:808"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address) is None


def test_the_reasons_say_what_the_address_is() -> None:
    assert "loopback" in (refusal("127.0.0.1") or "")
    assert "внутренней сети" in (refusal("10.1.1.1") or "")
    assert "link-local" in (refusal("169.254.169.254") or "")
    assert "multicast" in (refusal("239.1.1.1") or "")


class _Recorder(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.hosts: list[str] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.hosts.append(host)
        raise httpcore.ConnectError("recorded, not connected")

    async def sleep(self, seconds: float) -> None:  # pragma: no cover - not used
        pass


async def test_the_name_is_resolved_once_and_the_checked_address_is_connected_to(monkeypatch) -> None:
    answers = iter(["93.184.216.34", "10.0.0.7"])  # a rebinding name: public when checked, private next time
    real = socket.getaddrinfo

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if (host.decode() if isinstance(host, bytes) else host) == "school.example":  # anyio passes IDNA bytes
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    inner = _Recorder()
    backend = GuardedBackend(inner)
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_tcp("school.example", 80)
    assert inner.hosts == ["93.184.216.34"]  # the address checked, never the name asked again
    with pytest.raises(ForbiddenAddress) as refused:
        await backend.connect_tcp("school.example", 80)
    assert inner.hosts == ["93.184.216.34"]  # the private answer was refused before any connection
    assert "10.0.0.7 (имя school.example)" in str(refused.value)


class _Counting(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Counting.hits += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def loopback_url() -> Iterator[str]:
    _Counting.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


async def test_the_httpx_transport_really_goes_through_the_guard(loopback_url: str) -> None:
    async with httpx.AsyncClient(transport=guarded_transport()) as client:
        with pytest.raises(ForbiddenAddress):
            await client.get(loopback_url)
    assert _Counting.hits == 0


async def test_the_polite_client_refuses_loopback_by_default_and_allows_it_by_the_setting(loopback_url: str) -> None:
    from dataclasses import replace

    async with PoliteClient(replace(FAST_POLICY, allow_private_addresses=False)) as client:
        with pytest.raises(HttpError) as refused:
            await client.get(loopback_url)
    assert refused.value.permanent and "127.0.0.1" in refused.value.message
    assert "allow_private_addresses" in refused.value.message and _Counting.hits == 0
    async with PoliteClient(FAST_POLICY) as client:  # the tests' policy allows loopback
        assert (await client.get(loopback_url, robots=False)).text == "ok"
    assert _Counting.hits == 1
