"""A small simulated region on loopback (benchmarks/simregion) and fast crawl settings for fault tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from benchmarks.simregion import resolver
from benchmarks.simregion.model import DAY_SECONDS, TG_HOST, VK_HOST, Region, SimConfig, ok_max_env, ok_max_settings
from benchmarks.simregion.server import FaultPlan, SimRoutes, ThreadedSim
from benchmarks.simregion.sources import write_sources
from benchmarks.simregion.verify import verify
from channels.base import ChannelSettings
from crawler.registry import Registry, load
from crawler.settings import HttpPolicy, Settings
from crawler.store import Store

# Waits shrunk so a fault test takes seconds; the policy's order and rules stay as in production.
# Timeouts stay generous (a loaded test machine must not look like a stalled source); the stall
# tests shorten them.
FAST_HTTP = HttpPolicy(per_host_delay=0.0, per_host_concurrency=2, backoff_base=0.01, backoff_max=0.05,
                       max_retry_after=2.0, attempts=4, timeout=3.0, connect_timeout=3.0, max_bytes=512 * 1024,
                       contact="faults@example.org", allow_private_addresses=True)
SMALL = SimConfig(n=6, history_days=20, campaign_days=12, web_rate=0.5, vk_rate=0.7, tg_rate=0.6, vk_share=0.7,
                  tg_share=0.7, broken_share=0.0, slow_share=0.0, web_latency=(0.0, 0.005),
                  vk_latency=(0.0, 0.005), tg_latency=(0.0, 0.005))
VK_TOKEN = "fault-token"
# The same, for `natmon crawl` subprocesses reading sources.yaml.
FAST_SOURCES = {"per_host_delay": 0.0, "page_delay": 0.0, "attempts": 3, "timeout": 3.0}
STALL_TIMEOUT = 0.5  # seconds: how long the stall tests let a silent source keep a request


@dataclass(slots=True)
class SimRegion:
    """A served region with its registry, settings and store path."""

    region: Region
    routes: SimRoutes
    server: ThreadedSim
    sources: Path
    db: Path | str  # a SQLite file, or a PostgreSQL URL for the tests run on both stores

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def registry(self) -> Registry:
        return load(self.sources)

    def settings(self, **http: object) -> Settings:
        channels = ChannelSettings(vk_api_url=f"http://{VK_HOST}:{self.port}/method/",
                                   telegram_url=f"http://{TG_HOST}:{self.port}", vk_tokens=(VK_TOKEN,),
                                   page_delay=0.0, max_pages=10, **ok_max_settings(self.port))
        return Settings(db=str(self.db), sources=str(self.sources), http=replace(FAST_HTTP, **http),
                        channels=channels)

    def env(self) -> dict[str, str]:
        """Environment for a `natmon crawl` subprocess against this region."""
        return {"NATMON_VK_API_URL": f"http://{VK_HOST}:{self.port}/method/",
                "NATMON_TELEGRAM_URL": f"http://{TG_HOST}:{self.port}", "NATMON_VK_TOKENS": VK_TOKEN,
                **ok_max_env(self.port)}

    def advance(self, days: float = 1.0) -> None:
        self.routes.control("/_sim/advance", {"days": str(days)})

    def check(self) -> str:
        """"" when the store holds exactly what the sources serve, else what differs."""
        result = verify(self.region, self.db)
        return "" if result.ok else result.describe()


@pytest.fixture
def sim(tmp_path: Path, db: str) -> Iterator[SimRegion]:
    resolver.install()
    region = Region(SMALL)
    region.cutoff = region.t0 - DAY_SECONDS
    routes = SimRoutes(region, FaultPlan())
    server = ThreadedSim(routes)
    sources = write_sources(region, server.port, tmp_path / "sources.yaml", FAST_SOURCES)
    try:
        yield SimRegion(region, routes, server, sources, db if "://" in db else Path(db))
    finally:
        server.close()
        resolver.uninstall()


@pytest.fixture
def store(sim: SimRegion) -> Iterator[Store]:
    opened = Store.open(str(sim.db))
    try:
        yield opened
    finally:
        opened.close()
