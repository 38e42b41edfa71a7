"""The nightly job leaves rarely posting Telegram channels for a later night, and visits all before a deadline."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from crawler import schema as t
from crawler.job import crawl
from crawler.progress import summary_lines
from crawler.registry import loads
from crawler.settings import Settings
from crawler.store import Store
from tests.conftest import FAST_POLICY
from tests.crawler.test_shares import source  # noqa: F401 - the fixture

TZ = ZoneInfo("Asia/Irkutsk")
CHANNELS = 30


def registry_text(deadline: str) -> str:
    lines = ["region: {name: Тестовая область, timezone: Asia/Irkutsk}", "campaigns:",
             f"  - {{id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [{deadline}]}}",
             "municipalities:", "  - name: Город", "    authority: Управление образования", "    institutions:"]
    for i in range(CHANNELS):
        lines += [f"      - name: Школа № {i}", "        kind: school",
                  f"        channels: [{{website: 'https://s{i}.example.ru'}}, {{telegram: '@school_{i}'}}]"]
    return "\n".join(lines) + "\n"


def a_night_passes(db: str) -> None:
    """The last crawl happened yesterday (the posts stay where they are)."""
    store = Store.open(db)
    try:
        with store.engine.begin() as conn:
            yesterday = datetime.now(timezone.utc) - timedelta(days=1)
            conn.execute(update(t.channels).values(last_success=yesterday))
    finally:
        store.close()


async def run(db: str, registry_yaml: str, tmp_path: Path, **settings):
    registry = loads(registry_yaml, tmp_path / "sources.yaml")
    store = Store.open(db)
    try:
        return await crawl(store, registry, Settings(db=db, http=FAST_POLICY, **settings))
    finally:
        store.close()


@pytest.fixture
def far_deadline() -> str:
    return "2030-12-31"


async def test_a_quiet_telegram_channel_waits_for_a_later_night(tmp_path, source, far_deadline):
    db = str(tmp_path / "natmon.db")
    first = await run(db, registry_text(far_deadline), tmp_path)
    assert first.channels == 2 * CHANNELS and not first.deferred_by_kind
    a_night_passes(db)
    source.fetched.clear()
    nightly = await run(db, registry_text(far_deadline), tmp_path)
    telegram = [address for kind, address in source.fetched if kind == "telegram"]
    websites = [address for kind, address in source.fetched if kind == "website"]
    assert len(websites) == CHANNELS  # websites are not scheduled by rate
    # two posts in the campaign's window: a visit every third night, the channels spread over three nights
    assert 0 < len(telegram) < CHANNELS * 0.6
    assert nightly.deferred_by_kind == {"telegram": CHANNELS - len(telegram)}
    assert nightly.channels == CHANNELS + len(telegram)
    line = next(line for line in summary_lines(nightly) if "отложено" in line)
    assert f"{CHANNELS - len(telegram)} (Telegram: {CHANNELS - len(telegram)})" in line


async def test_every_channel_is_crawled_the_night_before_a_deadline(tmp_path, source):
    db = str(tmp_path / "natmon.db")
    tomorrow = (datetime.now(TZ) + timedelta(days=1)).date().isoformat()
    await run(db, registry_text(tomorrow), tmp_path)
    a_night_passes(db)
    source.fetched.clear()
    nightly = await run(db, registry_text(tomorrow), tmp_path)
    assert len(source.fetched) == 2 * CHANNELS and not nightly.deferred_by_kind


async def test_a_cap_of_one_night_crawls_every_channel_every_night(tmp_path, source, far_deadline):
    db = str(tmp_path / "natmon.db")
    await run(db, registry_text(far_deadline), tmp_path)
    a_night_passes(db)
    source.fetched.clear()
    await run(db, registry_text(far_deadline), tmp_path, revisit_max_days=1)
    assert len(source.fetched) == 2 * CHANNELS
