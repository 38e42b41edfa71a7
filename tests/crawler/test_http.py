"""The crawl policy: retries, Retry-After, robots.txt, the size cap, the user agent, per-host limits."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import httpx
import pytest
import respx

from channels.base import HttpError
from crawler.http import PoliteClient, parse_retry_after
from tests.conftest import FAST_POLICY

SITE = "https://school.example.ru"


@pytest.fixture
def site():
    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{SITE}/robots.txt").mock(return_value=httpx.Response(404))
        yield mock


async def test_retries_server_errors_then_succeeds(site, polite_client):
    route = site.get(f"{SITE}/news").mock(side_effect=[httpx.Response(500), httpx.Response(503),
                                                       httpx.Response(200, text="ok")])
    response = await polite_client.get(f"{SITE}/news")
    assert response.text == "ok"
    assert route.call_count == 3


async def test_gives_up_after_attempts_with_status(site, polite_client):
    site.get(f"{SITE}/news").mock(return_value=httpx.Response(502))
    with pytest.raises(HttpError) as info:
        await polite_client.get(f"{SITE}/news")
    assert info.value.status == 502
    assert "502" in info.value.message


async def test_honours_retry_after(site):
    client = PoliteClient(replace(FAST_POLICY, max_retry_after=5.0))
    site.get(f"{SITE}/news").mock(side_effect=[httpx.Response(429, headers={"Retry-After": "1"}),
                                               httpx.Response(200, text="ok")])
    started = time.monotonic()
    response = await client.get(f"{SITE}/news")
    await client.aclose()
    assert response.text == "ok"
    assert time.monotonic() - started >= 0.95


async def test_too_long_retry_after_fails_at_once_with_the_delay(site, polite_client):
    route = site.get(f"{SITE}/news").mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(HttpError) as info:
        await polite_client.get(f"{SITE}/news")
    assert info.value.retry_after == 3600
    assert route.call_count == 1


async def test_timeout_is_retried(site, polite_client):
    site.get(f"{SITE}/news").mock(side_effect=[httpx.ConnectTimeout("slow"), httpx.Response(200, text="ok")])
    assert (await polite_client.get(f"{SITE}/news")).text == "ok"


async def test_not_found_is_not_retried(site, polite_client):
    route = site.get(f"{SITE}/old").mock(return_value=httpx.Response(404))
    with pytest.raises(HttpError) as info:
        await polite_client.get(f"{SITE}/old")
    assert info.value.status == 404 and info.value.permanent
    assert route.call_count == 1


async def test_body_over_cap_is_refused(site, polite_client):
    site.get(f"{SITE}/huge").mock(return_value=httpx.Response(200, content=b"x" * (2 * 1024 * 1024)))
    with pytest.raises(HttpError, match="размера"):
        await polite_client.get(f"{SITE}/huge")


async def test_robots_txt_disallow_is_obeyed():
    with respx.mock() as mock:
        mock.get(f"{SITE}/robots.txt").mock(
            return_value=httpx.Response(200, text="User-agent: *\nDisallow: /private/\n"))
        mock.get(f"{SITE}/news").mock(return_value=httpx.Response(200, text="ok"))
        async with PoliteClient(FAST_POLICY) as client:
            assert (await client.get(f"{SITE}/news")).text == "ok"
            with pytest.raises(HttpError, match="robots.txt"):
                await client.get(f"{SITE}/private/page")


async def test_user_agent_names_natmon_and_contact(site, polite_client):
    route = site.get(f"{SITE}/news").mock(return_value=httpx.Response(200))
    await polite_client.get(f"{SITE}/news")
    agent = route.calls.last.request.headers["User-Agent"]
    assert agent.startswith("natmon/") and "test@example.org" in agent


async def test_per_host_delay_spaces_requests(site):
    client = PoliteClient(replace(FAST_POLICY, per_host_delay=0.2))
    site.get(url__startswith=f"{SITE}/p").mock(return_value=httpx.Response(200))
    started = time.monotonic()
    await asyncio.gather(*(client.get(f"{SITE}/p{i}", robots=False) for i in range(4)))
    await client.aclose()
    assert time.monotonic() - started >= 0.6


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after("garbage") is None


async def test_a_429_slows_that_host_down_once_and_no_other(site):
    client = PoliteClient(replace(FAST_POLICY, per_host_delay=0.0, backoff_base=0.01))
    starts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        return httpx.Response(429 if len(starts) in (1, 3) else 200, text="ok")

    site.get(f"{SITE}/news").mock(side_effect=answer)
    other = site.get("https://other.example.ru/news").mock(return_value=httpx.Response(200, text="ok"))
    site.get("https://other.example.ru/robots.txt").mock(return_value=httpx.Response(404))
    for _ in range(3):
        await client.get(f"{SITE}/news")
    began = time.monotonic()
    await client.get("https://other.example.ru/news")
    other_took = time.monotonic() - began
    await client.aclose()
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert len(starts) == 5 and min(gaps) >= 0.95  # after the 429: a second between requests
    assert max(gaps) < 1.9  # a second 429 does not double it again
    assert other.call_count == 1 and other_took < 0.5
