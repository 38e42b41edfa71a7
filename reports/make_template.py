"""Generate the default report template `reports/templates/report_template.xlsx`.

Run by hand after changing the layout: `.venv/bin/python -m reports.make_template`.
The template is data: a coordinator can copy it, move things around, rename headings
and pass it with `--template`; the placeholders and markers are described in
`reports.xlsx_template`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_PATH = Path(__file__).parent / "templates" / "report_template.xlsx"
FIXED_TIME = datetime(2025, 1, 1)  # keeps the committed file stable between runs

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

REGISTER = [("n", "№", 5), ("institution", "Учреждение", 36), ("kind", "Тип", 14), ("channel", "Канал", 12),
            ("date", "Дата", 11), ("url", "Ссылка", 40), ("projects", "Национальные проекты", 28),
            ("campaign", "Кампания", 10), ("formats", "Формат", 20), ("views", "Просмотры", 10),
            ("status", "Статус проверки", 15), ("comment", "Комментарий", 30),
            ("post_id", "ID публикации (не менять)", 8)]
NEAR = [("n", "№", 5), ("institution", "Учреждение", 36), ("kind", "Тип", 14), ("channel", "Канал", 12),
        ("date", "Дата", 11), ("url", "Ссылка", 40), ("projects", "Национальные проекты", 28),
        ("phrases", "Что сработало", 24), ("text", "Текст (начало)", 50), ("status", "Статус проверки", 15),
        ("comment", "Комментарий", 30), ("post_id", "ID публикации (не менять)", 8)]
OTHER = [("n", "№", 5), ("institution", "Учреждение", 36), ("channel", "Канал", 14), ("date", "Дата", 11),
         ("url", "Ссылка", 40), ("description", "Описание", 28)]
OTHER_ID = ("entry_id", "ID записи (не менять)", 8)
# On the report sheet the other-channel columns sit under the register's matching ones
# (channel under channel, …, the id under the register's hidden id column).
OTHER_UNDER_REGISTER = {"n": 1, "institution": 2, "channel": 4, "date": 5, "url": 6, "description": 7,
                        "entry_id": len(REGISTER)}
SUMMARY = [("Всего учреждений", "institutions_total"), ("Учреждений, разместивших публикации", "institutions_covering"),
           ("Публикаций на сайтах", "posts_website"), ("Публикаций ВКонтакте", "posts_vk"),
           ("Публикаций в Telegram", "posts_telegram"), ("Публикаций в других каналах", "posts_other"),
           ("Всего публикаций", "posts_total"), ("Всего просмотров", "views_total")]


def write_headings(ws: Worksheet, row: int, columns: list[tuple[str, str, int]],
                   where: dict[str, int] | None = None) -> None:
    for i, (_, title, _) in _placed(columns, where):
        cell = ws.cell(row, i, title)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BOX, WRAP


def write_marker_row(ws: Worksheet, row: int, columns: list[tuple[str, str, int]], marker: str,
                     where: dict[str, int] | None = None) -> None:
    for i, (name, _, _) in _placed(columns, where):
        cell = ws.cell(row, i, "{{" + marker + "}}" if i == 1 else "{{col." + name + "}}")
        cell.border, cell.alignment = BOX, WRAP
        if name == "date":
            cell.number_format = "DD.MM.YYYY"


def _placed(columns: list[tuple[str, str, int]], where: dict[str, int] | None) -> list[tuple[int, tuple[str, str, int]]]:
    """Columns numbered from A, or at the positions `where` gives."""
    if where:
        return [(where[column[0]], column) for column in columns]
    return list(enumerate(columns, start=1))


def set_widths(ws: Worksheet, *layouts: list[tuple[str, str, int]]) -> None:
    for i in range(1, max(len(layout) for layout in layouts) + 1):
        ws.column_dimensions[get_column_letter(i)].width = max(l[i - 1][2] for l in layouts if len(l) >= i)


def print_setup(ws: Worksheet, title_rows: str) -> None:
    """A4 landscape, all columns on one page width, the table heading repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = title_rows


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Отчёт"
    ws["A1"] = "Отчёт об освещении национальных проектов в информационном пространстве"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:L1")
    header = [("Регион:", "{{region}}", "Муниципалитет:", "{{municipality}}"),
              ("Отчётный период:", "{{period}}", "Кампания:", "{{campaign}}"),
              ("Дата составления:", "{{date}}", "Ответственный (ФИО, должность, телефон):", "")]
    for row, (label1, value1, label2, value2) in enumerate(header, start=2):
        ws.cell(row, 1, label1).font = BOLD
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.cell(row, 3, value1)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        ws.cell(row, 6, label2).font = BOLD
        ws.cell(row, 7, value2).border = Border(bottom=THIN)
        ws.merge_cells(start_row=row, start_column=7, end_row=row, end_column=9)
    ws["A6"] = "1. Реестр публикаций"
    ws["A6"].font = BOLD
    write_headings(ws, 7, REGISTER)
    write_marker_row(ws, 8, REGISTER, "rows")
    ws.freeze_panes = "A8"
    ws["A10"] = "2. Сводные показатели"
    ws["A10"].font = BOLD
    for row, (title, name) in enumerate(SUMMARY, start=11):
        ws.cell(row, 2, title).border = BOX
        ws.cell(row, 3, "{{" + name + "}}").border = BOX
    other_title = 11 + len(SUMMARY) + 1
    ws.cell(other_title, 1, "3. Другие каналы коммуникации (Одноклассники, газеты, ТВ, стенды и т. п.)").font = BOLD
    write_headings(ws, other_title + 1, [*OTHER, OTHER_ID], OTHER_UNDER_REGISTER)
    write_marker_row(ws, other_title + 2, [*OTHER, OTHER_ID], "other_rows", OTHER_UNDER_REGISTER)
    set_widths(ws, REGISTER)
    print_setup(ws, "7:7")

    near = wb.create_sheet("Под вопросом")
    near["A1"] = ("Публикации под вопросом: о программах нацпроектов, но без прямого упоминания. "
                  "Поставьте «подтверждено», чтобы включить публикацию в отчёт, или «отклонено».")
    near["A1"].font = BOLD
    near.merge_cells("A1:L1")
    near["A2"] = "{{municipality}}, {{period}}"
    write_headings(near, 3, NEAR)
    write_marker_row(near, 4, NEAR, "near_rows")
    near.freeze_panes = "A4"
    set_widths(near, NEAR)
    print_setup(near, "3:3")
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "natmon"
    return wb


def main() -> None:
    TEMPLATE_PATH.parent.mkdir(parents=True, exist_ok=True)
    build().save(TEMPLATE_PATH)
    print(TEMPLATE_PATH)


if __name__ == "__main__":
    main()
