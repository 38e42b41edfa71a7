"""Hidden metadata stored in every workbook natmon writes, so an import can check ownership.

Sheet `_natmon` (very hidden): rows «key | value»; `block` rows describe where each block's
columns were written; `status` rows keep each post's status and comment as the draft showed
them, so an import applies only what the person changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

from reports.xlsx_template import Block, put

META_SHEET = "_natmon"
FORMAT = "natmon-report"
VERSION = 1


@dataclass(slots=True)
class Meta:
    kind: str  # draft | final | region
    region: str
    campaign: str
    municipality: str
    deadline: str  # ISO date
    period_start: str
    period_end: str
    generated_at: str
    boundary: str  # reports.periods.BoundaryRule value the periods were cut with
    blocks: list[dict[str, Any]] = field(default_factory=list)  # marker, sheet, columns, headings
    statuses: dict[int, tuple[str, str]] = field(default_factory=dict)  # post id → (status, comment)


SCALARS = ("kind", "region", "campaign", "municipality", "deadline", "period_start", "period_end", "generated_at",
           "boundary")


def write_meta(wb: Workbook, meta: Meta, blocks: list[Block]) -> None:
    ws = wb.create_sheet(META_SHEET)
    rows: list[list[Any]] = [["format", FORMAT], ["version", VERSION]]
    rows += [[key, getattr(meta, key)] for key in SCALARS]
    rows += [["block", json.dumps({"marker": block.marker, "sheet": block.sheet, "columns": block.columns,
                                   "headings": block.headings}, ensure_ascii=False)] for block in blocks]
    rows += [["status", post_id, status, comment] for post_id, (status, comment) in sorted(meta.statuses.items())]
    cells = ws._cells  # a new sheet: each cell made as Worksheet.cell makes it, without its checks and look-ups
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = cells[number, column] = Cell(ws, row=number, column=column)
            put(cell, value)  # a comment «=1+1» stays text here too
    ws.sheet_state = "veryHidden"


def read_meta(wb: Workbook) -> Meta | None:
    """The metadata, or None when the sheet is missing or not natmon's."""
    if META_SHEET not in wb.sheetnames:
        return None
    values: dict[str, Any] = {}
    blocks: list[dict[str, Any]] = []
    statuses: dict[int, tuple[str, str]] = {}
    for row in wb[META_SHEET].iter_rows(values_only=True):
        key = row[0] if row else None
        if key == "block":
            try:
                blocks.append(json.loads(str(row[1])))
            except (ValueError, TypeError):
                return None
        elif key == "status" and len(row) >= 3 and str(row[1]).isdigit():
            statuses[int(row[1])] = (str(row[2] or ""), str(row[3] or "") if len(row) > 3 else "")
        elif isinstance(key, str) and len(row) > 1:
            values[key] = "" if row[1] is None else str(row[1])
    if values.get("format") != FORMAT or any(key not in values for key in SCALARS):
        return None
    return Meta(**{key: values[key] for key in SCALARS}, blocks=blocks, statuses=statuses)


__all__ = ["Meta", "META_SHEET", "write_meta", "read_meta"]
