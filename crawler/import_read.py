"""Department lists read as tables of text cells: every sheet of an XLSX, or a CSV.

Merged cells carry their value into every cell they cover (a header merged over two rows is
read in both); a cell that shows a word but links somewhere gives the link. A CSV's separator
is found from its lines, and a line with an unbalanced quote is set aside with its number
instead of swallowing the rest of the file.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SEPARATORS = (";", ",", "\t")
SNIFF_LINES = 50
QUOTE = '"'
DEFAULT_SHEET_NAMES = ("лист", "sheet", "таблица", "table")  # «Лист1» names no municipality


class ImportFileError(Exception):
    """The file cannot be read at all; the message is Russian."""


@dataclass(slots=True)
class Table:
    """One sheet (or the CSV): rows as (number a person sees, cells), and rows that could not be read."""

    name: str  # the sheet's name; empty for a CSV
    rows: list[tuple[int, list[str]]]
    bad_rows: list[str] = field(default_factory=list)

    @property
    def names_municipality(self) -> bool:
        """Whether the sheet's name can be a municipality («Зиминский район», not «Лист1»)."""
        plain = self.name.strip().lower().rstrip("0123456789 ")
        return bool(plain) and plain not in DEFAULT_SHEET_NAMES


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(path)
    if suffix == ".xls":
        raise ImportFileError(f"{path}: старый формат Excel (.xls) не читается; откройте файл в Excel или "
                              "LibreOffice и сохраните как .xlsx")
    if suffix not in (".csv", ".txt"):
        raise ImportFileError(f"{path}: поддерживаются файлы .xlsx и .csv; сохраните список в одном из них")
    return [read_csv(path.name, decode(path.read_bytes(), path))]


def read_workbook(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    try:  # not read-only: merged ranges and hyperlinks are only known to a fully loaded sheet
        book = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ImportFileError(f"{path}: файл повреждён или это не книга Excel .xlsx (внутри не архив xlsx); "
                              "откройте его в Excel или LibreOffice и сохраните как .xlsx") from exc
    except OSError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a workbook it cannot understand
        raise ImportFileError(f"{path}: не удалось прочитать книгу Excel ({type(exc).__name__}); откройте её "
                              "в Excel или LibreOffice и сохраните как .xlsx заново") from exc
    try:
        return [_sheet_table(sheet) for sheet in book.worksheets]
    finally:
        book.close()


def _sheet_table(sheet) -> Table:  # type: ignore[no-untyped-def]
    grid = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
        for row in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for column in range(merged.min_col - 1, min(merged.max_col, len(grid[row]))):
                grid[row][column] = value
    return Table(sheet.title, [(number, cells) for number, cells in enumerate(grid, start=1)])


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    value = "" if cell.value is None else str(cell.value).strip()
    link = getattr(cell, "hyperlink", None)
    target = (getattr(link, "target", None) or "").strip()
    if target.startswith(("http://", "https://")) and "://" not in value and "." not in value:
        return target  # a cell that shows «ВКонтакте» and links to the page
    return value


def decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{path}: текст не в кодировке UTF-8 и не в Windows-1251; сохраните файл как "
                          "«CSV UTF-8»")


def separator(lines: list[str]) -> str:
    """The separator most lines have (a title line has none), ties broken by how often it appears."""
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    return max(SEPARATORS, key=lambda sep: (sum(sep in line for line in sample),
                                            sum(line.count(sep) for line in sample)))


def read_csv(name: str, text: str) -> Table:
    """Rows of a CSV; a record whose quotes never close is listed in bad_rows and skipped alone."""
    lines = text.splitlines()
    sep = separator(lines)
    table = Table(name, [])
    index = 0
    while index < len(lines):
        number, record = index + 1, lines[index]
        index += 1
        # a quoted cell may span lines: the next line is joined only when it closes the quote
        while record.count(QUOTE) % 2 and index < len(lines):
            joined = f"{record}\n{lines[index]}"
            if joined.count(QUOTE) % 2:
                break
            record, index = joined, index + 1
        if record.count(QUOTE) % 2:
            table.bad_rows.append(f"строка {number}: непарная кавычка «\"» — строка пропущена; исправьте кавычки "
                                  "и повторите импорт")
            continue
        cells = next(csv.reader([record], delimiter=sep, quotechar=QUOTE), [])
        table.rows.append((number, [cell.strip() for cell in cells]))
    return table


__all__ = ["ImportFileError", "Table", "read_tables", "read_csv", "separator", "decode"]
