"""The regional centre's consolidated workbook: a summary sheet and a sheet per municipality.

Only confirmed publications and manual entries count; the summary also shows how many
pre-filled rows each municipality has not reviewed yet, so the centre sees who is late.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from reports.data import CHANNEL_KINDS, CampaignData
from reports.form import final_content, other_records, post_records
from reports.highlight import safe_href
from reports.periods import DATE_FORMAT, Period
from reports.xlsx_template import put, save_workbook

SHEET_NAME_MAX = 31
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
SUMMARY_COLUMNS = [("Муниципалитет", 34), ("Учреждений", 12), ("С подтверждёнными публикациями", 16),
                   ("Доля", 8), ("Сайт", 8), ("ВКонтакте", 10), ("Telegram", 10), ("Другие каналы", 10),
                   ("Всего публикаций", 10), ("Просмотры", 10), ("Не проверено", 10)]
REGISTER_COLUMNS = [("№", "n", 5), ("Учреждение", "institution", 36), ("Тип", "kind", 14), ("Канал", "channel", 12),
                    ("Дата", "date", 11), ("Ссылка", "url", 40), ("Национальные проекты", "projects", 28),
                    ("Формат", "formats", 20), ("Просмотры", "views", 10), ("Комментарий", "comment", 30)]
OTHER_COLUMNS = [("№", "n"), ("Учреждение", "institution"), ("Канал", "channel"), ("Дата", "date"),
                 ("Ссылка", "url"), ("Описание", "description")]


def sheet_title(name: str, taken: set[str]) -> str:
    base = BAD_SHEET_CHARS.sub(" ", name).strip()[:SHEET_NAME_MAX] or "Муниципалитет"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = ws.cell(row, column, title)
        cell.font, cell.fill, cell.alignment = HEAD, HEAD_FILL, Alignment(wrap_text=True, vertical="top")


def _cell(ws: Worksheet, row: int, column: int, value: Any) -> None:
    cell = ws.cell(row, column)
    if isinstance(value, tuple):  # (text, link); "#…" is a place inside the workbook
        text, link = value
        put(cell, text)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link[1:]) if link.startswith("#") else link
        cell.style = "Hyperlink"
    else:
        put(cell, value)
        if isinstance(value, date):
            cell.number_format = "DD.MM.YYYY"


def write_region_report(data: CampaignData, period: Period, path: Path, today: date) -> Path:
    wb = Workbook()
    summary = wb.active
    summary.title = "Сводка"
    summary["A1"] = f"{data.registry.region}: освещение национальных проектов, отчёт {period.label}"
    summary["A1"].font = Font(bold=True, size=13)
    summary["A2"] = f"{data.campaign.name}; период {period.span}; сформировано {today:{DATE_FORMAT}}"
    _header(summary, 4, [title for title, _ in SUMMARY_COLUMNS])
    taken = {"сводка"}
    row = 5
    totals = [0] * (len(SUMMARY_COLUMNS) - 1)
    for municipality in data.institutions["municipality"].drop_duplicates():
        content, pending = final_content(data, municipality, period)
        posts, manual = content.register, content.manual
        covering = set(posts["institution_id"]) | {int(i) for i in manual["institution_id"].dropna()}
        per_channel = [int((posts["channel"] == kind).sum()) for kind in CHANNEL_KINDS] + [len(manual)]
        views = posts["views"].dropna()
        values = [content.institutions_total, len(covering), None, *per_channel, sum(per_channel),
                  int(views.sum()) if len(views) else None, len(pending)]
        values[2] = round(len(covering) / content.institutions_total, 3) if content.institutions_total else 0
        title = sheet_title(municipality, taken)
        _cell(summary, row, 1, (municipality, f"#'{title}'!A1"))
        for column, value in enumerate(values, start=2):
            _cell(summary, row, column, value)
        summary.cell(row, 4).number_format = "0%"
        totals = [t + (v or 0) for t, v in zip(totals, values)]
        _municipality_sheet(wb.create_sheet(title), content, period)
        row += 1
    _cell(summary, row, 1, "Итого по региону")
    summary.cell(row, 1).font = HEAD
    totals[2] = round(totals[1] / totals[0], 3) if totals[0] else 0
    for column, value in enumerate(totals, start=2):
        _cell(summary, row, column, value)
        summary.cell(row, column).font = HEAD
    summary.cell(row, 4).number_format = "0%"
    for column, (_, width) in enumerate(SUMMARY_COLUMNS, start=1):
        summary.column_dimensions[get_column_letter(column)].width = width
    summary.freeze_panes = "B5"
    return save_workbook(wb, path)


def _municipality_sheet(ws: Worksheet, content: Any, period: Period) -> None:
    ws["A1"] = f"{content.municipality}: подтверждённые публикации, отчёт {period.label} ({period.span})"
    ws["A1"].font = Font(bold=True, size=12)
    _header(ws, 3, [title for title, _, _ in REGISTER_COLUMNS])
    row = 4
    for record in post_records(content.register):
        for column, (_, name, _) in enumerate(REGISTER_COLUMNS, start=1):
            _cell(ws, row, column, record.get(name))
        row += 1
    row += 1
    ws.cell(row, 1, "Другие каналы коммуникации").font = HEAD
    _header(ws, row + 1, [title for title, _ in OTHER_COLUMNS])
    row += 2
    for record in other_records(content.manual, 0):
        for column, (_, name) in enumerate(OTHER_COLUMNS, start=1):
            value = record.get(name)
            _cell(ws, row, column, value if not isinstance(value, tuple) or safe_href(value[1]) else value[0])
        row += 1
    for column, (_, _, width) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A4"


__all__ = ["write_region_report", "sheet_title"]
