"""Institution lists kept by education departments (CSV or XLSX) turned into sources.yaml entries.

Column names are matched leniently («Наименование ОО», «Сайт», «Группа ВК» …); every row that
cannot be read is reported with its number and reason, never dropped silently.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.addresses import NORMALIZERS, AddressError

# column -> words any of which in a header names that column (checked in this order)
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "website": ("сайт", "website", "url", "web"),
    "vk": ("вконтакте", "вк", "vk"),
    "telegram": ("телеграм", "telegram", "tg", "тг"),
    "kind": ("тип", "вид", "kind"),
    "municipality": ("муниципал", "municipality", "мо ", "район", "округ"),
    "name": ("наименование", "название", "учреждение", "организация", "оо", "name"),
}
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "kindergarten": ("детский сад", "д/с", "доу", "дс ", "kindergarten", "детсад"),
    "college": ("колледж", "техникум", "спо", "училище", "college"),
    "additional": ("дополнительн", "дод", "цдо", "дом детского творчества", "ддт", "дюсш", "станция юных",
                   "additional", "кванториум", "центр детского"),
    "department": ("управление образования", "отдел образования", "комитет по образованию",
                   "департамент образования", "department"),
    "school": ("школ", "сош", "оош", "нош", "гимнази", "лице", "school"),
}


class ImportFileError(Exception):
    """The file cannot be read at all; the message is Russian."""


@dataclass(slots=True)
class ImportResult:
    municipalities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows_read: int = 0

    def to_yaml_tree(self) -> dict[str, Any]:
        return {"municipalities": [{"name": name, "authority": "", "institutions": institutions}
                                   for name, institutions in self.municipalities.items()]}


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(row number as a person sees it, cells) of a CSV or XLSX file, header included."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFileError(f"{path}: не удалось открыть как книгу Excel ({exc})") from exc
        try:  # a read-only workbook keeps its file open until closed
            return [(number, ["" if cell is None else str(cell).strip() for cell in row])
                    for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)]
        finally:
            book.close()
    if suffix not in (".csv", ".txt"):
        raise ImportFileError(f"{path}: поддерживаются файлы .csv и .xlsx")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    return [(number, [cell.strip() for cell in row])
            for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]


def map_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        title = f" {title.lower().replace('ё', 'е')} "
        for column, words in COLUMN_WORDS.items():
            if column not in columns and any(word in title for word in words):
                columns[column] = index
                break
    return columns


def guess_institution_kind(text: str) -> str | None:
    text = f" {text.lower().replace('ё', 'е')} "
    for kind, words in KIND_WORDS.items():
        if any(word in text for word in words):
            return kind
    return None


def import_institutions(path: Path, default_municipality: str | None = None) -> ImportResult:
    result = ImportResult()
    rows = iter(read_rows(path))
    header_row = next(rows, None)
    if header_row is None:
        raise ImportFileError(f"{path}: файл пуст")
    columns = map_columns(header_row[1])
    if "name" not in columns:
        raise ImportFileError(f"{path}: не найден столбец с наименованием учреждения "
                              f"(заголовки: {', '.join(header_row[1]) or 'нет'})")
    if "municipality" not in columns and not default_municipality:
        raise ImportFileError(f"{path}: нет столбца муниципалитета; укажите его параметром --municipality")
    seen: set[tuple[str, str]] = set()
    for number, cells in rows:
        if not any(cells):
            continue
        result.rows_read += 1
        cell = lambda column: cells[columns[column]] if column in columns and columns[column] < len(cells) else ""  # noqa: E731
        name = cell("name")
        municipality = cell("municipality") or default_municipality or ""
        if not name:
            result.problems.append(f"{path}, строка {number}: нет наименования учреждения — строка пропущена")
            continue
        if not municipality:
            result.problems.append(f"{path}, строка {number}: не указан муниципалитет — строка пропущена")
            continue
        kind = guess_institution_kind(cell("kind")) or guess_institution_kind(name)
        if kind is None:
            result.problems.append(f"{path}, строка {number}: не удалось определить тип учреждения «{name}»; "
                                   "указан school — проверьте")
            kind = "school"
        if (municipality, name) in seen:
            result.problems.append(f"{path}, строка {number}: «{name}» уже встречалось выше — строка пропущена")
            continue
        seen.add((municipality, name))
        channels = []
        for kind_key in ("website", "vk", "telegram"):
            value = cell(kind_key)
            if not value:
                continue
            try:
                NORMALIZERS[kind_key](value)
            except AddressError as exc:
                result.problems.append(f"{path}, строка {number}, столбец {kind_key}: {exc} — адрес пропущен")
                continue
            channels.append({kind_key: value})
        result.municipalities.setdefault(municipality, []).append({"name": name, "kind": kind,
                                                                   "channels": channels})
    return result
