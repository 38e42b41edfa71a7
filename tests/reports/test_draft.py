from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from crawler.registry import Registry
from crawler.store import Store
from reports import ReportError
from reports.api import today_in, write_draft
from reports.make_template import build
from reports.xlsx_template import shown_text

from .conftest import add_post

REGISTER_HEADINGS = ["№", "Учреждение", "Тип", "Канал", "Дата", "Ссылка", "Национальные проекты", "Кампания",
                     "Формат", "Просмотры", "Статус проверки", "Комментарий", "ID публикации (не менять)"]


def draft(store: Store, registry: Registry, tmp_path: Path, template: Path | None = None) -> Path:
    return write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "draft.xlsx", template)


def test_draft_header_register_and_summary(store: Store, registry: Registry, filled: dict[str, int],
                                           tmp_path: Path) -> None:
    wb = load_workbook(draft(store, registry, tmp_path))
    ws = wb["Отчёт"]
    assert wb.sheetnames == ["Отчёт", "Другие каналы", "Под вопросом", "Без публикаций и сбои", "_natmon"]
    assert ws["C2"].value == "Иркутская область" and ws["G2"].value == "г. Ангарск"
    assert ws["C3"].value == "по 24.01.2025 (14.01.2025 – 24.01.2025)"
    assert ws["G3"].value == "Итоги реализации нацпроектов"
    assert ws["C4"].value == f"{today_in(registry):%d.%m.%Y}"
    assert (ws["F4"].value, ws["G4"].value) == ("Орган управления образованием:", "Управление образования")
    assert ws["A19"].value == "Ответственный (ФИО, должность, телефон):"
    assert ws["A22"].value == "Руководитель органа управления образованием:"
    assert ws["A27"].value == "2. Реестр публикаций"
    assert [c.value for c in ws[28]] == REGISTER_HEADINGS
    assert [c.value for c in ws[29]] == [1, "Школа № 1", "школа", "ВКонтакте", datetime(2025, 1, 20),
                                         "https://example.ru/club1001/v1", "Образование", None, None, 300,
                                         "не проверено", None, filled["p2_vk"]]
    link = ws["F29"]
    assert link.hyperlink.target == "https://example.ru/club1001/v1"
    assert link.style == "Hyperlink" and link.font.u == "single" and link.font.color.rgb.endswith("0563C1")
    assert ws["E29"].number_format == "DD.MM.YYYY"
    assert [ws.cell(r, 2).value for r in (30, 31)] == ["Школа № 2", "Школа № 1"]
    assert ws["A6"].value == "1. Сводные показатели"
    summary = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(7, 17)}
    assert summary["Всего учреждений"] == 4
    assert summary["Публикаций ВКонтакте"] == '=COUNTIFS(\'Отчёт\'!$D$29:$D$31,"ВКонтакте",\'Отчёт\'!$K$29:$K$31,"<>отклонено")'
    assert summary["Публикаций в Одноклассниках"].startswith(
        '=COUNTIFS(\'Отчёт\'!$D$29:$D$31,"Одноклассники",\'Отчёт\'!$K$29:$K$31,"<>отклонено")'
        '+COUNTIF(\'Другие каналы\'!$C$4:$C$313,"одноклассники")')
    assert all(str(value).startswith("=") for title, value in summary.items() if title != "Всего учреждений")
    assert ws.freeze_panes == "A29"
    assert ws.print_title_rows == "$28:$28"  # the register's heading, repeated over its pages only
    assert ws.column_dimensions["M"].hidden and not ws.column_dimensions["G"].hidden
    assert ws.column_dimensions["B"].width >= 30
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations == {"K29:K31": '"подтверждено,отклонено,не проверено"'}
    other = wb["Другие каналы"]
    assert other["A1"].value.startswith("3. Другие каналы") and other.print_title_rows == "$3:$3"
    assert [other.cell(r, 1).value for r in range(4, 14)] == list(range(1, 11))


def test_near_misses_sheet_and_hidden_metadata(store: Store, registry: Registry, filled: dict[str, int],
                                               tmp_path: Path) -> None:
    wb = load_workbook(draft(store, registry, tmp_path))
    near = wb["Под вопросом"]
    assert [c.value for c in near[4]] == [1, "Детский сад № 5", "детский сад", "ВКонтакте", datetime(2025, 1, 21),
                                          "https://example.ru/club1005/v5", "Образование", "Точка роста",
                                          "В детском саду прошёл конкурс «Точка роста».", "не проверено", None,
                                          filled["p2_near"]]
    assert {str(dv.sqref) for dv in near.data_validations.dataValidation} == {"J4"}
    meta = wb["_natmon"]
    assert meta.sheet_state == "veryHidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True) if row[0] not in ("block", "status")}
    assert values["municipality"] == "г. Ангарск" and values["campaign"] == "itogi-np-2025"
    assert values["deadline"] == "2025-01-24" and values["kind"] == "draft"


