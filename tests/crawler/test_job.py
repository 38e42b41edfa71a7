"""The nightly job: isolation of failures, idempotence, health, the lock, the crawl-run record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx
from sqlalchemy import select

from crawler import job as job_module
from crawler import schema as t
from crawler.job import CrawlLocked, CrawlOptions, crawl
from crawler.locks import CrawlLock
from crawler.registry import loads
from crawler.settings import Settings
from crawler.store import Store
from tests.conftest import FAST_POLICY

TG = "https://t.me"
SAMPLE = (Path(__file__).parent.parent / "data" / "telegram"
          / "tme_s_vmkononov_ru_channel_before_link_albums_video_edited.html").read_bytes()

REGISTRY = """
region: {name: Тестовая область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [2030-12-31]}
municipalities:
  - name: Город
    authority: Управление образования
    institutions:
      - name: Школа № 1
        kind: school
        channels: [{telegram: "@vmkononov"}]
      - name: Школа № 2
        kind: school
        channels: [{telegram: "@garbage_channel"}]
      - name: Школа № 3
        kind: school
        channels: [{telegram: "@slow_channel"}]
      - name: Школа № 4
        kind: school
        channels: [{website: "https://broken-adapter.example.ru"}]
"""


@pytest.fixture
def registry(tmp_path):
    return loads(REGISTRY, tmp_path / "sources.yaml")


@pytest.fixture
def store(db):
    store = Store.open(db)
    yield store
    store.close()


@pytest.fixture
def settings(db) -> Settings:
    settings = Settings(db=db, http=FAST_POLICY)
    return replace(settings, channels=replace(settings.channels, telegram_url=TG, page_delay=0.0, max_pages=2))


@pytest.fixture
def internet(monkeypatch):
    """One good channel, one answering garbage, one timing out, one whose adapter crashes."""
    real_adapter = job_module.adapter

    class Crashing:
        @staticmethod
        async def fetch(channel, cursor, ctx):
            raise ValueError("unexpected markup")

    monkeypatch.setattr(job_module, "adapter", lambda kind: Crashing if kind == "website" else real_adapter(kind))
    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{TG}/robots.txt").mock(return_value=httpx.Response(404))
        mock.get(f"{TG}/s/vmkononov").mock(return_value=httpx.Response(200, content=SAMPLE))
        mock.get(f"{TG}/s/garbage_channel").mock(return_value=httpx.Response(200, content=b"\x00\xff<<<garbage"))
        mock.get(f"{TG}/s/slow_channel").mock(side_effect=httpx.ReadTimeout("stalled"))
        yield mock


async def test_one_failing_channel_never_stops_the_rest(internet, store, registry, settings):
    outcomes = []
    summary = await crawl(store, registry, settings, on_progress=outcomes.append)
    by_address = {o.target.ref.address: o for o in outcomes}
    assert {o.target.ref.address for o in summary.failed} == {a for a, o in by_address.items() if not o.ok}
    assert by_address["vmkononov"].ok and by_address["vmkononov"].new > 0
    assert not by_address["garbage_channel"].ok
    assert "не ответил" in by_address["slow_channel"].error
    assert "Непредвиденная ошибка" in by_address["https://broken-adapter.example.ru"].error
    with store.engine.connect() as conn:
        stored = conn.execute(select(t.posts)).all()
        channels = {row["address"]: row for row in conn.execute(select(t.channels)).mappings()}
        run = conn.execute(select(t.crawl_runs)).mappings().one()
        explicit = conn.execute(select(t.matches.c.post_id).where(t.matches.c.label == "explicit")).all()
    assert len(stored) == by_address["vmkononov"].new
    assert (summary.channels, summary.ok) == (4, 1) and summary.flagged_by_municipality == {"Город": len(explicit)}
    assert channels["slow_channel"]["consecutive_failures"] == 1 and channels["slow_channel"]["last_error"]
    assert channels["vmkononov"]["last_success"] is not None and channels["vmkononov"]["cursor"]
    assert run["status"] == "finished" and run["channels_ok"] == 1 and run["channels_failed"] == 3
    assert set(run["errors"]) == {str(channels[a]["id"]) for a in
                                  ("garbage_channel", "slow_channel", "https://broken-adapter.example.ru")}


async def test_second_run_adds_nothing_and_every_post_is_matched(internet, store, registry, settings):
    first = await crawl(store, registry, settings)
    second = await crawl(store, registry, settings)
    assert first.new_posts > 0
    assert second.new_posts == 0
    with store.engine.connect() as conn:
        posts = conn.execute(select(t.posts.c.id)).scalars().all()
        matched = conn.execute(select(t.matches.c.post_id)).scalars().all()
    assert sorted(posts) == sorted(matched)


async def test_narrowing_by_kind_and_municipality(internet, store, registry, settings):
    outcomes = []
    summary = await crawl(store, registry, settings, CrawlOptions(channel_kind="website"), on_progress=outcomes.append)
    assert [o.target.ref.kind for o in outcomes] == ["website"] and summary.channels == 1
    summary = await crawl(store, registry, settings, CrawlOptions(municipality="Нет такого"))
    assert summary.channels == 0 and summary.new_posts == 0


async def test_since_cuts_older_posts(internet, store, registry, settings):
    summary = await crawl(store, registry, settings, CrawlOptions(since=date(2100, 1, 1)))
    assert summary.new_posts == 0


async def test_a_held_lock_stops_a_second_crawl(internet, store, registry, settings):
    other = Store.open(store.name)
    held = CrawlLock(other, None, 3600)
    if store.engine.dialect.name == "postgresql":  # another host's crawl: its connection's advisory lock
        assert held.acquire() is None
    else:  # another host's live lock row
        assert store.acquire_lock(job_module.LOCK_NAME, 3600, owner="other-host:1") is None
    try:
        with pytest.raises(CrawlLocked, match="Другой обход"):
            await crawl(store, registry, settings)
    finally:
        held.release()
        other.close()
    with store.engine.connect() as conn:
        assert conn.execute(select(t.posts)).all() == []


async def test_lock_is_released_after_a_crawl(internet, store, registry, settings):
    await crawl(store, registry, settings)
    assert store.acquire_lock(job_module.LOCK_NAME, 3600, owner="other-host:1") is None


async def test_vk_daily_quota_use_is_carried_to_the_next_run_of_the_day(tmp_path, settings):
    from crawler.demo.vk_standin import VkStandin, serve_vk

    walls = {-777: [{"id": n, "owner_id": -777, "from_id": -777, "date": 1737000000 + n, "text": f"Пост {n}"}
                    for n in range(1, 4)]}
    standin = VkStandin(walls, {"club777": {"id": 777, "name": "Школа", "screen_name": "club777", "is_closed": 0,
                                            "type": "group"}}, rps_limit=None)
    server, base_url = serve_vk(standin)
    try:
        registry = loads(REGISTRY.replace('channels: [{telegram: "@vmkononov"}]', 'channels: [{vk: club777}]'),
                         tmp_path / "sources.yaml")
        channels = replace(settings.channels, vk_api_url=base_url, vk_tokens=("token-a",),
                           vk_daily_wall_get_quota=1)
        store = Store.open(settings.db)
        first = await crawl(store, registry, replace(settings, channels=channels), CrawlOptions(channel_kind="vk"))
        second = await crawl(store, registry, replace(settings, channels=channels), CrawlOptions(channel_kind="vk"))
        store.close()
    finally:
        server.shutdown()
        server.server_close()
    assert first.channels == 1 and not first.failed and first.new_posts == 3
    assert second.channels == 1 and "квота" in second.failed[0].error


def test_posts_are_matched_as_of_their_publication_date(store, registry):
    """The crawl passes the stored date: a Pushkin card post counts only when published from 2025."""
    from datetime import datetime, timezone

    from channels.base import Post
    from matching import CampaignTerms, default_matcher

    store.sync_registry(registry)
    channel = store.crawl_targets()[0].ref.id
    text = "Оформите Пушкинскую карту и сходите в театр всем классом!"
    store.save_posts(channel, [
        Post("old", "https://t.me/s/x/1", datetime(2023, 10, 2, tzinfo=timezone.utc), text),
        Post("new", "https://t.me/s/x/2", datetime(2025, 10, 2, tzinfo=timezone.utc), text),
    ])
    job_module.match_pending(store, default_matcher(), CampaignTerms())
    with store.engine.connect() as conn:
        labels = dict(conn.execute(select(t.posts.c.external_id, t.matches.c.label)
                                   .join(t.matches, t.matches.c.post_id == t.posts.c.id)).all())
    assert labels == {"old": "none", "new": "implicit"}
