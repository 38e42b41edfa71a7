"""The regional centre's consolidated workbook: a summary sheet and a sheet per municipality.

Only confirmed publications and manual entries count; the summary also shows how many
pre-filled rows each municipality has not reviewed yet, so the centre sees who is late.
Одноклассники and MAX have columns of their own; the manual entries of all municipalities
are on «Другие каналы», silent institutions and failed channels on «Без публикаций и сбои».
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from reports.coverage import per_channel
from reports.data import CHANNEL_KINDS, OTHER, CampaignData
from reports.form import final_content, gaps, other_records, post_records
from reports.form_gaps import Gaps, write_gaps
from reports.highlight import safe_href
from reports.labels import MANUAL_KIND_NAMES, channel_label
from reports.make_template import FONT, FONT_SIZE, print_setup
from reports.periods import DATE_FORMAT, Period
from reports.xlsx_template import Block, fit_row_heights, link, put, save_workbook, widen_for_words

SHEET_NAME_MAX = 31
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
PLAIN = Font(name=FONT, size=FONT_SIZE)
HEAD = Font(name=FONT, size=FONT_SIZE, bold=True)
TITLE = Font(name=FONT, size=13, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="999999")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SUMMARY_COLUMNS = [("Муниципалитет", 30), ("Учреждений", 12), ("С подтверждёнными публикациями", 16), ("Доля", 8),
                   *((channel_label(kind).capitalize() if kind == "website" else channel_label(kind), 10)
                     for kind in CHANNEL_KINDS),
                   ("Другие каналы", 10), ("Всего публикаций", 12), ("Просмотры", 12), ("Не проверено", 12)]
REGISTER_COLUMNS = [("№", "n", 5), ("Учреждение", "institution", 34), ("Тип", "kind", 17), ("Канал", "channel", 16),
                    ("Дата", "date", 11), ("Ссылка", "url", 36), ("Национальные проекты", "projects", 26),
                    ("Формат", "formats", 20), ("Просмотры", "views", 12), ("Комментарий", "comment", 28)]
OTHER_SHEET = "Другие каналы"
OTHER_COLUMNS = [("№", "n", 5), ("Муниципалитет", "municipality", 24), ("Учреждение", "institution", 34),
                 ("Канал", "channel", 18), ("Дата", "date", 11), ("Ссылка", "url", 36),
                 ("Описание", "description", 44)]


def sheet_title(name: str, taken: set[str]) -> str:
    base = BAD_SHEET_CHARS.sub(" ", name).strip()[:SHEET_NAME_MAX] or "Муниципалитет"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _title(ws: Worksheet, text: str, columns: int, font: Font = TITLE) -> None:
    """A title merged over the table's width and wrapped, so it prints whole on the first page."""
    cell = ws.cell(1, 1, text)
    cell.font, cell.alignment = font, WRAP
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.row_dimensions[1].height = 36


def _header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = ws.cell(row, column, title)
        cell.font, cell.fill, cell.alignment, cell.border = HEAD, HEAD_FILL, WRAP, BOX


def _cell(ws: Worksheet, row: int, column: int, value: Any, bold: bool = False) -> None:
    cell = ws.cell(row, column)
    cell.font, cell.alignment, cell.border = HEAD if bold else PLAIN, WRAP, BOX
    if isinstance(value, tuple):  # (text, link); "#…" is a place inside the workbook
        text, target = value
        width = ws.column_dimensions[get_column_letter(column)].width or 10
        if target.startswith("#"):
            put(cell, text)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target[1:])
            cell.style = "Hyperlink"
            cell.font = Font(name=FONT, size=FONT_SIZE, color="0563C1", underline="single")
        else:
            link(cell, text, target, None, width)
        cell.alignment, cell.border = WRAP, BOX
    else:
        put(cell, value)
        if isinstance(value, date):
            cell.number_format = "DD.MM.YYYY"


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _fit(ws: Worksheet, header_row: int, first: int, count: int, columns: int) -> None:
    block = Block("table", ws.title, header_row, first, count, {str(c): c for c in range(1, columns + 1)})
    widen_for_words(ws, block)
    fit_row_heights(ws, block)


