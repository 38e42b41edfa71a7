"""Servers that attack the crawler: a gzip bomb, a trickle, addresses inside the network.

Each test crawls the simulated region with hostile channels added; the hostile channel fails
with a Russian reason and the rest of the region is crawled as usual.
"""

from __future__ import annotations

import socket
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpcore
import pytest

from benchmarks.simregion import resolver
from benchmarks.simregion.model import VK_HOST
from crawler import http_guard
from channels.base import ChannelSettings
from crawler.job import CrawlSummary, crawl
from crawler.progress import summary_lines
from crawler.registry import load, loads
from crawler.settings import HttpPolicy, Settings
from crawler.store import Store
from reports.api import write_preview
from tests.faults.conftest import FAST_HTTP, FAST_SOURCES, SimRegion
from tests.faults.hostile import (BOMB_DECODED, MESSAGES, NESTING, HostileServer, gzip_bomb, sources_with,
                                  telegram_page)

MEMORY_CEILING = 60 * 1024 * 1024  # bytes the crawl may hold at its peak with a 300 MB bomb in it


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def _failures(summary: CrawlSummary) -> dict[str, str]:
    """Failed channels by address (the registry drops a trailing slash) -> reason."""
    return {o.target.ref.address.rstrip("/"): o.error or "" for o in summary.failed}


