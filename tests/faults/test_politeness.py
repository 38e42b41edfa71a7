"""t.me is one host: every Telegram channel shares its per-host limit (its own built-in delay, which sources.yaml can change)."""

from __future__ import annotations

from benchmarks.simregion.model import TG_HOST
from crawler.job import CrawlOptions, crawl
from crawler.settings import BUILTIN_HOST_DELAYS, Settings, from_yaml

# The client spaces request starts by the delay; the server notes their arrival, which a loaded
# machine's scheduler can bring up to ~10 ms closer together.
JITTER = 0.015


def _gaps(log: list[tuple[float, str, str, str]], host: str) -> list[float]:
    starts = [moment for moment, seen, target, _ in log if seen == host and target != "/robots.txt"]
    return [later - earlier for earlier, later in zip(starts, starts[1:])]


async def test_all_telegram_channels_queue_for_one_t_me_slot(sim, store):
    sim.routes.log = []
    summary = await crawl(store, sim.registry, sim.settings(per_host_delay=0.2), CrawlOptions(channel_kind="telegram"))
    gaps = _gaps(sim.routes.log, TG_HOST)
    # at least a page a channel (how many more depends on the hour: the region's posts follow the clock)
    assert summary.channels >= 3 and len(gaps) >= summary.channels - 1
    assert min(gaps) >= 0.2 - JITTER  # one host, one pace, however many channels run at once


async def test_a_host_delay_from_sources_yaml_sets_t_me_apart_from_the_sites(sim, store):
    settings = from_yaml(sim.settings(per_host_delay=0.5), {"host_delays": {TG_HOST: 0.05}})
    assert settings.http.delays() == {**BUILTIN_HOST_DELAYS, TG_HOST: 0.05}
    sim.routes.log = []
    await crawl(store, sim.registry, settings, CrawlOptions(channel_kind="telegram"))
    gaps = _gaps(sim.routes.log, TG_HOST)
    assert gaps and min(gaps) >= 0.05 - JITTER and sum(gaps) / len(gaps) < 0.3


def test_host_delays_ignore_unreadable_entries():
    http = from_yaml(Settings(), {"host_delays": {"t.me": "быстро", "vk.com": 2}}).http
    assert http.delays() == {**BUILTIN_HOST_DELAYS, "vk.com": 2.0}  # t.me keeps its built-in delay


def test_t_me_has_its_own_delay_unless_sources_yaml_sets_one():
    assert Settings().http.delays() == {"t.me": 0.4, "api.ok.ru": 0.2, "platform-api2.max.ru": 0.1}  # one API host each
    assert Settings().http.per_host_delay == 1.0  # every other host
    assert from_yaml(Settings(), {"host_delays": {"t.me": 1.5}}).http.delays()["t.me"] == 1.5
