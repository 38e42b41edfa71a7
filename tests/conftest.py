"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from crawler.http import PoliteClient
from crawler.settings import HttpPolicy

# The crawl policy with its waits shrunk to nothing, so fetch tests run fast but still
# go through robots.txt, retries, Retry-After (capped), the size cap and the user agent.
FAST_POLICY = HttpPolicy(per_host_delay=0.0, backoff_base=0.001, backoff_max=0.01, max_retry_after=1.0,
                         attempts=3, timeout=2.0, connect_timeout=1.0, max_bytes=1024 * 1024,
                         contact="test@example.org", allow_private_addresses=True)  # servers on 127.0.0.1


@pytest.fixture
async def polite_client() -> AsyncIterator[PoliteClient]:
    """A real PoliteClient without delays; mock its HTTP with respx."""
    client = PoliteClient(FAST_POLICY)
    try:
        yield client
    finally:
        await client.aclose()