async def test_a_gzip_bomb_fails_its_channel_without_filling_the_memory(sim: SimRegion, store: Store,
                                                                       hostile: HostileServer, tmp_path):
    assert len(gzip_bomb()) < BOMB_DECODED // 500  # 300 MB in well under a megabyte on the wire
    bomb = f"http://bomb.sim.test:{hostile.port}/bomb"
    sources = sources_with(sim.region, sim.port, tmp_path / "sources.yaml", {"Школа-бомба": bomb}, FAST_SOURCES)
    tracemalloc.start()
    try:
        summary = await crawl(store, load(sources), sim.settings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    failed = _failures(summary)
    assert list(failed) == [bomb]
    assert "больше допустимого размера" in failed[bomb] and "после распаковки" in failed[bomb]
    assert peak < MEMORY_CEILING, f"peak {peak / 2**20:.0f} MB"
    assert summary.new_posts > 0 and sim.check() == ""  # the region itself was crawled whole


async def test_a_trickling_server_is_cut_at_the_request_deadline(sim: SimRegion, store: Store,
                                                                hostile: HostileServer, tmp_path):
    trickle = f"http://trickle.sim.test:{hostile.port}/trickle"
    sources = sources_with(sim.region, sim.port, tmp_path / "sources.yaml", {"Школа-капельница": trickle},
                           FAST_SOURCES)
    began = time.monotonic()
    summary = await crawl(store, load(sources), sim.settings(request_deadline=2.0))
    assert time.monotonic() - began < 20  # the trickle alone would hold a request for a minute
    failed = _failures(summary)
    assert list(failed) == [trickle]
    assert "не отдал ответ за 2 с" in failed[trickle]
    assert summary.new_posts > 0 and sim.check() == ""


# -- addresses inside the network -------------------------------------------------------------

PUBLIC = "93.184.216.34"  # stands for the internet: connections to it are made to 127.0.0.1 instead
INTRANET = "10.1.2.3"
NAMES = {"intranet.school.example": INTRANET, "loopback6.school.example": "::1",
         "mapped.school.example": "::ffff:127.0.0.1"}  # names that resolve inward (the registry takes no IPv6 literal)


class _Internet:
    """The resolver and the network of these tests: simulated names are public addresses, and a
    connection to a public address reaches loopback. Any other connection is recorded and refused."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self._original = socket.getaddrinfo

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = (host.decode() if isinstance(host, bytes) else str(host)).lower()
        if name == VK_HOST:  # the VK API is reached through vk_api, outside the crawler's HTTP client
            return self._original("127.0.0.1", port, *args, **kwargs)
        if name in NAMES:
            return self._original(NAMES[name], port, *args, **kwargs)
        if name.endswith(".sim.test"):
            return self._original(PUBLIC, port, *args, **kwargs)
        return self._original(host, port, *args, **kwargs)

    def backend(self) -> httpcore.AsyncNetworkBackend:
        internet = self

        class Backend(httpcore.AsyncNetworkBackend):
            def __init__(self) -> None:
                self._real = httpcore.AnyIOBackend()

            async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
                if host != PUBLIC:
                    internet.refused.append(host)
                    raise httpcore.ConnectError(f"test network: no route to {host}")
                return await self._real.connect_tcp("127.0.0.1", port, *args, **kwargs)

            async def sleep(self, seconds: float) -> None:
                await self._real.sleep(seconds)

        return Backend()


@pytest.fixture
def internet(sim: SimRegion, monkeypatch: pytest.MonkeyPatch) -> _Internet:
    world = _Internet()
    resolver.uninstall()
    monkeypatch.setattr(socket, "getaddrinfo", world.getaddrinfo)
    monkeypatch.setattr(http_guard, "AnyIOBackend", world.backend)
    return world


async def test_addresses_inside_the_network_are_refused_before_any_connection(sim: SimRegion, store: Store,
                                                                             hostile: HostileServer,
                                                                             internet: _Internet, tmp_path):
    hostile.private_target = "http://10.20.30.41/admin/"
    port = hostile.port
    sites = {
        "Школа на loopback": f"http://127.0.0.1:{port}/",
        "Школа на loopback IPv6": f"http://loopback6.school.example:{port}/",
        "Школа на IPv4-mapped loopback": f"http://mapped.school.example:{port}/",
        "Школа во внутренней сети": "http://10.20.30.40/",
        "Школа на адресе метаданных облака": "http://169.254.169.254/latest/meta-data/",
        "Школа с перенаправлением внутрь": f"http://redirect.sim.test:{port}/to-private/",
        "Школа с именем во внутренней сети": "http://intranet.school.example/",
    }
    sources = sources_with(sim.region, sim.port, tmp_path / "sources.yaml", sites,
                           {**FAST_SOURCES, "allow_private_addresses": False})
    registry = load(sources)
    settings = sim.settings(allow_private_addresses=False)
    summary = await crawl(store, registry, settings)
    failed = _failures(summary)
    assert sorted(failed) == sorted(url.rstrip("/") for url in sites.values()), failed
    reasons = {name: failed[url.rstrip("/")] for name, url in sites.items()}
    assert "127.0.0.1" in reasons["Школа на loopback"] and "loopback" in reasons["Школа на loopback"]
    assert "::1" in reasons["Школа на loopback IPv6"]
    assert "::ffff:127.0.0.1" in reasons["Школа на IPv4-mapped loopback"]
    assert "loopback" in reasons["Школа на IPv4-mapped loopback"]
    assert "10.20.30.40" in reasons["Школа во внутренней сети"] and "внутренней сети" in reasons["Школа во внутренней сети"]
    assert "169.254.169.254" in reasons["Школа на адресе метаданных облака"]
    assert "link-local" in reasons["Школа на адресе метаданных облака"]
    assert "10.20.30.41" in reasons["Школа с перенаправлением внутрь"]
    assert f"{INTRANET} (имя intranet.school.example)" in reasons["Школа с именем во внутренней сети"]
    assert all("allow_private_addresses" in reason for reason in reasons.values())
    assert internet.refused == []  # nothing refused was ever connected to
    assert "/to-private" in hostile.requests  # the redirecting server itself was public, and was read
    assert summary.new_posts > 0 and sim.check() == ""  # public sites (and t.me) were crawled as before


async def test_the_setting_lets_the_demo_and_tests_crawl_loopback(sim: SimRegion, store: Store, hostile: HostileServer,
                                                                  tmp_path):
    """With allow_private_addresses the same loopback site is fetched (it answers 404 here)."""
    loopback = f"http://127.0.0.1:{hostile.port}/nothing"
    sources = sources_with(sim.region, sim.port, tmp_path / "sources.yaml", {"Школа": loopback}, FAST_SOURCES)
    summary = await crawl(store, load(sources), sim.settings())
    failed = _failures(summary)
    assert list(failed) == [loopback] and "404" in failed[loopback]
    assert "/nothing" in hostile.requests


TELEGRAM_REGISTRY = """
region: {name: Тестовая область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [2030-12-31]}
municipalities:
  - name: Город
    authority: Управление образования
    institutions:
      - {name: Школа с нечитаемой страницей, kind: school, channels: [{telegram: "@unreadable_school"}]}
      - {name: Школа с обычной страницей, kind: school, channels: [{telegram: "@readable_school"}]}
"""


async def test_a_telegram_page_that_yields_no_post_is_a_warning_in_the_summary_store_and_preview(
        hostile: HostileServer, tmp_path):
    registry = loads(TELEGRAM_REGISTRY, tmp_path / "sources.yaml")
    settings = Settings(db=str(tmp_path / "natmon.db"), http=replace(FAST_HTTP, max_bytes=HttpPolicy().max_bytes),
                        channels=ChannelSettings(telegram_url=f"http://127.0.0.1:{hostile.port}", page_delay=0.0))
    store = Store.open(settings.db)
    try:
        summary = await crawl(store, registry, settings)
        assert summary.failed == [] and summary.new_posts == MESSAGES  # the readable channel: all its posts
        assert [o.target.ref.address for o in summary.warned] == ["unreadable_school"]
        warning = summary.warned[0].warnings[0]
        assert warning.startswith("страница не разобрана:") and f"разметку {MESSAGES} сообщений" in warning
        printed = "\n".join(summary_lines(summary))
        assert "Каналы с предупреждением" in printed and "unreadable_school: страница не разобрана" in printed
        with store.engine.connect() as conn:
            stored = dict(conn.exec_driver_sql("SELECT address, last_warning FROM channels").fetchall())
        assert stored == {"unreadable_school": warning, "readable_school": None}
        assert len(telegram_page("unreadable_school", NESTING)) > 1_000_000  # the page really is that deep
        html = write_preview(store, registry, "c", "Город", "31.12.2030", tmp_path / "preview.html").read_text(
            encoding="utf-8")
        assert f"Предупреждение: {warning}" in html.split("Каналы с ошибками", 1)[1]
    finally:
        store.close()
