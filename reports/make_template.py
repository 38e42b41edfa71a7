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

FONT = "Arial"  # one sans family everywhere (LibreOffice prints it with Liberation Sans, same metrics)
FONT_SIZE = 10
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE = Border(bottom=Side(style="thin", color="000000"))
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
PLAIN = Font(name=FONT, size=FONT_SIZE)
BOLD = Font(name=FONT, size=FONT_SIZE, bold=True)
TITLE = Font(name=FONT, size=13, bold=True)
SMALL = Font(name=FONT, size=8, color="555555")
LINK = Font(name=FONT, size=FONT_SIZE, color="0563C1", underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")

# Widths hold the longest word of each heading and of the values natmon writes there
# («дополнительное образование», «Одноклассники»), so nothing is broken mid-word when printed.
REGISTER = [("n", "№", 5), ("institution", "Учреждение", 34), ("kind", "Тип", 17), ("channel", "Канал", 16),
            ("date", "Дата", 11), ("url", "Ссылка", 36), ("projects", "Национальные проекты", 26),
            ("campaign", "Кампания", 11), ("formats", "Формат", 20), ("views", "Просмотры", 12),
            ("status", "Статус проверки", 14), ("comment", "Комментарий", 28),
            ("post_id", "ID публикации (не менять)", 8)]
NEAR = [("n", "№", 5), ("institution", "Учреждение", 34), ("kind", "Тип", 17), ("channel", "Канал", 16),
        ("date", "Дата", 11), ("url", "Ссылка", 36), ("projects", "Национальные проекты", 26),
        ("phrases", "Что сработало", 22), ("text", "Текст (начало)", 50), ("status", "Статус проверки", 14),
        ("comment", "Комментарий", 28), ("post_id", "ID публикации (не менять)", 8)]
OTHER = [("n", "№", 5), ("institution", "Учреждение", 34), ("channel", "Канал", 18), ("date", "Дата", 11),
         ("url", "Ссылка", 40), ("description", "Описание", 44)]
OTHER_ID = ("entry_id", "ID записи (не менять)", 8)
SUMMARY = [("Всего учреждений", "institutions_total"), ("Учреждений, разместивших публикации", "institutions_covering"),
           ("Публикаций на сайтах", "posts_website"), ("Публикаций ВКонтакте", "posts_vk"),
           ("Публикаций в Одноклассниках", "posts_ok"), ("Публикаций в Telegram", "posts_telegram"),
           ("Публикаций в MAX", "posts_max"), ("Публикаций в других каналах", "posts_other"),
           ("Всего публикаций", "posts_total"), ("Всего просмотров", "views_total")]
SUMMARY_NOTE = ("Показатели считаются формулами по строкам реестра (кроме отклонённых) и листа «Другие каналы»: "
                "добавленные строки учитываются сами. Записи с каналом «Одноклассники» или «MAX» входят в "
                "показатели этих каналов.")
REGISTER_TITLE = "2. Реестр публикаций"
OTHER_TITLE = "3. Другие каналы коммуникации (газеты, ТВ, радио, стенды и т. п.)"
SIGNATURES = ("Ответственный (ФИО, должность, телефон)", "Руководитель органа управления образованием")


def write_headings(ws: Worksheet, row: int, columns: list[tuple[str, str, int]]) -> None:
    for i, (_, title, _) in enumerate(columns, start=1):
        cell = ws.cell(row, i, title)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BOX, WRAP


def write_marker_row(ws: Worksheet, row: int, columns: list[tuple[str, str, int]], marker: str) -> None:
    for i, (name, _, _) in enumerate(columns, start=1):
        cell = ws.cell(row, i, "{{" + marker + "}}" if i == 1 else "{{col." + name + "}}")
        cell.border, cell.alignment, cell.font = BOX, WRAP, LINK if name == "url" else PLAIN
        if name == "date":
            cell.number_format = "DD.MM.YYYY"


def set_widths(ws: Worksheet, *layouts: list[tuple[str, str, int]]) -> None:
    for i in range(1, max(len(layout) for layout in layouts) + 1):
        ws.column_dimensions[get_column_letter(i)].width = max(l[i - 1][2] for l in layouts if len(l) >= i)


def text(ws: Worksheet, coordinate: str, value: str, font: Font = PLAIN, merge_to: str | None = None,
         height: float | None = None, wrap: bool = True) -> None:
    """A text cell (wrapped unless a section title, which runs on over empty cells), merged to
    `merge_to`, its row `height` points high."""
    cell = ws[coordinate]
    cell.value, cell.font = value, font
    cell.alignment = WRAP if wrap else Alignment(vertical="top")
    if merge_to:
        ws.merge_cells(f"{coordinate}:{merge_to}")
    if height:
        ws.row_dimensions[cell.row].height = height


def print_setup(ws: Worksheet, title_rows: str | None) -> None:
    """A4 landscape, all columns on one page width, a table heading repeated only over its own table."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = False
    if title_rows:
        ws.print_title_rows = title_rows


def signature_block(ws: Worksheet, row: int) -> None:
    """Who answers for the report and who signs it: name, signature, date lines with captions."""
    for offset, who in enumerate(SIGNATURES):
        line, caption = row + offset * 3, row + offset * 3 + 1
        text(ws, f"A{line}", who + ":", BOLD, f"C{line}", 30)
        for first, last, words in (("D", "G", "ФИО, должность, телефон" if offset == 0 else "ФИО"),
                                   ("I", "J", "подпись"), ("L", "L", "дата")):
            for column in range(ws[f"{first}{line}"].column, ws[f"{last}{line}"].column + 1):
                ws.cell(line, column).border = LINE
            if first != last:
                ws.merge_cells(f"{first}{line}:{last}{line}")
            text(ws, f"{first}{caption}", f"({words})", SMALL, f"{last}{caption}" if first != last else None)
            ws[f"{first}{caption}"].alignment = CENTER
    text(ws, f"A{row + 6}", "М. П.", PLAIN, wrap=False)


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Отчёт"
    text(ws, "A1", "Отчёт об освещении национальных проектов в информационном пространстве", TITLE, "L1", 22)
    header = [("Регион:", "{{region}}", "Муниципалитет:", "{{municipality}}"),
              ("Отчётный период:", "{{period}}", "Кампания:", "{{campaign}}"),
              ("Дата составления:", "{{date}}", "Орган управления образованием:", "{{authority}}")]
    for row, (label1, value1, label2, value2) in enumerate(header, start=2):
        text(ws, f"A{row}", label1, BOLD, f"B{row}", 28)
        text(ws, f"C{row}", value1, PLAIN, f"E{row}")
        text(ws, f"F{row}", label2, BOLD)
        text(ws, f"G{row}", value2, PLAIN, f"I{row}")
    text(ws, "A6", "1. Сводные показатели", BOLD, wrap=False)
    for row, (title, name) in enumerate(SUMMARY, start=7):
        text(ws, f"B{row}", title, PLAIN)
        ws[f"B{row}"].border = BOX
        cell = ws.cell(row, 3, "{{" + name + "}}")
        cell.font, cell.border = BOLD, BOX
    note = 7 + len(SUMMARY)
    text(ws, f"B{note}", SUMMARY_NOTE, SMALL, f"I{note}", 24)
    signature_block(ws, note + 2)  # on the first page with the figures it signs, never split by a page break
    title = note + 10
    text(ws, f"A{title}", REGISTER_TITLE, BOLD, wrap=False)
    write_headings(ws, title + 1, REGISTER)
    write_marker_row(ws, title + 2, REGISTER, "rows")
    ws.freeze_panes = f"A{title + 2}"
    text(ws, f"A{title + 3}", "Публикации в других каналах — на листе «Другие каналы»; учреждения без публикаций и "
         "каналы с ошибками — на листе «Без публикаций и сбои».", SMALL, f"L{title + 3}")
    set_widths(ws, REGISTER)
    print_setup(ws, f"{title + 1}:{title + 1}")

    other = wb.create_sheet("Другие каналы")
    text(other, "A1", OTHER_TITLE, BOLD, "F1", 18)
    text(other, "A2", "{{municipality}}, {{period}}. Впишите в пустые строки публикации в каналах, которые natmon "
         "не читает; Одноклассники и MAX укажите в столбце «Канал» именно так.", PLAIN, "F2", 30)
    write_headings(other, 3, [*OTHER, OTHER_ID])
    write_marker_row(other, 4, [*OTHER, OTHER_ID], "other_rows")
    other.freeze_panes = "A4"
    set_widths(other, [*OTHER, OTHER_ID])
    print_setup(other, "3:3")

    near = wb.create_sheet("Под вопросом")
    text(near, "A1", "Публикации под вопросом: о программах нацпроектов, но без прямого упоминания. "
         "Поставьте «подтверждено», чтобы включить публикацию в отчёт, или «отклонено».", BOLD, "L1", 30)
    text(near, "A2", "{{municipality}}, {{period}}", PLAIN, "L2")
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
