"""The nightly job with Одноклассники and MAX channels, against the demo stand-ins on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler import schema as t
from crawler.demo.run import demo_settings
from crawler.demo.server import DemoServer, load_sources_text, start_demo_server
from crawler.job import CrawlOptions, crawl
from crawler.progress import summary_lines
from crawler.registry import load
from crawler.store import Store


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with start_demo_server() as running:
        yield running


def registry_and_store(server: DemoServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "sources.yaml"
    path.write_text(load_sources_text(server), encoding="utf-8")
    registry = load(path)
    return registry, Store.open(str(tmp_path / "natmon.db")), demo_settings(registry, tmp_path / "natmon.db",
                                                                               server.base_url)


def test_ok_groups_are_crawled_resolved_once_and_counted_in_the_summary(server: DemoServer, tmp_path: Path) -> None:
    registry, store, settings = registry_and_store(server, tmp_path)
    try:
        summary = asyncio.run(crawl(store, registry, settings, CrawlOptions(channel_kind="ok")))
        assert summary.channels == 4 and not summary.failed
        assert summary.new_by_kind == {"ok": 15}
        assert any("Одноклассники: 15" in line for line in summary_lines(summary))
        with store.engine.connect() as conn:
            resolved = dict(conn.execute(select(t.channels.c.address, t.channels.c.resolved)
                                         .where(t.channels.c.kind == "ok")).all())
        assert resolved["https://ok.ru/demo_ds7_zima"] == "70000000000002"
        standin = server.routes._ok
        assert standin.methods().count("url.getInfo") == 1
        again = asyncio.run(crawl(store, load(registry.path), settings, CrawlOptions(channel_kind="ok")))
        assert again.new_posts == 0 and standin.methods().count("url.getInfo") == 1  # kept by the store
    finally:
        store.close()


def test_a_refused_ok_token_fails_only_the_ok_channels(server: DemoServer, tmp_path: Path) -> None:
    registry, store, settings = registry_and_store(server, tmp_path)
    settings = replace(settings, channels=replace(settings.channels, ok_access_token="revoked-token"))
    try:
        summary = asyncio.run(crawl(store, registry, settings, CrawlOptions()))
        failed_ok = [o for o in summary.failed if o.target.ref.kind == "ok"]
        assert len(failed_ok) == 4
        assert all("NATMON_OK_ACCESS_TOKEN" in (o.error or "") for o in failed_ok)
        assert summary.new_by_kind["max"] == 7 and summary.new_by_kind["vk"] > 0  # the rest of the night went on
        assert server.routes._ok.methods() == ["auth.touchSession"]  # one refused call, not one per group
        lines = "\n".join(summary_lines(summary))
        assert "— Одноклассники https://ok.ru/group/70000000000001: Одноклассники: токен сервисного аккаунта не принят" in lines
    finally:
        store.close()