def write_region_report(data: CampaignData, period: Period, path: Path, today: date) -> Path:
    """A summary sheet, a sheet per municipality, the other channels and the gaps of all municipalities;
    every sheet prints on A4 landscape, one page wide."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Сводка"
    _widths(summary, [width for _, width in SUMMARY_COLUMNS])
    _title(summary, f"{data.registry.region}: освещение национальных проектов, отчёт {period.label}",
           len(SUMMARY_COLUMNS))
    summary["A2"] = f"{data.campaign.name}; период {period.span}; сформировано {today:{DATE_FORMAT}}"
    summary["A2"].font = PLAIN
    _header(summary, 4, [title for title, _ in SUMMARY_COLUMNS])
    taken = {"сводка", OTHER_SHEET.casefold()}
    row = 5
    totals = [0] * (len(SUMMARY_COLUMNS) - 1)
    other_rows: list[dict[str, Any]] = []
    sheets: list[tuple[str, int]] = []  # each summary row's municipality sheet and its register rows
    all_gaps = Gaps([], [])
    for municipality in data.institutions["municipality"].drop_duplicates():
        content, pending = final_content(data, municipality, period)
        posts, manual = content.register, content.manual
        covering = set(posts["institution_id"]) | {int(i) for i in manual["institution_id"].dropna()}
        counts = per_channel(posts, manual)
        per_kind = [counts[kind] for kind in (*CHANNEL_KINDS, OTHER)]
        views = posts["views"].dropna()
        values = [content.institutions_total, len(covering), None, *per_kind, sum(per_kind),
                  int(views.sum()) if len(views) else None, len(pending)]
        values[2] = round(len(covering) / content.institutions_total, 3) if content.institutions_total else 0
        title = sheet_title(municipality, taken)
        _cell(summary, row, 1, (municipality, f"#'{title}'!A1"))
        for column, value in enumerate(values, start=2):
            _cell(summary, row, column, value)
        summary.cell(row, 4).number_format = "0%"
        totals = [t + (v or 0) for t, v in zip(totals, values)]
        _municipality_sheet(wb.create_sheet(title), content, period)
        sheets.append((title, len(content.register)))
        other_rows += [{**record, "municipality": municipality} for record in other_records(manual, 0)]
        found = gaps(content, data)
        all_gaps.silent += [{**r, "municipality": municipality} for r in found.silent]
        all_gaps.failing += [{**r, "municipality": municipality} for r in found.failing]
        row += 1
    _cell(summary, row, 1, "Итого по региону", bold=True)
    totals[2] = round(totals[1] / totals[0], 3) if totals[0] else 0
    for column, value in enumerate(totals, start=2):
        _cell(summary, row, column, value, bold=True)
    summary.cell(row, 4).number_format = "0%"
    count_with_formulas(summary, sheets, len(other_rows), row)
    _fit(summary, 4, 5, row - 4, len(SUMMARY_COLUMNS))
    summary.freeze_panes = "B5"
    print_setup(summary, "4:4")
    _other_sheet(wb.create_sheet(OTHER_SHEET), other_rows, period)
    write_gaps(wb, all_gaps, f"{data.registry.region}, отчёт {period.label} (период {period.span})", today,
               by_municipality=True)
    return save_workbook(wb, path)


ROOM_FOR_ADDED_ROWS = 300  # rows a person may add under a table, still counted
FIRST_ROW = 4  # the first data row of the municipality and other-channel sheets
COUNT_COLUMNS = {kind: 5 + i for i, kind in enumerate((*CHANNEL_KINDS, OTHER))}  # E… on «Сводка»


def _letter(columns: Sequence[tuple[Any, ...]], name: str) -> str:
    return get_column_letter(next(i for i, column in enumerate(columns, start=1) if column[1] == name))


def count_with_formulas(ws: Worksheet, sheets: Sequence[tuple[str, int]], others: int, total_row: int) -> None:
    """Turn the summary's counts into formulas over the municipality sheets and «Другие каналы»,
    so rows the regional centre adds or deletes there change them (numbers stay where no row tells)."""
    def rows(sheet: str, letter: str, count: int) -> str:
        last = FIRST_ROW + max(count, 1) - 1 + ROOM_FOR_ADDED_ROWS
        return f"{quote_sheetname(sheet)}!${letter}${FIRST_ROW}:${letter}${last}"

    o_muni, o_inst, o_channel = (rows(OTHER_SHEET, _letter(OTHER_COLUMNS, name), others)
                                 for name in ("municipality", "institution", "channel"))
    for row, (sheet, count) in enumerate(sheets, start=5):
        name = f"$A${row}"
        r_inst, r_channel, r_views = (rows(sheet, _letter(REGISTER_COLUMNS, field), count)
                                      for field in ("institution", "channel", "views"))
        manual = {kind: "+".join(f'COUNTIFS({o_muni},{name},{o_channel},"{typed}")' for typed in names)
                  for kind, names in MANUAL_KIND_NAMES.items()}
        for kind, column in COUNT_COLUMNS.items():
            if kind == OTHER:
                formula = f'COUNTIFS({o_muni},{name},{o_channel},"<>")-({"+".join(manual.values())})'
            else:
                formula = f'COUNTIF({r_channel},"{channel_label(kind)}")' + (f"+{manual[kind]}" if kind in manual else "")
            ws.cell(row, column).value = "=" + formula
        first, last = get_column_letter(min(COUNT_COLUMNS.values())), get_column_letter(max(COUNT_COLUMNS.values()))
        ws.cell(row, 11).value = f"=SUM({first}{row}:{last}{row})"
        ws.cell(row, 12).value = f"=SUM({r_views})"
        ws.cell(row, 3).value = (
            f'=SUMPRODUCT(({r_inst}<>"")/(COUNTIF({r_inst},{r_inst}&"")+COUNTIFS({o_inst},{r_inst}&"",{o_muni},{name})'
            f'+({r_inst}="")))+SUMPRODUCT(({o_muni}={name})*({o_inst}<>"")/(COUNTIF({r_inst},{o_inst}&"")'
            f'+COUNTIFS({o_inst},{o_inst}&"",{o_muni},{name})+({o_muni}<>{name})+({o_inst}="")))')
        ws.cell(row, 4).value = f"=IF(B{row}=0,0,C{row}/B{row})"
    if sheets:
        for column in range(2, len(SUMMARY_COLUMNS) + 1):
            letter = get_column_letter(column)
            ws.cell(total_row, column).value = f"=SUM({letter}5:{letter}{total_row - 1})"
        ws.cell(total_row, 4).value = f"=IF(B{total_row}=0,0,C{total_row}/B{total_row})"


def _municipality_sheet(ws: Worksheet, content: Any, period: Period) -> None:
    _widths(ws, [width for _, _, width in REGISTER_COLUMNS])
    _title(ws, f"{content.municipality}: подтверждённые публикации, отчёт {period.label} ({period.span})",
           len(REGISTER_COLUMNS), HEAD)
    _header(ws, 3, [title for title, _, _ in REGISTER_COLUMNS])
    records = post_records(content.register)
    for row, record in enumerate(records, start=4):
        for column, (_, name, _) in enumerate(REGISTER_COLUMNS, start=1):
            _cell(ws, row, column, record.get(name))
    if not records:
        ws.cell(4, 1, "Подтверждённых публикаций нет; публикации в других каналах — на листе «Другие каналы».")
        ws.cell(4, 1).font = PLAIN
    _fit(ws, 3, 4, len(records), len(REGISTER_COLUMNS))
    ws.freeze_panes = "A4"
    print_setup(ws, "3:3")


def _other_sheet(ws: Worksheet, records: list[dict[str, Any]], period: Period) -> None:
    _widths(ws, [width for _, _, width in OTHER_COLUMNS])
    _title(ws, f"Другие каналы коммуникации (газеты, ТВ, Одноклассники и MAX, внесённые вручную), отчёт "
               f"{period.label}", len(OTHER_COLUMNS), HEAD)
    _header(ws, 3, [title for title, _, _ in OTHER_COLUMNS])
    for row, record in enumerate(records, start=4):
        for column, (_, name, _) in enumerate(OTHER_COLUMNS, start=1):
            value = record.get("n") if name == "n" else record.get(name)
            if name == "n":
                value = row - 3
            _cell(ws, row, column, value if not isinstance(value, tuple) or safe_href(value[1]) else value[0])
    _fit(ws, 3, 4, len(records), len(OTHER_COLUMNS))
    ws.freeze_panes = "A4"
    print_setup(ws, "3:3")


__all__ = ["write_region_report", "sheet_title"]