def test_untrusted_text_never_becomes_a_formula(store: Store, registry: Registry, filled: dict[str, int],
                                                tmp_path: Path) -> None:
    add_post(store, "club1005", "f1", "2025-01-19T03:00:00", "=HYPERLINK(\"http://evil\",\"x\") Точка роста\x0b",
             label="implicit", evidence=[])
    near = load_workbook(draft(store, registry, tmp_path))["Под вопросом"]
    cell = near["I4"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://evil\",\"x\") Точка роста"


def test_a_users_own_template_is_followed(store: Store, registry: Registry, filled: dict[str, int],
                                          tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Форма"
    ws["B1"] = "Отчёт муниципалитета {{municipality}} ({{region}})"
    ws["B2"] = "Период: {{period}}, составлен {{date}}"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = "п/п", "Ссылка на публикацию", "Организация", "Решение"
    ws["A5"], ws["B5"], ws["C5"], ws["D5"], ws["E5"] = ("{{rows}}", "{{col.url}}", "{{col.institution}}",
                                                         "{{col.status}}", "{{col.post_id}}")
    ws["A7"], ws["B7"] = "Итого публикаций:", "{{posts_total}}"
    ws.merge_cells("B1:D1")
    template = tmp_path / "мой шаблон.xlsx"
    wb.save(template)
    out = load_workbook(draft(store, registry, tmp_path, template))
    form = out["Форма"]
    assert form["B1"].value == "Отчёт муниципалитета г. Ангарск (Иркутская область)"
    # the links are longer than this template's narrow column: written to wrap (reports.xlsx_template.link)
    assert [[shown_text(c.value) if c.column == 2 else c.value for c in row]
            for row in form.iter_rows(min_row=5, max_row=7, max_col=5)] == [
        [1, "https://example.ru/club1001/v1", "Школа № 1", "не проверено", filled["p2_vk"]],
        [2, "https://example.ru/school2_angarsk/t1", "Школа № 2", "не проверено", filled["p2_tg"]],
        [3, "https://example.ru/club1001/v2", "Школа № 1", "не проверено", filled["edge_in"]]]
    assert form["E4"].value == "ID публикации (не менять)" and form.column_dimensions["E"].hidden
    assert (form["A9"].value, form["B9"].value) == (
        "Итого публикаций:", "=COUNTIFS('Форма'!$E$5:$E$7,\"<>\",'Форма'!$D$5:$D$7,\"<>отклонено\")"
                             "+COUNTA('Другие каналы'!$C$2:$C$311)")  # a formula over the rows, as in the default form
    assert [str(r) for r in form.merged_cells.ranges] == ["B1:D1"]
    assert "Под вопросом" in out.sheetnames and "Другие каналы" in out.sheetnames  # added for missing blocks


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path)
    try:
        return {ws.title: [tuple((c.value, c.style_id, c.hyperlink.target if c.hyperlink else None) for c in row)
                           for row in ws.iter_rows()]
                for ws in wb.worksheets if ws.title != "_natmon"}  # _natmon holds the moment it was written
    finally:
        wb.close()


def test_a_template_is_read_once_and_again_when_it_changes(store: Store, registry: Registry, filled: dict[str, int],
                                                          tmp_path: Path) -> None:
    """Drafts written one after another from one template are the same workbook (each fills its own
    copy of the template read once), and an edited template is read again."""
    template = tmp_path / "template.xlsx"
    wb = build()
    wb["Отчёт"]["A1"] = "Первая редакция: {{municipality}}"
    wb.save(template)
    first = _cells(write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "1.xlsx", template))
    second = _cells(write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "2.xlsx", template))
    assert second == first and first["Отчёт"][0][0][0] == "Первая редакция: г. Ангарск"
    register = [row[0][0] for row in first["Отчёт"][28:32]]
    assert register[:3] == [1, 2, 3] and register[3] != 4  # the register's rows once, not added to a shared copy
    wb["Отчёт"]["A1"] = "Вторая редакция: {{municipality}}"
    wb.save(template)
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = _cells(write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "3.xlsx", template))
    assert third["Отчёт"][0][0][0] == "Вторая редакция: г. Ангарск"


