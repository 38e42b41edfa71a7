"""One small connection pool per origin, for a crawl that talks to thousands of hosts.

httpcore 1.0.9 walks every connection of a pool on each request it starts or finishes, and
its keep-alive check is quadratic in the pool's size (encode/httpcore#1035, not released).
With the keep-alive connections of a few hundred sites in one pool, that walk took half of a
crawl's CPU. A pool per origin holds only the one or two connections its host is allowed,
so the walk stays short; pools left unused are closed, so sockets do not pile up.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

SWEEP_EVERY = 200  # requests between looks for unused pools
IDLE_SECONDS = 30.0  # a pool unused this long is closed


@dataclass(slots=True)
class _Pool:
    transport: httpx.AsyncBaseTransport
    in_flight: int = 0  # responses whose body is not closed yet
    last_used: float = 0.0


class PerOriginTransport(httpx.AsyncBaseTransport):
    """Routes each request to its origin's own transport."""

    def __init__(self, make: Callable[[], httpx.AsyncBaseTransport], idle_seconds: float = IDLE_SECONDS) -> None:
        self._make = make
        self._idle = idle_seconds
        self._pools: dict[tuple[bytes, bytes, int | None], _Pool] = {}
        self._since_sweep = 0

    @property
    def open_pools(self) -> int:
        return len(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._since_sweep += 1
        if self._since_sweep >= SWEEP_EVERY:
            self._since_sweep = 0
            await self._close_unused()
        key = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(self._make())
        pool.in_flight += 1
        pool.last_used = time.monotonic()
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.in_flight -= 1
            raise
        response.stream = _Tracked(response.stream, pool)
        return response

    async def _close_unused(self) -> None:
        """Take unused pools out before closing any: while one closes, other requests run, and
        they must find neither a pool half-swept nor one taken from them."""
        horizon = time.monotonic() - self._idle
        unused = [key for key, pool in self._pools.items() if pool.in_flight == 0 and pool.last_used < horizon]
        for pool in [self._pools.pop(key) for key in unused]:
            await pool.transport.aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.transport.aclose()


class _Tracked(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed."""

    def __init__(self, inner: httpx.AsyncByteStream, pool: _Pool) -> None:
        self._inner = inner
        self._pool: _Pool | None = pool

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if self._pool is not None:
                self._pool.in_flight -= 1
                self._pool.last_used = time.monotonic()
                self._pool = None
