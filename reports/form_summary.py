"""The form's summary counts as formulas over its rows, so they follow what a person changes.

A row marked «отклонено» leaves the counts, an article typed into an empty row under
«Другие каналы» joins them, and the numbers are right in Excel and LibreOffice alike
(COUNTIFS, SUMIFS, SUMPRODUCT only). A manual row whose channel is «Одноклассники» or «MAX»
(reports.labels.MANUAL_KIND_NAMES) counts under that channel, as in the preview.
"""

from __future__ import annotations

from typing import Sequence

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook

from reports.data import CHANNEL_KINDS, OTHER
from reports.labels import MANUAL_KIND_NAMES, REJECTED, channel_label
from reports.xlsx_template import Block

ROOM_FOR_ADDED_ROWS = 300  # rows below the other-channel slots a person may fill when nothing else is there


def column_range(wb: Workbook, block: Block | None, name: str, room: int = 0) -> str | None:
    """An absolute reference to one column of a block's rows, with its sheet, or None without that column."""
    if block is None or name not in block.columns:
        return None
    letter = get_column_letter(block.columns[name])
    last = block.first_row + max(block.count, 1) - 1 + room
    return f"{quote_sheetname(block.sheet)}!${letter}${block.first_row}:${letter}${last}"


def _room(wb: Workbook, block: Block | None) -> int:
    """Rows a person may add under the block: only when nothing of the form lies below it."""
    if block is None:
        return 0
    last = block.first_row + max(block.count, 1) - 1
    return ROOM_FOR_ADDED_ROWS if wb[block.sheet].max_row <= last else 0


def formulas(wb: Workbook, blocks: Sequence[Block]) -> dict[str, str]:
    """Placeholder name → formula, for the counts the blocks' columns allow."""
    register = next((b for b in blocks if b.marker == "rows"), None)
    other = next((b for b in blocks if b.marker == "other_rows"), None)
    channel, status = column_range(wb, register, "channel"), column_range(wb, register, "status")
    institution, views = column_range(wb, register, "institution"), column_range(wb, register, "views")
    room = _room(wb, other)
    other_channel = column_range(wb, other, "channel", room)
    other_institution = column_range(wb, other, "institution", room)
    kept = f',{status},"<>{REJECTED}"' if status else ""
    found: dict[str, str] = {}

    def manual(kind: str) -> str:
        return "+".join(f'COUNTIF({other_channel},"{name}")' for name in MANUAL_KIND_NAMES[kind])

    if channel:
        for kind in CHANNEL_KINDS:
            own = f'COUNTIFS({channel},"{channel_label(kind)}"{kept})'
            found[f"posts_{kind}"] = own + (f"+{manual(kind)}" if other_channel and kind in MANUAL_KIND_NAMES else "")
    if other_channel:
        named = "+".join(manual(kind) for kind in MANUAL_KIND_NAMES)
        found[f"posts_{OTHER}"] = f"COUNTA({other_channel})-({named})"
    ids = column_range(wb, register, "post_id") or channel
    if ids:  # without a column that every register row fills, the total stays a number
        found["posts_total"] = f'COUNTIFS({ids},"<>"{kept})' + (f"+COUNTA({other_channel})" if other_channel else "")
    if views:
        found["views_total"] = f'SUMIFS({views}{kept})' if status else f"SUM({views})"
    if institution:
        found["institutions_covering"] = _distinct(institution, status, other_institution)
    return {name: "=" + formula for name, formula in found.items()}


def _distinct(names: str, status: str | None, other: str | None) -> str:
    """Institutions named in kept register rows or in other-channel rows, each once.

    Each row adds 1 / (rows naming the same institution), summed with SUMPRODUCT; empty and
    rejected rows add 0 (their divisor is kept above 0).
    """
    def occurrences(of: str) -> str:
        kept = f',{status},"<>{REJECTED}"' if status else ""
        return f'COUNTIFS({names},{of}&""{kept})' + (f'+COUNTIF({other},{of}&"")' if other else "")

    counted = f'({names}<>"")' + (f'*({status}<>"{REJECTED}")' if status else "")
    guard = f'+({names}="")' + (f'+({status}="{REJECTED}")' if status else "")
    total = f"SUMPRODUCT({counted}/({occurrences(names)}{guard}))"
    if other:
        total += f'+SUMPRODUCT(({other}<>"")/({occurrences(other)}+({other}="")))'
    return total


def apply(wb: Workbook, lone: Sequence[tuple[str, str, int, int]], blocks: Sequence[Block]) -> None:
    """Put the formulas where the template had a lone count placeholder (other cells keep the value)."""
    found = formulas(wb, blocks)
    for name, sheet, row, column in lone:
        if name in found and sheet in wb.sheetnames:
            wb[sheet].cell(row, column).value = found[name]


__all__ = ["formulas", "apply", "column_range"]