def test_template_mistakes_are_named(store: Store, registry: Registry, tmp_path: Path) -> None:
    wb = build()
    wb["Отчёт"]["C2"] = "{{regoin}}"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(ReportError, match=r"неизвестные поля: Отчёт!C2: \{\{regoin\}\}"):
        draft(store, registry, tmp_path, bad)
    no_rows = Workbook()
    no_rows.active["A1"] = "{{municipality}}"
    no_rows.save(tmp_path / "no_rows.xlsx")
    with pytest.raises(ReportError, match=r"нет строки с \{\{rows\}\}"):
        draft(store, registry, tmp_path, tmp_path / "no_rows.xlsx")
    rows_first = Workbook()  # no row above for the headings a checked draft is read back by
    rows_first.active.title = "Форма"
    rows_first.active["A1"], rows_first.active["B1"] = "{{rows}}", "{{col.post_id}}"
    rows_first.save(tmp_path / "rows_first.xlsx")
    with pytest.raises(ReportError, match=r"rows_first\.xlsx: лист «Форма», ячейка A1: над строкой \{\{rows\}\} "
                                          r"нужна строка заголовков"):
        draft(store, registry, tmp_path, tmp_path / "rows_first.xlsx")
    (tmp_path / "not.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ReportError, match="Не удалось открыть шаблон"):
        draft(store, registry, tmp_path, tmp_path / "not.xlsx")


def test_the_committed_template_matches_make_template(tmp_path: Path) -> None:
    from reports.form import DEFAULT_TEMPLATE

    committed = load_workbook(DEFAULT_TEMPLATE)
    fresh_path = tmp_path / "fresh.xlsx"
    build().save(fresh_path)
    fresh = load_workbook(fresh_path)
    assert committed.sheetnames == fresh.sheetnames
    for name in fresh.sheetnames:
        assert [[c.value for c in r] for r in committed[name].iter_rows()] == [
            [c.value for c in r] for r in fresh[name].iter_rows()]


def test_period_without_posts_gives_an_empty_register(store: Store, registry: Registry, tmp_path: Path) -> None:
    ws = load_workbook(draft(store, registry, tmp_path))["Отчёт"]
    assert [c.value for c in ws[29]][:3] == [None, None, None]
    assert ws["A6"].value == "1. Сводные показатели" and ws["C7"].value == 4
    assert ws["A30"].value.startswith("Публикации в других каналах")
    assert not ws.data_validations.dataValidation


def test_merged_cells_below_a_block_move_down_with_their_borders(store: Store, registry: Registry,
                                                                 filled: dict[str, int], tmp_path: Path) -> None:
    """A template's merged, boxed cells under the register land below its rows, boxed on every edge, in
    each of two drafts written from the one template the process keeps."""
    from openpyxl.styles import Border, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Форма"
    ws["A1"], ws["B1"] = "№", "Учреждение"
    ws["A2"], ws["B2"] = "{{rows}}", "{{col.institution}}"
    ws["A3"] = "Подпись: {{municipality}}"
    edge = Side(style="medium", color="FF0000")
    for row in ws["A3:C4"]:
        for cell in row:
            cell.border = Border(left=edge if cell.column == 1 else None, right=edge if cell.column == 3 else None,
                                 top=edge if cell.row == 3 else None, bottom=edge if cell.row == 4 else None)
    ws.merge_cells("A3:C4")
    template = tmp_path / "merged.xlsx"
    wb.save(template)
    for name in ("1.xlsx", "2.xlsx"):
        form = load_workbook(write_draft(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / name,
                                         template))["Форма"]
        assert [form.cell(r, 2).value for r in (2, 3, 4)] == ["Школа № 1", "Школа № 2", "Школа № 1"]
        assert [str(r) for r in form.merged_cells.ranges] == ["A5:C6"]  # two rows more above it
        assert form["A5"].value == "Подпись: г. Ангарск"
        assert all(form.cell(r, 1).border.left.style == "medium" for r in (5, 6))
        assert all(form.cell(r, 3).border.right.style == "medium" for r in (5, 6))
        assert all(form.cell(5, c).border.top.style == "medium" for c in (1, 2, 3))
        assert all(form.cell(6, c).border.bottom.style == "medium" for c in (1, 2, 3))
        assert form["B6"].border.left is None or form["B6"].border.left.style is None  # inside: no border
