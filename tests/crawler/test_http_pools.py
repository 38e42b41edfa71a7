"""One connection pool per origin: reused, kept while a body is open, closed when unused."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from crawler import http_pools
from crawler.http_pools import PerOriginTransport


class Inner(httpx.AsyncBaseTransport):
    """Stands for one origin's connection pool; remembers what happened to it."""

    made: list[Inner] = []

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.closed = False
        Inner.made.append(self)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert not self.closed, "a closed pool was used"
        self.requests.append(str(request.url))
        return httpx.Response(200, stream=httpx.ByteStream(b"ok"))

    async def aclose(self) -> None:
        self.closed = True


@pytest.fixture
def made():
    Inner.made = []
    return Inner.made


async def test_each_origin_gets_its_own_pool_and_keeps_it(made):
    async with httpx.AsyncClient(transport=PerOriginTransport(Inner)) as client:
        for url in ["http://a.test/1", "http://a.test/2", "http://b.test/1", "https://a.test/1", "http://a.test:81/"]:
            assert (await client.get(url)).text == "ok"
    assert [len(pool.requests) for pool in made] == [2, 1, 1, 1]
    assert all(pool.closed for pool in made)  # closing the client closes every pool


async def test_unused_pools_are_closed_but_not_one_with_a_body_still_open(made, monkeypatch):
    monkeypatch.setattr(http_pools, "SWEEP_EVERY", 1)
    transport = PerOriginTransport(Inner, idle_seconds=0.0)
    async with httpx.AsyncClient(transport=transport) as client:
        async with client.stream("GET", "http://slow.test/big") as open_body:
            await client.get("http://a.test/")
            await client.get("http://b.test/")  # the sweep before it closes a.test's unused pool
            assert made[1].closed and not made[0].closed  # slow.test's body is still being read
            assert (await open_body.aread()) == b"ok"
        await client.get("http://c.test/")  # slow.test's body is closed now: its pool goes too
        assert made[0].closed and not made[-1].closed
        assert transport.open_pools <= 2


async def test_sweeps_running_at_once_close_each_pool_once_and_never_one_in_use(made, monkeypatch):
    # Found at N = 20,000: two sweeps interleaved while pools were being closed, and the second
    # one failed a channel with a KeyError for another site's pool.
    class SlowToClose(Inner):
        async def aclose(self) -> None:
            await asyncio.sleep(0.01)
            assert not self.closed, "a pool was closed twice"
            self.closed = True

    monkeypatch.setattr(http_pools, "SWEEP_EVERY", 1)
    transport = PerOriginTransport(SlowToClose, idle_seconds=0.2)
    async with httpx.AsyncClient(transport=transport) as client:
        for i in range(6):
            await client.get(f"http://idle{i}.test/")
        assert transport.open_pools == 6
        await asyncio.sleep(0.25)  # all six unused now: the next requests' sweeps close them
        answers = await asyncio.gather(*(client.get(f"http://{host}.test/") for host in
                                         ["new0", "new1", "idle3", "new2", "idle5", "new3"]))
    assert [answer.text for answer in answers] == ["ok"] * 6
