"""The sheet of gaps: institutions without publications in the period and channels natmon could not read.

Written into the draft, the final and the region workbook, so whoever signs the report sees
who is silent and where the numbers may be short because a site or a token failed.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from reports.make_template import FONT, FONT_SIZE, print_setup
from reports.periods import DATE_FORMAT
from reports.xlsx_template import Block, fit_row_heights, put, widen_for_words

GAPS_SHEET = "Без публикаций и сбои"
SILENT_TITLE = "Учреждения без публикаций за период"
FAILING_TITLE = "Каналы, которые не удалось прочитать (последняя ошибка)"
SILENT_COLUMNS = [("n", "№", 5), ("institution", "Учреждение", 34), ("kind", "Тип", 17),
                  ("channels", "Каналы в реестре", 30)]
FAILING_COLUMNS = [("n", "№", 5), ("institution", "Учреждение", 34), ("channel", "Канал", 17),
                   ("address", "Адрес", 30), ("reason", "Причина", 48), ("failures", "Неудач подряд", 12),
                   ("last_success", "Последний успех", 14)]
MUNICIPALITY_COLUMN = ("municipality", "Муниципалитет", 24)
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_PLAIN = Font(name=FONT, size=FONT_SIZE)
_BOLD = Font(name=FONT, size=FONT_SIZE, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(slots=True)
class Gaps:
    """Rows of both tables; each row a dict keyed by the column names above."""

    silent: list[dict[str, Any]]
    failing: list[dict[str, Any]]


def write_gaps(wb: Workbook, gaps: Gaps, subtitle: str, today: date, by_municipality: bool = False) -> Worksheet:
    ws = wb.create_sheet(GAPS_SHEET)
    lead = [MUNICIPALITY_COLUMN] if by_municipality else []
    silent_columns = [SILENT_COLUMNS[0], *lead, *SILENT_COLUMNS[1:]]
    failing_columns = [FAILING_COLUMNS[0], *lead, *FAILING_COLUMNS[1:]]
    cell = ws.cell(1, 1, f"{subtitle}. По данным natmon на {today:{DATE_FORMAT}}")
    cell.font, cell.alignment = _BOLD, _WRAP
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(failing_columns))
    ws.row_dimensions[1].height = 30
    for column, (_, _, width) in enumerate(failing_columns, start=1):
        ws.column_dimensions[get_column_letter(column)].width = max(width, silent_columns[column - 1][2]
                                                           if column <= len(silent_columns) else 0)
    styled: dict[Any, Any] = {}  # a cell's look → its style indices in this workbook, looked up once for both tables
    row = _table(ws, 3, f"{SILENT_TITLE}: {len(gaps.silent)}", silent_columns, gaps.silent, styled)
    _table(ws, row + 1, f"{FAILING_TITLE}: {len(gaps.failing)}", failing_columns, gaps.failing, styled)
    print_setup(ws, None)
    return ws


def _table(ws: Worksheet, row: int, title: str, columns: Sequence[tuple[str, str, int]],
           records: list[dict[str, Any]], styled: dict[Any, Any]) -> int:
    """A titled table; returns the first free row after it. `styled`: the styles set so far (see write_gaps)."""
    ws.cell(row, 1, title).font = _BOLD
    block = Block("gaps", ws.title, row + 1, row + 2, len(records),
                  {name: i for i, (name, _, _) in enumerate(columns, start=1)})
    for i, (_, heading, _) in enumerate(columns, start=1):
        cell = ws.cell(row + 1, i, heading)
        if "heading" in styled:
            cell._style = copy(styled["heading"])
            continue
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEAD_FILL, _BOX, _WRAP
        styled["heading"] = copy(cell._style)
    for offset, record in enumerate(records):
        for i, (name, _, _) in enumerate(columns, start=1):
            cell = ws.cell(row + 2 + offset, i)
            put(cell, offset + 1 if name == "n" else record.get(name))
            key = (None if cell._style is None else tuple(cell._style), isinstance(cell.value, date))
            if key in styled:
                cell._style = copy(styled[key])
                continue
            cell.font, cell.border, cell.alignment = _PLAIN, _BOX, _WRAP
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
            styled[key] = copy(cell._style)
    if not records:
        ws.cell(row + 2, 1, "Нет.").font = _PLAIN
    widen_for_words(ws, block)
    fit_row_heights(ws, block)
    return row + 3 + max(len(records), 1)


__all__ = ["Gaps", "write_gaps", "GAPS_SHEET"]
