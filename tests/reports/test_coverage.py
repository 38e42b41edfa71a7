from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import insert

from crawler import schema as t
from crawler.registry import Registry
from crawler.store import Store
from reports.coverage import municipality_coverage, region_coverage
from reports.data import load
from reports.periods import find_period

from .conftest import add_channel, add_post, channel_id

TODAY = date(2025, 1, 25)
NOW = datetime(2025, 1, 25, 3, 0, tzinfo=timezone.utc)


def coverage(store: Store, registry: Registry, deadline: str = "24.01.2025", municipality: str = "г. Ангарск"):
    campaign = registry.campaign(None, TODAY)
    data = load(store, registry, campaign)
    return municipality_coverage(data, municipality, find_period(campaign, deadline, TODAY))


def test_period_numbers_of_a_municipality(store: Store, registry: Registry, filled: dict[str, int]) -> None:
    cov = coverage(store, registry)
    totals = cov.totals
    assert totals.institutions_total == 4
    assert totals.institutions_by_kind == {"kindergarten": 2, "school": 2}
    assert totals.institutions_covering == 2
    assert totals.posts == {"website": 0, "vk": 2, "ok": 0, "telegram": 1, "max": 0, "other": 0}  # edge_in counts, edge_out does not
    assert totals.posts_cumulative == {"website": 1, "vk": 2, "ok": 0, "telegram": 1, "max": 0, "other": 0}
    assert totals.views == 380 and totals.reactions == 25 and totals.views_cumulative == 500
    assert totals.near_misses == 1 and totals.unreviewed == 3
    assert sorted(cov.posts["post_id"]) == sorted([filled["p2_vk"], filled["p2_tg"], filled["edge_in"]])


def test_institution_grid_marks_silent_and_near_miss_only(store: Store, registry: Registry,
                                                         filled: dict[str, int]) -> None:
    cov = coverage(store, registry)
    grid = cov.institutions.set_index("institution")
    assert grid.loc["Школа № 1", ["website", "vk", "ok", "telegram", "max", "other", "total",
                                   "total_cumulative"]].tolist() == [0, 2, 0, 0, 0, 0, 2, 3]
    assert grid.loc["Школа № 1", "last_post"] == date(2025, 1, 24)
    assert cov.silent == ["Детский сад № 5", "Детский сад № 7"]
    assert cov.near_miss_only == ["Детский сад № 5"]
    assert list(cov.near_misses["post_id"]) == [filled["p2_near"]]
    assert dict(cov.unconfigured)["Школа № 2"] == ["website", "vk", "ok"]  # MAX is optional, not listed


def test_running_totals_and_the_next_period(store: Store, registry: Registry, filled: dict[str, int]) -> None:
    cov = coverage(store, registry, "10.02.2025")
    assert cov.totals.posts == {"website": 0, "vk": 1, "ok": 0, "telegram": 0, "max": 0, "other": 0}
    assert cov.totals.posts_cumulative["vk"] == 3
    assert cov.totals.institutions_covering_cumulative == 2
    assert cov.daily.loc[date(2025, 1, 24), "vk"] == 1 and cov.daily.loc[date(2025, 1, 25), "vk"] == 1


def test_failing_channels_carry_their_reason(store: Store, registry: Registry, filled: dict[str, int]) -> None:
    store.channel_failed(channel_id(store, "ds7-angarsk"), "сайт не отвечает (HTTP 503)", NOW)
    cov = coverage(store, registry)
    assert cov.failing[["institution", "channel", "last_error", "consecutive_failures"]].values.tolist() == [
        ["Детский сад № 7", "website", "сайт не отвечает (HTTP 503)", 1]]


def test_reviews_and_manual_entries_change_the_numbers(store: Store, registry: Registry,
                                                       filled: dict[str, int]) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(t.reviews), [
            {"post_id": filled["p2_tg"], "decision": "rejected", "who": "Иванова", "at": NOW, "comment": "не то"},
            {"post_id": filled["p2_near"], "decision": "confirmed", "who": "Иванова", "at": NOW, "comment": ""}])
        conn.execute(insert(t.manual_entries).values(
            municipality_id=1, institution_id=4, channel="газета", url="", description="Статья в «Ангарских вестях»",
            published_on="2025-01-22", who="Иванова", at=NOW))
    cov = coverage(store, registry)
    assert cov.totals.posts == {"website": 0, "vk": 3, "ok": 0, "telegram": 0, "max": 0, "other": 1}
    assert cov.silent == ["Школа № 2"]
    assert cov.totals.institutions_covering == 3
    assert cov.totals.near_misses == 0


def test_region_totals_add_up_municipalities(store: Store, registry: Registry, filled: dict[str, int]) -> None:
    campaign = registry.campaign(None, TODAY)
    region = region_coverage(load(store, registry, campaign), find_period(campaign, "24.01", TODAY))
    assert region.region == "Иркутская область"
    assert region.totals.institutions_total == 5 and region.totals.institutions_covering == 3
    table = region.municipalities.set_index("municipality")
    assert table.loc["Шелеховский район", ["institutions_total", "institutions_covering", "vk", "views"]].tolist() == [
        1, 1, 1, 50]
    assert table["posts_total"].sum() == region.totals.posts_total == 4
    assert table.loc["г. Ангарск", "share"] == pytest.approx(0.5)


def test_an_empty_store_gives_zeros_not_errors(store: Store, registry: Registry) -> None:
    cov = coverage(store, registry)
    assert cov.totals.posts_total == 0 and cov.totals.views is None
    assert len(cov.silent) == 4 and cov.posts.empty


def test_odnoklassniki_and_max_are_channels_of_their_own(store: Store, registry: Registry,
                                                         filled: dict[str, int]) -> None:
    """Crawled OK and MAX posts and manual entries named «Одноклассники»/«MAX» count in their own columns."""
    add_channel(store, "Детский сад № 7", "ok", "ok.ru/group/70000000000007")
    add_channel(store, "Школа № 2", "max", "max.ru/school2")
    add_post(store, "ok.ru/group/70000000000007", "t1", "2025-01-19T03:00:00", "Нацпроект «Образование» в саду.")
    add_post(store, "max.ru/school2", "m1", "2025-01-19T04:00:00", "Нацпроект «Образование»: новый кабинет.")
    with store.engine.begin() as conn:
        conn.execute(insert(t.manual_entries), [
            {"municipality_id": 1, "institution_id": 4, "channel": "одноклассники ", "url": "https://ok.ru/x/topic/1",
             "description": "", "published_on": "2025-01-22", "who": "Иванова", "at": NOW},
            {"municipality_id": 1, "institution_id": 4, "channel": "MAX", "url": "", "description": "пост",
             "published_on": "2025-01-22", "who": "Иванова", "at": NOW},
            {"municipality_id": 1, "institution_id": 4, "channel": "газета", "url": "", "description": "статья",
             "published_on": "2025-01-22", "who": "Иванова", "at": NOW}])
    cov = coverage(store, registry)
    assert cov.totals.posts == {"website": 0, "vk": 2, "ok": 2, "telegram": 1, "max": 2, "other": 1}
    grid = cov.institutions.set_index("institution")
    assert grid.loc["Детский сад № 7", ["ok", "max", "other", "total"]].tolist() == [2, 1, 1, 4]
    assert grid.loc["Школа № 2", ["telegram", "max"]].tolist() == [1, 1]
    assert cov.daily.loc[date(2025, 1, 22), "ok"] == 1 and cov.daily.loc[date(2025, 1, 19), "max"] == 1
