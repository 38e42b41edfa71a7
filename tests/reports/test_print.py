"""Every workbook natmon writes prints clean on A4 landscape through LibreOffice.

One LibreOffice run renders the draft, the final and the region workbook of a region with a
long register (two pages), long links, a long institution name, Одноклассники and MAX, a
failed channel and silent institutions; the tests read the PDFs' text layer (poppler).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert

from crawler import schema as t
from crawler.registry import load as load_registry
from crawler.store import Store
from reports.api import write_draft, write_final, write_region

from .conftest import REGISTRY_YAML, add_channel, add_post, channel_id, fill
from .print_support import Page, convert, fonts, pages

LONG_NAME = ("Муниципальное бюджетное учреждение дополнительного образования «Центр детского творчества "
             "„Созвездие“» имени Героя Советского Союза А. В. Петрова")
LONG_URL = ("https://angarsk-cdt-sozvezdie.example.ru/novosti/2025/01/nacionalnyj-proekt-obrazovanie-"
            "itogi-realizacii-v-centre-detskogo-tvorchestva-sozvezdie-otchet-za-god?utm_source=vk&id=100500")
PRINT_YAML = REGISTRY_YAML.replace("  - name: Шелеховский район", f"""      - name: {LONG_NAME}
        kind: additional
        channels:
          - vk: club1010
  - name: Шелеховский район""")
REGISTER_POSTS = 45  # more than one landscape page holds
NOW = datetime(2025, 1, 25, 3, 0, tzinfo=timezone.utc)
REGISTER_HEADINGS = ["Учреждение", "Тип", "Канал", "Дата", "Ссылка", "Национальные проекты", "Кампания", "Формат",
                     "Просмотры", "Статус проверки", "Комментарий"]


def build_region(root: Path) -> dict[str, Path]:
    """The store and registry of the printed region; returns the three workbooks."""
    (root / "sources.yaml").write_text(PRINT_YAML, encoding="utf-8")
    registry = load_registry(root / "sources.yaml")
    store = Store.open(str(root / "natmon.db"))
    try:
        store.sync_registry(registry)
        posts = fill(store)
        add_channel(store, "Школа № 1", "ok", "ok.ru/group/70000000000001")
        add_channel(store, "Школа № 2", "max", "max.ru/school2_angarsk")
        ok_post = add_post(store, "ok.ru/group/70000000000001", "ok1", "2025-01-16T03:00:00",
                           "Одноклассники: нацпроект «Образование» в школе.", views=40)
        max_post = add_post(store, "max.ru/school2_angarsk", "max1", "2025-01-17T03:00:00",
                            "MAX: нацпроект «Образование», новые кабинеты.", views=15)
        long_post = add_post(store, "club1010", "cdt1", "2025-01-18T03:00:00",
                             "Итоги нацпроекта «Образование» в центре «Созвездие».", url=LONG_URL, views=75)
        many = [add_post(store, "club1001", f"m{i}", f"2025-01-{15 + i % 9:02d}T0{i % 9}:00:00",
                         f"Запись {i}: нацпроект «Образование» в школе.", views=10 + i)
                for i in range(REGISTER_POSTS)]
        store.channel_failed(channel_id(store, "ds7-angarsk"), "сайт не отвечает (HTTP 503)", NOW)
        confirmed = [posts["p2_vk"], ok_post, max_post, long_post, *many[:30]]
        with store.engine.begin() as conn:
            conn.execute(insert(t.reviews), [{"post_id": p, "decision": "confirmed", "who": "Иванова", "at": NOW,
                                              "comment": ""} for p in confirmed])
            conn.execute(insert(t.manual_entries).values(
                municipality_id=1, institution_id=4, channel="газета", url="",
                description="Статья «Нацпроект в детском саду» в газете «Ангарские ведомости»",
                published_on="2025-01-22", who="Иванова", at=NOW))
        return {
            "draft": write_draft(store, registry, None, "г. Ангарск", "24.01.2025", root / "draft.xlsx"),
            "final": write_final(store, registry, None, "г. Ангарск", "24.01.2025", root / "final.xlsx",
                                 allow_pending=True),
            "region": write_region(store, registry, None, "24.01.2025", root / "region.xlsx"),
        }
    finally:
        store.close()


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, list[Page]]]]:
    root = tmp_path_factory.mktemp("print")
    books = build_region(root)
    pdfs = convert(list(books.values()), root / "pdf")
    yield {name: (pdf, pages(pdf)) for name, pdf in zip(books, pdfs)}


DRAFT_PAGES = 5  # the report (register over two pages, signatures), other channels, near misses, gaps
FINAL_PAGES = 4  # no near misses
REGION_PAGES = 5  # summary, г. Ангарск, Шелеховский район, other channels, gaps
Printed = dict[str, tuple[Path, list[Page]]]


def page_with(pages_: list[Page], phrase: str) -> list[int]:
    return [i for i, page in enumerate(pages_) if page.has(phrase)]


def test_every_workbook_prints_on_a4_landscape_in_one_sans_family(printed: Printed) -> None:
    expected = {"draft": DRAFT_PAGES, "final": FINAL_PAGES, "region": REGION_PAGES}
    for name, (pdf, ps) in printed.items():
        assert len(ps) == expected[name], name
        assert all(round(p.width) == 842 and round(p.height) == 595 for p in ps), name  # A4, width > height
        assert {font.split("-")[0] for font in fonts(pdf)} == {"LiberationSans"}, (name, fonts(pdf))


def test_headings_labels_and_values_print_whole(printed: Printed) -> None:
    for name, register_pages in (("draft", [0, 1]), ("final", [0, 1])):
        ps = printed[name][1]
        assert page_with(ps, "Кампания") == register_pages, name  # a column only the register has
        first = ps[0]
        for heading in REGISTER_HEADINGS:  # repeated over each page of the register, and only there
            assert all(ps[i].has(heading) for i in register_pages), (name, heading)
        for phrase in ("Отчёт об освещении национальных проектов в информационном пространстве",
                       "Орган управления образованием:", "Управление образования", "1. Сводные показатели",
                       "Публикаций в Одноклассниках", "Публикаций в MAX", "2. Реестр публикаций",
                       "дополнительное образование", "Одноклассники", LONG_NAME):
            assert first.has(phrase), (name, phrase)
        assert first.joined("https://angarsk-cdt", len(LONG_URL)) == LONG_URL  # wrapped, not cut
        heading_top = first.y_of("Учреждение")
        heading_bottom = max(w.y1 for w in first.words if w.text in ("проверки", "проекты", "Просмотры")
                             and w.y0 >= heading_top)
        first_row = min(w.y0 for w in first.words if w.text == "Школа" and w.y0 > heading_top)
        assert heading_bottom < first_row, name  # the heading row is tall enough for its wrapped headings
        for phrase in ("Ответственный (ФИО, должность, телефон):", "Руководитель органа управления образованием:",
                       "(подпись)", "(дата)", "М. П."):
            assert first.has(phrase), (name, phrase)  # with the figures they sign
        assert first.y_of("Ответственный") < first.y_of("2. Реестр публикаций")


def test_each_section_under_its_own_headings(printed: Printed) -> None:
    for name in ("draft", "final"):
        ps = printed[name][1]
        first = ps[0]
        assert 0 < first.y_of("1. Сводные показатели") < first.y_of("2. Реестр публикаций")
        other = page_with(ps, "3. Другие каналы коммуникации")
        assert len(other) == 1, name
        page = ps[other[0]]
        assert page.has("Описание") and page.has("Статья «Нацпроект в детском саду» в газете «Ангарские ведомости»")
        assert not page.has("Статус проверки") and not page.has("Национальные проекты")
        gaps = ps[page_with(ps, "Учреждения без публикаций за период: 1")[0]]
        assert gaps.has("Детский сад № 5") and gaps.has("сайт не отвечает (HTTP 503)")
        assert gaps.has("Каналы, которые не удалось прочитать (последняя ошибка): 1")
        assert not gaps.has("Статус проверки")
    near = page_with(printed["draft"][1], "Что сработало")
    assert near == [3] and not printed["draft"][1][3].has("Описание")


def test_the_region_workbook_fits_the_page_width(printed: Printed) -> None:
    ps = printed["region"][1]
    summary = ps[0]
    assert summary.has("Иркутская область: освещение национальных проектов, отчёт по 24.01.2025")
    for heading in ("Муниципалитет", "Учреждений", "С подтверждёнными публикациями", "Сайт", "ВКонтакте",
                    "Одноклассники", "Telegram", "MAX", "Другие каналы", "Всего публикаций", "Просмотры",
                    "Не проверено", "Итого по региону", "Шелеховский район"):
        assert summary.has(heading), heading
    # the counts are formulas LibreOffice calculated: 5 institutions, 4 with confirmed posts, 80 %, site 0,
    # VK 32, OK 1, Telegram 0, MAX 1, other 1 (the newspaper), 35 in all, 1165 views, 17 unreviewed
    assert summary.line_of("Ангарск") == ["г.", "Ангарск", "5", "4", "80%", "0", "32", "1", "0", "1", "1", "35",
                                          "1165", "17"]
    assert summary.line_of("Итого")[3:6] == ["6", "4", "67%"]
    angarsk = page_with(ps, "Национальные проекты")
    assert angarsk == [1, 2]  # a page for each municipality
    assert ps[1].has(LONG_NAME) and ps[1].joined("https://angarsk-cdt", len(LONG_URL)) == LONG_URL
    assert ps[1].has("г. Ангарск: подтверждённые публикации, отчёт по 24.01.2025 (14.01.2025 – 24.01.2025)")
    assert page_with(ps, "Описание") == [3] and ps[3].has("г. Ангарск") and not ps[3].has("Национальные проекты")
    assert ps[4].has("Детский сад № 5") and ps[4].has("Муниципалитет")
