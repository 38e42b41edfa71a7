"""Institution lists kept by education departments (CSV or XLSX) turned into sources.yaml entries.

Real lists have title rows, merged header cells, a numbering column, notes under the table and
often one sheet per municipality. Each sheet's header row is found (crawler.import_columns),
every sheet is read, the recognised columns are reported, and every row that cannot be used is
listed with its number and reason, never dropped silently. A file where no sheet names the
institutions is refused rather than turned into institutions called «№», «1», «2».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.addresses import NORMALIZERS, AddressError
from crawler.import_columns import CHANNEL_COLUMNS, Header, column_letter, find_header
from crawler.import_read import ImportFileError, Table, read_tables

KIND_WORDS: dict[str, tuple[str, ...]] = {
    "kindergarten": ("детский сад", "д/с", "доу", "дс ", "kindergarten", "детсад"),
    "college": ("колледж", "техникум", "спо", "училище", "college"),
    "additional": ("дополнительн", "дод", "цдо", "дом детского творчества", "ддт", "дюсш", "станция юных",
                   "additional", "кванториум", "центр детского"),
    "department": ("управление образования", "отдел образования", "комитет по образованию",
                   "департамент образования", "department"),
    "school": ("школ", "сош", "оош", "нош", "гимнази", "лице", "school"),
}
# hosts that say a link's channel whatever column it stands in
HOST_KINDS = {"vk.com": "vk", "vk.ru": "vk", "m.vk.com": "vk", "t.me": "telegram", "telegram.me": "telegram",
              "ok.ru": "ok", "m.ok.ru": "ok", "max.ru": "max"}
NO_ADDRESS = {"", "-", "—", "–", "нет", "отсутствует", "не имеется", "нет данных", "в разработке", "не создан",
              "не создана", "не ведется", "не ведётся", "x", "х"}
NOTE_STARTS = ("примечан", "*", "исполнител", "итого", "всего", "источник", "ответствен", "дата ", "составил",
               "подпись", "руководител")
_SPLIT = re.compile(r"[\s,;]+")
MUNICIPALITY_HEADING = re.compile(r"район|округ|город|г\.|\bмо\b|поселени|муниципал", re.IGNORECASE)


@dataclass(slots=True)
class SheetReport:
    """What was read from one sheet, for the person importing."""

    name: str
    header: Header | None
    rows: int = 0


@dataclass(slots=True)
class ImportResult:
    municipalities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    rows_read: int = 0

    def to_yaml_tree(self) -> dict[str, Any]:
        """The `municipalities:` section; `authority` is left for the person to fill (sources check reminds)."""
        return {"municipalities": [{"name": name, "authority": "", "institutions": institutions}
                                   for name, institutions in self.municipalities.items()]}


def guess_institution_kind(text: str) -> str | None:
    text = f" {text.lower().replace('ё', 'е')} "
    for kind, words in KIND_WORDS.items():
        if any(word in text for word in words):
            return kind
    return None


def import_institutions(path: Path, default_municipality: str | None = None) -> ImportResult:
    """Read every sheet of `path`; raise ImportFileError when nothing names the institutions."""
    tables = read_tables(path)
    result = ImportResult()
    found_header = False
    for table in tables:
        where = _where(path, table, len(tables))
        result.problems.extend(f"{where}, {bad}" for bad in table.bad_rows)
        located = find_header(table.rows)
        report = SheetReport(table.name, located[0] if located else None)
        result.sheets.append(report)
        if located is None:
            if any(any(cells) for _, cells in table.rows):
                result.problems.append(f"{where}: не найдена строка заголовков со столбцом наименования "
                                       "учреждения — лист пропущен")
            continue
        found_header = True
        header, start = located
        municipality = default_municipality or (table.name.strip() if table.names_municipality else "")
        if "municipality" not in header.columns and not municipality and not _has_headings(table.rows[start:]):
            sheet = f", а название листа («{table.name}») им быть не может" if table.name else ""
            raise ImportFileError(f"{where}: нет столбца муниципалитета{sheet}; укажите муниципалитет "
                                  "параметром --municipality")
        report.rows = _read_rows(result, where, header, table.rows[start:], municipality)
    if not found_header:
        raise ImportFileError(_no_header_message(path, tables))
    return result


def _where(path: Path, table: Table, sheets: int) -> str:
    return f"{path}, лист «{table.name}»" if table.name and sheets > 1 else str(path)


def _no_header_message(path: Path, tables: list[Table]) -> str:
    seen = next((cells for table in tables for _, cells in table.rows if sum(bool(c) for c in cells) >= 2), [])
    titles = ", ".join(f"«{cell}»" for cell in seen if cell) or "нет"
    return (f"{path}: не найден столбец с наименованием учреждения ни на одном листе (первая строка с "
            f"несколькими ячейками: {titles}). Назовите столбец, например, «Наименование ОО» и повторите импорт.")


def _read_rows(result: ImportResult, where: str, header: Header, rows: list[tuple[int, list[str]]],
               municipality: str) -> int:
    columns = header.columns
    seen = {(m, i["name"]) for m, items in result.municipalities.items() for i in items}
    count = 0
    notes: list[int] = []
    for number, cells in rows:
        cell = lambda column: (cells[columns[column]]  # noqa: E731
                               if column in columns and columns[column] < len(cells) else "")
        filled = [c for c in cells if c]
        if not filled or (len(filled) == 1 and cell("number").rstrip(".").isdigit()):
            continue  # an empty row, or one that only has its number
        if _is_note(filled, cell("name")):
            heading = filled[0]
            if "municipality" not in columns and len(set(filled)) == 1 and MUNICIPALITY_HEADING.search(heading):
                municipality = heading  # a merged row «Зиминский район» above its institutions
                result.problems.append(f"{where}, строка {number}: «{heading}» принято за название "
                                       "муниципалитета для строк ниже")
            else:
                notes.append(number)
            continue
        count += 1
        result.rows_read += 1
        name = cell("name")
        place = cell("municipality") or municipality
        if not name:
            result.problems.append(f"{where}, строка {number}: нет наименования учреждения — строка пропущена")
            continue
        if not place:
            result.problems.append(f"{where}, строка {number}: не указан муниципалитет — строка пропущена")
            continue
        if (place, name) in seen:
            result.problems.append(f"{where}, строка {number}: «{name}» уже встречалось выше — строка пропущена")
            continue
        seen.add((place, name))
        kind = guess_institution_kind(cell("kind")) or guess_institution_kind(name)
        if kind is None:
            result.problems.append(f"{where}, строка {number}: не удалось определить тип учреждения «{name}»; "
                                   "указан school — проверьте")
            kind = "school"
        channels = _channels(result, where, number, header, cells)
        result.municipalities.setdefault(place, []).append({"name": name, "kind": kind, "channels": channels})
    if notes:
        listed = ", ".join(map(str, notes))
        result.problems.append(f"{where}, строки {listed}: примечания или заголовки внутри таблицы — не "
                               "учреждения, пропущены")
    return count


def _has_headings(rows: list[tuple[int, list[str]]]) -> bool:
    """Whether merged rows such as «Зиминский район» name the municipalities of the rows below them."""
    return any(len({c for c in cells if c}) == 1 and sum(bool(c) for c in cells) > 1
               and MUNICIPALITY_HEADING.search(next(c for c in cells if c)) for _, cells in rows)


def _is_note_text(text: str) -> bool:
    return text.lower().lstrip().startswith(NOTE_STARTS)


def _is_note(filled: list[str], name: str) -> bool:
    """A row that is no institution: one text over the whole row (merged), a lone text outside the
    name column, or a note («Примечание: …», «Итого»)."""
    if len(set(filled)) == 1 and (len(filled) > 1 or not name):
        return True
    return _is_note_text(name) or _is_note_text(filled[0])


def _channels(result: ImportResult, where: str, number: int, header: Header, cells: list[str]) -> list[dict[str, str]]:
    channels: list[dict[str, str]] = []
    for column in CHANNEL_COLUMNS:
        index = header.columns.get(column)
        if index is None or index >= len(cells) or cells[index].strip().lower() in NO_ADDRESS:
            continue
        for value in _addresses(cells[index]):
            kind = _host_kind(value) or column
            if kind == "links":
                kind = "website"
            problem = _address_problem(kind, value)
            if problem:
                result.problems.append(f"{where}, строка {number}, столбец «{header.titles[index]}» "
                                       f"({column_letter(index)}): {problem} — адрес пропущен")
                continue
            if {kind: value} not in channels:
                channels.append({kind: value})
    return channels


def _addresses(text: str) -> list[str]:
    """Several links in one cell (separated by spaces, commas or new lines) are several channels."""
    parts = [part for part in _SPLIT.split(text.strip()) if part]
    if len(parts) > 1 and all("." in part or part.startswith("@") for part in parts):
        return parts
    return [text.strip()]


def _host_kind(value: str) -> str | None:
    host = re.sub(r"^[a-z]+://", "", value.strip().lower()).split("/", 1)[0].removeprefix("www.")
    return HOST_KINDS.get(host)


def _address_problem(kind: str, value: str) -> str | None:
    normalize = NORMALIZERS.get(kind)
    if normalize is None:  # Одноклассники and MAX: the registry checks their form
        return None if ("." in value or value.startswith("@")) and " " not in value else \
            f"«{value}» не похоже на адрес страницы"
    try:
        normalize(value)
    except AddressError as exc:
        return str(exc)
    return None


__all__ = ["ImportFileError", "ImportResult", "SheetReport", "import_institutions", "guess_institution_kind"]
