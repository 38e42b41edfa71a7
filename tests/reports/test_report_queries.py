"""Reports read one period's matched posts and let the database count the running totals (issue 18)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import insert

from channels.base import Post
from crawler import schema as t
from crawler.registry import Registry
from crawler.registry import load as load_registry  # reports.data's load is `load` here
from crawler.store import Store
from reports.api import write_draft, write_region
from reports.coverage import municipality_coverage, region_coverage
from reports.data import TEXT_NEAR, TEXT_NONE, load
from reports.periods import find_period
from reports.review_store import Decision, save

from .conftest import add_post, channel_id, utc

TODAY = date(2025, 1, 25)
NOW = datetime(2025, 1, 25, 3, 0, tzinfo=timezone.utc)
ANGARSK = "г. Ангарск"
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _cells(path: Path) -> list[tuple[str, str, Any]]:
    """Every filled cell of a workbook (the moment it was written left out)."""
    wb = load_workbook(path)
    try:
        return [(ws.title, cell.coordinate, STAMP.sub("…", str(cell.value)))
                for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    finally:
        wb.close()


def _everything(store: Store, registry: Registry, folder: Path) -> dict[str, Any]:
    """What the preview, the draft and the region report of the period of 24.01 show."""
    campaign = registry.campaign(None, TODAY)
    period = find_period(campaign, "24.01.2025", TODAY)
    data = load(store, registry, campaign)
    cov = municipality_coverage(data, ANGARSK, period)
    region = region_coverage(data, period)
    folder.mkdir()
    draft = write_draft(store, registry, campaign, ANGARSK, period, folder / "draft.xlsx")
    summary = write_region(store, registry, campaign, period, folder / "region.xlsx")
    return {"totals": cov.totals, "grid": cov.institutions.to_json(), "daily": cov.daily.to_json(),
            "posts": list(cov.posts["post_id"]), "near": list(cov.near_misses["post_id"]),
            "region": region.totals, "municipalities": region.municipalities.to_json(),
            "region_daily": region.daily.to_json(), "draft": _cells(draft), "summary": _cells(summary)}


def test_posts_outside_the_period_and_unmatched_ones_change_nothing(store: Store, registry: Registry,
                                                                    filled: dict[str, int], tmp_path: Path) -> None:
    before = _everything(store, registry, tmp_path / "before")
    # Matched posts after the period, before the campaign and after its end; unmatched ones in the period,
    # with a match labelled none or with no match at all yet; a deleted one in the period.
    for n in range(40):
        add_post(store, "club1001", f"later{n}", f"2025-02-0{1 + n % 9}T03:00:00", "Нацпроект «Образование» идёт.")
        add_post(store, "school2_angarsk", f"none{n}", "2025-01-20T03:00:00", "Зимние каникулы.", label="none",
                 projects=())
    add_post(store, "club1001", "early", "2025-01-05T03:00:00", "Нацпроект «Образование» до кампании.", views=9)
    add_post(store, "club1001", "late", "2025-04-02T03:00:00", "Нацпроект «Образование» после кампании.", views=9)
    raw = [Post(f"raw{n}", f"https://vk.com/wall-1005_{n}", utc("2025-01-21T03:00:00"), "Без разметки")
           for n in range(20)]
    result = store.save_posts(channel_id(store, "club1005"), raw)
    assert len(result.new) == 20
    deleted = add_post(store, "club1001", "gone", "2025-01-21T03:00:00", "Нацпроект «Образование» (удалён).")
    with store.engine.begin() as conn:
        conn.execute(t.posts.update().where(t.posts.c.id == deleted).values(deleted=True))
    after = _everything(store, registry, tmp_path / "after")
    assert after == before


def test_an_unmatched_post_never_reaches_a_report_but_the_post_list_has_it(store: Store, registry: Registry,
                                                                            filled: dict[str, int]) -> None:
    campaign = registry.campaign(None, TODAY)
    period = find_period(campaign, "24.01.2025", TODAY)
    data = load(store, registry, campaign)
    m_id = data.municipality_id(ANGARSK)
    shown = set(data.posts(period, m_id)["post_id"])
    assert filled["p2_none"] not in shown
    assert {filled["p2_vk"], filled["p2_tg"], filled["p2_near"], filled["edge_in"]} <= shown
    assert filled["p1_site"] not in shown and filled["edge_out"] not in shown  # other periods
    assert filled["p2_none"] in set(data.posts(period, m_id, matched_only=False)["post_id"])  # the web app's list
    assert filled["other_muni"] in set(data.posts(period)["post_id"]) - shown  # the region's posts of the period


def test_text_is_read_only_where_a_sheet_shows_it(store: Store, registry: Registry, filled: dict[str, int]) -> None:
    campaign = registry.campaign(None, TODAY)
    period = find_period(campaign, "24.01.2025", TODAY)
    data = load(store, registry, campaign)
    m_id = data.municipality_id(ANGARSK)
    near = data.posts(period, m_id, text=TEXT_NEAR).set_index("post_id")["text"]
    assert near[filled["p2_near"]] == "В детском саду прошёл конкурс «Точка роста»."  # the near-miss sheet's excerpt
    assert near[filled["p2_vk"]] == ""
    assert set(data.posts(period, m_id, text=TEXT_NONE)["text"]) == {""}
    assert data.posts(period, m_id).set_index("post_id")["text"][filled["p2_vk"]].startswith("Новый кабинет")


def test_running_totals_count_earlier_periods_with_their_latest_reviews(store: Store, registry: Registry,
                                                                       filled: dict[str, int]) -> None:
    # Period 1 (10.01–13.01): a post the matcher missed but a person confirmed counts; an explicit one
    # rejected does not; one rejected and then confirmed counts (the latest review wins).
    missed = add_post(store, "club1005", "m1", "2025-01-12T03:00:00", "Открыли группу для малышей.", label="none",
                      projects=(), views=40)
    rejected = add_post(store, "club1001", "r1", "2025-01-12T04:00:00", "Нацпроект «Образование»: реклама.", views=7)
    changed = add_post(store, "school2_angarsk", "c1", "2025-01-13T15:00:00",  # 13.01 23:00 local
                       "Нацпроект «Образование» в школе № 2.", views=11)
    save(store.engine, [Decision(missed, "confirmed", ""), Decision(rejected, "rejected", ""),
                        Decision(changed, "rejected", "")], [], "Иванова", NOW)
    save(store.engine, [Decision(changed, "confirmed", "передумали")], [], "Петрова",
         datetime(2025, 1, 25, 4, 0, tzinfo=timezone.utc))
    campaign = registry.campaign(None, TODAY)
    period = find_period(campaign, "24.01.2025", TODAY)
    cov = municipality_coverage(load(store, registry, campaign), ANGARSK, period)
    totals = cov.totals
    assert totals.posts == {"website": 0, "vk": 2, "ok": 0, "telegram": 1, "max": 0, "other": 0}  # period 2 unchanged
    assert totals.posts_cumulative == {"website": 1, "vk": 3, "ok": 0, "telegram": 2, "max": 0, "other": 0}
    assert totals.views_cumulative == 500 + 40 + 11
    assert totals.institutions_covering == 2 and totals.institutions_covering_cumulative == 3  # + Детский сад № 5
    grid = cov.institutions.set_index("institution")
    assert grid.loc["Детский сад № 5", ["total", "total_cumulative"]].tolist() == [0, 1]
    assert grid.loc["Детский сад № 5", "last_post"] == date(2025, 1, 12)
    assert grid.loc["Школа № 2", "total_cumulative"] == 2
    assert cov.daily.loc[date(2025, 1, 13), "telegram"] == 1 and cov.daily.loc[date(2025, 1, 12), "vk"] == 1


def test_the_regions_figures_are_the_sum_of_its_municipalities(store: Store, registry: Registry,
                                                                filled: dict[str, int]) -> None:
    with store.engine.begin() as conn:
        shelekhov = conn.execute(t.municipalities.select().where(t.municipalities.c.name == "Шелеховский район")
                                 ).one().id
        conn.execute(insert(t.manual_entries).values(municipality_id=shelekhov, institution_id=None, channel="Газета",
                                                     url="", description="Статья", published_on="2025-01-16",
                                                     who="Иванова", at=NOW))
    campaign = registry.campaign(None, TODAY)
    period = find_period(campaign, "24.01.2025", TODAY)
    region = region_coverage(load(store, registry, campaign), period)
    totals = region.totals
    assert totals.institutions_total == 5 and totals.institutions_by_kind == {"kindergarten": 2, "school": 3}
    assert totals.institutions_covering == 3
    assert totals.posts == {"website": 0, "vk": 3, "ok": 0, "telegram": 1, "max": 0, "other": 1}
    assert totals.posts_cumulative["website"] == 1 and totals.views == 430 and totals.views_cumulative == 550
    assert int(region.daily["other"].sum()) == 1 and region.daily.loc[date(2025, 1, 15), "vk"] == 1
    assert list(region.municipalities["posts_total"]) == [3, 2]


def test_a_report_of_every_municipality_holds_one_municipality_at_a_time(store: Store, registry: Registry,
                                                                         filled: dict[str, int]) -> None:
    """As the report commands load it (packed), the registry gives one municipality's records at a time and
    the report reads one municipality's institutions and channels at a time, never the region's tables, with
    the same figures; a municipality the store does not know yet is left out, as before."""
    path = registry.path.with_name("packed.yaml")
    path.write_text(registry.path.read_text(encoding="utf-8") + "  - name: Новый район\n    institutions:\n"
                    "      - {name: Новая школа, kind: school, channels: [{vk: club9009}]}\n", encoding="utf-8")
    packed = load_registry(path, packed=True)
    campaign = registry.campaign(None, TODAY)
    period = find_period(campaign, "24.01.2025", TODAY)
    data = load(store, packed, campaign)
    assert data.municipality_names() == [ANGARSK, "Шелеховский район"]
    region = region_coverage(data, period)
    assert data.region is None  # the whole region's tables were never read
    assert data.current is not None and set(data.current.institutions["municipality"]) == {"Шелеховский район"}
    expected = region_coverage(load(store, registry, campaign), period)
    assert region.totals == expected.totals
    assert region.municipalities.to_json() == expected.municipalities.to_json()
    assert region.daily.equals(expected.daily)
