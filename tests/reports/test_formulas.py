"""Counts that follow a person's edits, and text that never turns into a formula.

LibreOffice recalculates the workbooks (converting xlsx to xlsx), as it does when a
coordinator opens them; the values are read back from its file.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import insert

from crawler import schema as t
from crawler.registry import Registry
from crawler.store import Store
from reports.api import write_draft, write_final, write_region
from reports.review_import import import_file

from .conftest import add_post
from .print_support import convert

NOW = datetime(2025, 1, 25, 3, 0, tzinfo=timezone.utc)
SUMMARY_ROWS = range(7, 17)
HOSTILE = {"comment": "=1+1", "description": '=HYPERLINK("http://evil.example","нажми")', "channel": "@газета",
           "near": "+7 (3952) 00-00-00 звоните: нацпроект «Образование»"}


def summary(path: Path) -> dict[str, object]:
    wb = load_workbook(path, data_only=True)
    ws = wb["Отчёт"]
    values = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in SUMMARY_ROWS}
    wb.close()
    return values


def test_summary_counts_follow_rows_a_person_changes(store: Store, registry: Registry, filled: dict[str, int],
                                                     tmp_path: Path) -> None:
    path = write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "draft.xlsx")
    wb = load_workbook(path)
    ws, other = wb["Отчёт"], wb["Другие каналы"]
    assert ws["D30"].value == "Telegram"
    ws["K30"] = "отклонено"
    other["B4"], other["C4"], other["D4"], other["E4"] = ("Детский сад № 7", "Одноклассники", "22.01.2025",
                                                          "https://ok.ru/group/1/topic/2")
    other["B5"], other["C5"], other["D5"], other["F5"] = "Детский сад № 5", "газета", "23.01.2025", "статья"
    other["B14"], other["C14"], other["D14"], other["F14"] = "Школа № 2", "MAX", "23.01.2025", "пост"  # below the slots
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    before, after = convert([path, edited], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    assert summary(before) == {
        "Всего учреждений": 4, "Учреждений, разместивших публикации": 2, "Публикаций на сайтах": 0,
        "Публикаций ВКонтакте": 2, "Публикаций в Одноклассниках": 0, "Публикаций в Telegram": 1,
        "Публикаций в MAX": 0, "Публикаций в других каналах": 0, "Всего публикаций": 3, "Всего просмотров": 380}
    assert summary(after) == {
        "Всего учреждений": 4, "Учреждений, разместивших публикации": 4, "Публикаций на сайтах": 0,
        "Публикаций ВКонтакте": 2, "Публикаций в Одноклассниках": 1, "Публикаций в Telegram": 0,
        "Публикаций в MAX": 1, "Публикаций в других каналах": 1, "Всего публикаций": 5, "Всего просмотров": 300}


def test_region_counts_follow_rows_the_regional_centre_adds(store: Store, registry: Registry,
                                                           filled: dict[str, int], tmp_path: Path) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(t.reviews), [{"post_id": filled[name], "decision": "confirmed", "who": "Иванова",
                                          "at": NOW, "comment": ""} for name in ("p2_vk", "p2_tg")])
    path = write_region(store, registry, None, "24.01.2025", tmp_path / "region.xlsx")
    wb = load_workbook(path)
    assert wb["г. Ангарск"]["B4"].value == "Школа № 1" and wb["г. Ангарск"]["D4"].value == "ВКонтакте"
    other = wb["Другие каналы"]
    assert other["A4"].value is None  # no manual entries yet
    other["B4"], other["C4"], other["D4"] = "Шелеховский район", "Шелеховская школа № 4", "Одноклассники"
    other["B5"], other["C5"], other["D5"] = "г. Ангарск", "Детский сад № 7", "телевидение"
    wb["г. Ангарск"].delete_rows(4)  # a publication the centre strikes out (Школа № 1, VK)
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    before, after = convert([path, edited], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")

    def rows(book: Path) -> list[list[object]]:
        ws = load_workbook(book, data_only=True)["Сводка"]
        return [[ws.cell(r, c).value for c in range(1, 14)] for r in (5, 6, 7)]

    # name, institutions, covering, share, site, VK, OK, Telegram, MAX, other, total, views, unreviewed
    assert rows(before) == [["г. Ангарск", 4, 2, 0.5, 0, 1, 0, 1, 0, 0, 2, 380, 1],
                            ["Шелеховский район", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                            ["Итого по региону", 5, 2, 0.4, 0, 1, 0, 1, 0, 0, 2, 380, 2]]
    assert rows(after) == [["г. Ангарск", 4, 2, 0.5, 0, 0, 0, 1, 0, 1, 2, 80, 1],
                           ["Шелеховский район", 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1],
                           ["Итого по региону", 5, 3, 0.6, 0, 0, 1, 1, 0, 1, 3, 80, 2]]


def hostile(store: Store, filled: dict[str, int]) -> None:
    add_post(store, "club1005", "h1", "2025-01-19T03:00:00", HOSTILE["near"], label="implicit", evidence=[])
    with store.engine.begin() as conn:
        conn.execute(insert(t.reviews).values(post_id=filled["p2_vk"], decision="confirmed", who="Иванова", at=NOW,
                                              comment=HOSTILE["comment"]))
        conn.execute(insert(t.manual_entries).values(
            municipality_id=1, institution_id=4, channel=HOSTILE["channel"], url="",
            description=HOSTILE["description"], published_on="2025-01-22", who="Иванова", at=NOW))


def hostile_cells(path: Path) -> list[tuple[str, str, str, bool]]:
    """(sheet, value, data type, quote prefix) of every cell holding one of the hostile texts."""
    wb = load_workbook(path)
    found = [(ws.title, str(cell.value), cell.data_type, bool(cell.quotePrefix))
             for ws in wb.worksheets for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, str) and any(cell.value.startswith(h) for h in HOSTILE.values())]
    wb.close()
    return found


def test_user_and_crawled_text_is_text_in_every_sheet(store: Store, registry: Registry, filled: dict[str, int],
                                                      tmp_path: Path) -> None:
    hostile(store, filled)
    draft = write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "draft.xlsx")
    final = write_final(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "final.xlsx",
                        allow_pending=True)
    region = write_region(store, registry, None, "24.01.2025", tmp_path / "region.xlsx")
    cells = hostile_cells(draft)
    assert {(sheet, value) for sheet, value, _, _ in cells} >= {
        ("Отчёт", "=1+1"), ("_natmon", "=1+1"), ("Другие каналы", HOSTILE["description"]),
        ("Другие каналы", "@газета"), ("Под вопросом", HOSTILE["near"])}
    for book in (draft, final, region):
        cells = hostile_cells(book)
        assert cells and all(kind == "s" and quoted for _, _, kind, quoted in cells), (book.name, cells)
    for book in convert([draft, final, region], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML"):
        cells = hostile_cells(book)  # opened and saved by LibreOffice: still text, not 2 nor a link
        assert cells and all(kind == "s" for _, _, kind, _ in cells), (book.name, cells)
    result = import_file(store, registry, draft, "Иванова", now=NOW)  # read back unchanged: nothing to apply
    assert (result.reviews_added, result.entries_added, result.problems) == (0, 0, [])
    wb = load_workbook(draft)
    wb["Отчёт"]["K29"] = "отклонено"  # the person changes the status; the comment comes back as it was
    wb.save(draft)
    import_file(store, registry, draft, "Иванова", now=NOW)
    with store.engine.connect() as conn:
        latest = conn.execute(t.reviews.select().order_by(t.reviews.c.id.desc())).first()
    assert (latest.decision, latest.comment) == ("rejected", "=1+1")
