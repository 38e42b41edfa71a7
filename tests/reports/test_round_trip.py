"""Draft → a person edits it in a spreadsheet → import → final."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from channels.base import Post
from crawler import schema as t
from crawler.registry import Registry
from crawler.store import Store
from reports.api import PendingRows, write_draft, write_final, write_region
from reports.periods import BoundaryRule
from reports.review_import import ImportRefused, import_file

from .conftest import MATCHER, channel_id, utc
from .print_support import convert

WHEN = datetime(2025, 1, 25, 2, 0, tzinfo=timezone.utc)


def draft(store: Store, registry: Registry, tmp_path: Path, name: str = "г. Ангарск") -> Path:
    return write_draft(store, registry, None, name, "24.01.2025", tmp_path / "draft.xlsx")


def counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(t.reviews)).scalar_one(),
                conn.execute(select(func.count()).select_from(t.manual_entries)).scalar_one())


def edit(path: Path) -> Path:
    """What a coordinator does: decide rows, comment, add a newspaper article."""
    wb = load_workbook(path)
    ws = wb["Отчёт"]
    ws["K29"], ws["L29"] = "подтверждено", "ок"
    ws["K30"] = "Отклонено "  # case and spaces do not matter
    wb["Под вопросом"]["J4"] = "подтверждено"
    other = wb["Другие каналы"]
    other["B4"], other["C4"], other["D4"], other["F4"] = ("Детский сад № 7", "газета", "22.01.2025",
                                                          "Статья в «Ангарских вестях»")
    other["C5"], other["D5"], other["E5"] = "Одноклассники", datetime(2025, 1, 23), "https://ok.ru/group/1/topic/2"
    wb.save(path)
    return path


def test_round_trip_draft_import_final(store: Store, registry: Registry, filled: dict[str, int],
                                       tmp_path: Path) -> None:
    path = edit(draft(store, registry, tmp_path))
    result = import_file(store, registry, path, "Иванова А. П.", now=WHEN)
    assert (result.reviews_added, result.entries_added, result.problems) == (3, 2, [])
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.reviews.c.post_id, t.reviews.c.decision, t.reviews.c.who, t.reviews.c.comment)
                            .order_by(t.reviews.c.post_id)).all()
    assert [tuple(r) for r in rows] == [(filled["p2_vk"], "confirmed", "Иванова А. П.", "ок"),
                                        (filled["p2_tg"], "rejected", "Иванова А. П.", ""),
                                        (filled["p2_near"], "confirmed", "Иванова А. П.", "")]
    again = import_file(store, registry, path, "Иванова А. П.", now=WHEN)
    assert (again.reviews_added, again.entries_added) == (0, 0) and counts(store) == (3, 2)

    with pytest.raises(PendingRows) as refused:  # edge_in is still unreviewed
        write_final(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "final.xlsx")
    assert refused.value.rows == ["Школа № 1, ВКонтакте, 24.01.2025: https://example.ru/club1001/v2"]
    assert not (tmp_path / "final.xlsx").exists()

    final = write_final(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "final.xlsx",
                        allow_pending=True)
    wb = load_workbook(final)
    ws = wb["Отчёт"]
    assert "Под вопросом" not in wb.sheetnames
    assert [[ws.cell(r, c).value for c in (2, 4, 11, 12)] for r in (29, 30)] == [
        ["Школа № 1", "ВКонтакте", "подтверждено", "ок"], ["Детский сад № 5", "ВКонтакте", "подтверждено", None]]
    assert ws["A31"].value.startswith("Публикации в других каналах") and ws["A6"].value == "1. Сводные показатели"
    assert ws["C7"].value == 4 and ws["C8"].value.startswith("=SUMPRODUCT(")  # counts are formulas
    other = wb["Другие каналы"]
    assert [[other.cell(r, c).value for c in (2, 3, 4)] for r in (4, 5)] == [
        ["Детский сад № 7", "газета", datetime(2025, 1, 22)], [None, "Одноклассники", datetime(2025, 1, 23)]]
    assert other["A6"].value is None  # no blank slots in the final form
    assert not ws.data_validations.dataValidation


def test_recrawl_and_rematch_keep_decisions(store: Store, registry: Registry, filled: dict[str, int],
                                            tmp_path: Path) -> None:
    import_file(store, registry, edit(draft(store, registry, tmp_path)), "Иванова", now=WHEN)
    edited = Post("v1", "https://example.ru/club1001/v1", utc("2025-01-20T02:00:00"), "Исправленный текст о нацпроекте",
                  views=400)
    store.save_posts(channel_id(store, "club1001"), [edited])
    store.save_matches([{"post_id": filled["p2_vk"], "version": MATCHER, "label": "explicit",
                         "projects": ["Образование"], "federal_projects": [], "campaign": False, "formats": [],
                         "evidence": [], "content_hash": edited.content_hash()}])
    ws = load_workbook(draft(store, registry, tmp_path))["Отчёт"]
    assert (ws["K29"].value, ws["L29"].value, ws["J29"].value) == ("подтверждено", "ок", 400)


def test_bad_cells_are_reported_and_the_rest_imported(store: Store, registry: Registry, filled: dict[str, int],
                                                      tmp_path: Path) -> None:
    path = draft(store, registry, tmp_path)
    wb = load_workbook(path)
    ws = wb["Отчёт"]
    ws["K29"] = "да"
    ws["K30"] = "подтверждено"
    ws["M31"] = "abc"
    other = wb["Другие каналы"]
    other["C4"], other["D4"], other["F4"] = "газета", "вчера", "заметка"
    other["B5"], other["C5"], other["D5"], other["F5"] = "Школа № 99", "ТВ", "23.01.2025", "сюжет"
    wb.save(path)
    result = import_file(store, registry, path, "Иванова", now=WHEN)
    assert [p.render() for p in result.problems] == [
        "лист «Отчёт», строка 29, столбец K («Статус проверки»): неизвестный статус «да»; допустимы: подтверждено, "
        "отклонено, не проверено; строка пропущена",
        "лист «Отчёт», строка 31, столбец M («ID публикации (не менять)»): ID «abc» — не число; строка пропущена",
        "лист «Другие каналы», строка 4, столбец D («Дата»): не понимаю дату «вчера»; укажите как 24.01.2025; "
        "строка пропущена",
        "лист «Другие каналы», строка 5, столбец B («Учреждение»): учреждения «Школа № 99» нет в реестре этого "
        "муниципалитета; строка пропущена"]
    assert (result.reviews_added, result.entries_added) == (1, 0)


def test_a_file_of_another_municipality_changes_nothing(store: Store, registry: Registry, filled: dict[str, int],
                                                        tmp_path: Path) -> None:
    path = edit(draft(store, registry, tmp_path))
    with pytest.raises(ImportRefused, match="относится к муниципалитету «г. Ангарск», а не к «Шелеховский район»"):
        import_file(store, registry, path, "Петров", municipality="Шелеховский район")
    with pytest.raises(ImportRefused, match="к отчёту по 24.01.2025, а не к указанному сроку 10.02.2025"):
        import_file(store, registry, path, "Петров", deadline="10.02.2025")
    other = write_draft(store, registry, None, "Шелеховский район", "24.01.2025", tmp_path / "other.xlsx")
    wb = load_workbook(other)  # rows pasted from the Angarsk file into the Shelekhov one
    wb["Отчёт"].unmerge_cells("A30:L30")  # the line under the register
    wb["Отчёт"].insert_rows(30)
    wb["Отчёт"]["M30"], wb["Отчёт"]["K30"] = filled["p2_tg"], "подтверждено"
    wb["Отчёт"]["K29"] = "подтверждено"
    wb.save(other)
    with pytest.raises(ImportRefused, match=f"строка 30: публикация {filled['p2_tg']} не относится к «Шелеховский район»"):
        import_file(store, registry, other, "Петров")
    assert counts(store) == (0, 0)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda wb: wb["Отчёт"].delete_cols(13), "не найден столбец «ID публикации \\(не менять\\)»"),
    (lambda wb: wb["Отчёт"].delete_cols(11), "нет столбца «Статус проверки»"),
    (lambda wb: wb.remove(wb["_natmon"]), "нет служебного листа natmon"),
    (lambda wb: wb.remove(wb["Под вопросом"]), "нет листа «Под вопросом»"),
])
def test_a_damaged_file_changes_nothing(store: Store, registry: Registry, filled: dict[str, int], tmp_path: Path,
                                        damage: object, message: str) -> None:
    path = edit(draft(store, registry, tmp_path))
    wb = load_workbook(path)
    damage(wb)  # type: ignore[operator]
    wb.save(path)
    with pytest.raises(ImportRefused, match=message):
        import_file(store, registry, path, "Петров")
    assert counts(store) == (0, 0)


def test_a_decision_made_elsewhere_is_not_undone_by_an_old_draft(store: Store, registry: Registry,
                                                                  filled: dict[str, int], tmp_path: Path) -> None:
    path = draft(store, registry, tmp_path)  # every row «не проверено»
    with store.engine.begin() as conn:
        conn.execute(t.reviews.insert().values(post_id=filled["p2_vk"], decision="rejected", who="веб", at=WHEN,
                                               comment=""))
    result = import_file(store, registry, path, "Петров")
    assert (result.reviews_added, result.unchanged) == (0, 4) and counts(store) == (1, 0)


def test_region_workbook_has_a_summary_and_a_sheet_per_municipality(store: Store, registry: Registry,
                                                                    filled: dict[str, int], tmp_path: Path) -> None:
    import_file(store, registry, edit(draft(store, registry, tmp_path)), "Иванова", now=WHEN)
    path = write_region(store, registry, None, "24.01.2025", tmp_path / "region.xlsx")
    [calculated] = convert([path], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")  # the counts are formulas
    wb = load_workbook(calculated, data_only=True)
    assert wb.sheetnames == ["Сводка", "г. Ангарск", "Шелеховский район", "Другие каналы", "Без публикаций и сбои"]
    summary = wb["Сводка"]
    assert [c.value for c in summary[4]][4:10] == ["Сайт", "ВКонтакте", "Одноклассники", "Telegram", "MAX",
                                                   "Другие каналы"]
    # the entry typed as «Одноклассники» counts there, the newspaper under other channels
    assert [c.value for c in summary[5]] == ["г. Ангарск", 4, 3, 0.75, 0, 2, 1, 0, 0, 1, 4, 300, 1]
    assert [c.value for c in summary[6]] == ["Шелеховский район", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [c.value for c in summary[7]][:3] == ["Итого по региону", 5, 3]
    written = load_workbook(path)
    assert written["Сводка"]["A5"].hyperlink.location == "'г. Ангарск'!A1"
    link = written["г. Ангарск"]["F4"]  # links look like links: the Hyperlink style, blue and underlined
    assert link.hyperlink.target == "https://example.ru/club1001/v1" and link.value == link.hyperlink.target
    assert link.style == "Hyperlink" and link.font.u == "single" and link.font.name == "Arial"
    sheet = wb["г. Ангарск"]
    assert [sheet.cell(r, 2).value for r in (4, 5)] == ["Школа № 1", "Детский сад № 5"]


def test_a_draft_cut_with_the_other_boundary_rule_imports_with_it(store: Store, registry: Registry,
                                                                   filled: dict[str, int], tmp_path: Path) -> None:
    path = write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "next.xlsx",
                       rule=BoundaryRule.DEADLINE_STARTS_NEXT)
    wb = load_workbook(path)
    ws = wb["Отчёт"]
    assert ws["C3"].value == "по 24.01.2025 (13.01.2025 – 23.01.2025)"
    assert [ws.cell(r, 13).value for r in (29, 30, 31)] == [filled["p2_vk"], filled["p2_tg"], None]  # 24.01 is out
    ws["K30"] = "подтверждено"
    wb.save(path)
    result = import_file(store, registry, path, "Иванова", now=WHEN)
    assert (result.reviews_added, result.problems) == (1, [])


def test_the_register_ends_at_the_next_line_of_the_form(store: Store, registry: Registry, filled: dict[str, int],
                                                        tmp_path: Path) -> None:
    path = draft(store, registry, tmp_path)
    wb = load_workbook(path)
    ws = wb["Отчёт"]
    assert ws["A32"].value.startswith("Публикации в других каналах")  # right under the last row, no blank row
    ws["K31"] = "подтверждено"
    wb.save(path)
    result = import_file(store, registry, path, "Иванова", now=WHEN)
    assert (result.reviews_added, result.problems) == (1, [])
