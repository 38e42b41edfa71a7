"""Read a checked draft back: statuses become reviews, added rows become manual entries.

A file is refused as a whole (nothing changes) when it is not natmon's draft, its hidden
metadata is missing, it belongs to another municipality or period, or a column needed to
match rows (the hidden ids, the status) was deleted. Inside an accepted file, each row that
cannot be read is skipped and reported with its sheet, row, column and the reason. Only rows
the person changed since the draft was written are applied, and a decision equal to the
latest stored one adds nothing, so importing the same file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from crawler.registry import Registry, SourcesError
from crawler.store import Store
from reports import ReportError
from reports.data import TEXT_NONE, load
from reports.labels import STATUS_CHOICES, STATUS_DECISIONS, status_label
from reports.meta import Meta, read_meta
from reports.periods import DATE_FORMAT, BoundaryRule, find_period
from reports.review_store import Decision, ManualEntry, save

POST_BLOCKS = ("rows", "near_rows")
REQUIRED = {"rows": ("post_id", "status"), "near_rows": ("post_id", "status"), "other_rows": ("entry_id", "channel")}


@dataclass(slots=True, frozen=True)
class ImportProblem:
    sheet: str
    row: int
    column: str  # letter and heading, e.g. «K («Статус проверки»)»
    message: str

    def render(self) -> str:
        where = f"лист «{self.sheet}», строка {self.row}" + (f", столбец {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ImportResult:
    path: Path
    municipality: str
    period_label: str
    reviews_added: int = 0
    entries_added: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ImportRefused(ReportError):
    """The file was not imported at all; nothing changed."""


@dataclass(slots=True)
class _Columns:
    sheet: Worksheet
    header_row: int
    columns: dict[str, int]
    headings: dict[str, str]

    def value(self, row: int, name: str) -> Any:
        column = self.columns.get(name)
        value = self.sheet.cell(row, column).value if column else None
        return value.strip() if isinstance(value, str) else value

    def where(self, name: str) -> str:
        column = self.columns.get(name)
        return f"{get_column_letter(column)} («{self.headings.get(name, name)}»)" if column else ""

    def blank(self, row: int, ignore: tuple[str, ...] = ()) -> bool:
        return all(self.value(row, name) in (None, "") for name in self.columns if name not in ignore)


def import_file(store: Store, registry: Registry, path: str | Path, who: str, *, municipality: str | None = None,
                deadline: str | None = None, now: datetime | None = None) -> ImportResult:
    """Apply a checked draft to the store; raises ImportRefused when the file cannot be trusted.

    Periods are cut with the boundary rule the draft was written with (kept in its metadata).
    """
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise ImportRefused(f"{path}: файл не найден") from None
    except (OSError, InvalidFileException, BadZipFile, KeyError, ValueError) as exc:
        raise ImportRefused(f"{path}: не удалось прочитать как xlsx ({exc}); ничего не изменено") from exc
    meta = read_meta(wb)
    if meta is None:
        raise ImportRefused(f"{path}: нет служебного листа natmon (муниципалитет, кампания, период) — это не "
                            "черновик natmon или лист повреждён; ничего не изменено. Сформируйте свежий черновик "
                            "командой natmon report draft")
    if meta.kind != "draft":
        raise ImportRefused(f"{path}: это не черновик, а файл вида «{meta.kind}»; импортируется только черновик")
    try:
        rule = BoundaryRule(meta.boundary)
    except ValueError:
        raise ImportRefused(f"{path}: служебный лист повреждён (правило границы «{meta.boundary}»)") from None
    campaign, period, entry = _owner(registry, meta, path, municipality, deadline, rule)
    data = load(store, registry, campaign, rule)
    m_id = data.municipality_id(entry.name)
    result = ImportResult(path, entry.name, period.label)
    if (meta.period_start, meta.period_end) != (period.start_date.isoformat(), period.end_date.isoformat()):
        raise ImportRefused(f"{path}: границы периода в файле ({meta.period_start} – {meta.period_end}) не совпадают "
                            f"с текущими ({period.span}); сформируйте свежий черновик")
    mine = data.posts(period, m_id, matched_only=False, text=TEXT_NONE)
    owned = set(int(i) for i in mine.loc[mine["period"] == period.index, "post_id"])
    known = data.stored_posts()
    decisions: list[Decision] = []
    seen: set[int] = set()
    entries: list[ManualEntry] = []
    institutions = data.institutions[data.institutions["municipality_id"] == m_id]
    by_name = {str(n).casefold(): int(i) for n, i in zip(institutions["institution"], institutions["institution_id"])}
    for block in meta.blocks:
        cols = _locate(wb, block, path)
        if block["marker"] in POST_BLOCKS:
            decisions += _read_posts(cols, meta, owned, known, seen, result, path)
        elif block["marker"] == "other_rows":
            entries += _read_other(cols, m_id, by_name, period, result)
    added = save(store.engine, decisions, entries, who, now or datetime.now(timezone.utc))
    result.reviews_added, result.entries_added = added
    result.unchanged += len(decisions) - added[0]
    return result


def _owner(registry: Registry, meta: Meta, path: Path, municipality: str | None, deadline: str | None,
           rule: BoundaryRule) -> Any:
    if meta.region != registry.region:
        raise ImportRefused(f"{path}: файл относится к региону «{meta.region}», а реестр — к «{registry.region}»")
    try:
        campaign = registry.campaign(meta.campaign, date.today())
        entry = registry.municipality(meta.municipality)
    except SourcesError as exc:
        raise ImportRefused(f"{path}: {exc.problems[0].message}; ничего не изменено") from exc
    if municipality and municipality.strip().casefold() != entry.name.casefold():
        raise ImportRefused(f"{path}: файл относится к муниципалитету «{entry.name}», а не к «{municipality}»; "
                            "ничего не изменено")
    period = find_period(campaign, meta.deadline, date.today(), rule)
    if deadline and find_period(campaign, deadline, date.today(), rule).deadline != period.deadline:
        raise ImportRefused(f"{path}: файл относится к отчёту {period.label}, а не к указанному сроку {deadline}; "
                            "ничего не изменено")
    return campaign, period, entry


def _locate(wb: Any, block: dict[str, Any], path: Path) -> _Columns:
    sheet_name, headings = block["sheet"], dict(block["headings"])
    if sheet_name not in wb.sheetnames:
        raise ImportRefused(f"{path}: нет листа «{sheet_name}» — его удалили или переименовали; ничего не изменено")
    ws = wb[sheet_name]
    required = REQUIRED[block["marker"]]
    for row in ws.iter_rows():
        texts = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str)}
        if headings.get(required[0]) not in texts:
            continue
        columns = {name: texts[heading] for name, heading in headings.items() if heading in texts}
        for name in required[1:]:
            if name not in columns:
                raise ImportRefused(f"{path}: лист «{sheet_name}», строка {row[0].row}: нет столбца "
                                    f"«{headings.get(name, name)}»; верните его или возьмите свежий черновик; "
                                    "ничего не изменено")
        return _Columns(ws, row[0].row, columns, headings)
    raise ImportRefused(f"{path}: лист «{sheet_name}»: не найден столбец «{headings.get(required[0])}» (скрытый "
                        "столбец с номерами записей); без него строки не сопоставить с публикациями. Не удаляйте "
                        "его; возьмите свежий черновик. Ничего не изменено")


def _read_posts(cols: _Columns, meta: Meta, owned: set[int], known: Container[int], seen: set[int],
                result: ImportResult, path: Path) -> list[Decision]:
    decisions: list[Decision] = []
    sheet = cols.sheet.title
    row = cols.header_row + 1
    while row <= cols.sheet.max_row and not cols.blank(row):
        raw_id, raw_status = cols.value(row, "post_id"), cols.value(row, "status")
        problem = ImportProblem(sheet, row, cols.where("post_id"), "")
        post_id = _as_int(raw_id)
        number = cols.value(row, "n")
        if raw_id in (None, "") and isinstance(number, str) and _as_int(number) is None:
            break  # the next section of the form begins (the blank row after the register was deleted)
        if raw_id in (None, ""):
            result.problems.append(_with(problem, "нет ID публикации — строку добавили вручную? Публикации в "
                                                  "других каналах вносите в раздел «Другие каналы»; строка пропущена"))
        elif post_id is None:
            result.problems.append(_with(problem, f"ID «{raw_id}» — не число; строка пропущена"))
        elif post_id not in owned:
            if post_id in known:
                raise ImportRefused(f"{path}: лист «{sheet}», строка {row}: публикация {post_id} не относится к "
                                    f"«{meta.municipality}» за период {meta.period_start} – {meta.period_end}; "
                                    "строки из другого отчёта? Ничего не изменено")
            result.problems.append(_with(problem, f"публикации с ID {post_id} нет в хранилище; строка пропущена"))
        elif post_id in seen:
            result.problems.append(_with(problem, f"публикация {post_id} встречается в файле второй раз; "
                                                  "строка пропущена"))
        else:
            seen.add(post_id)
            item = _decision(cols, row, post_id, raw_status, meta, result)
            if item is not None:
                decisions.append(item)
        row += 1
    return decisions


def _decision(cols: _Columns, row: int, post_id: int, raw_status: Any, meta: Meta,
              result: ImportResult) -> Decision | None:
    status = _normal(raw_status) or status_label(None)
    if status not in STATUS_DECISIONS:
        result.problems.append(ImportProblem(cols.sheet.title, row, cols.where("status"),
                                             f"неизвестный статус «{raw_status}»; допустимы: "
                                             f"{', '.join(STATUS_CHOICES)}; строка пропущена"))
        return None
    comment = str(cols.value(row, "comment") or "")
    if (status, comment) == meta.statuses.get(post_id, (status_label(None), "")):
        result.unchanged += 1  # not touched by the person: a newer decision elsewhere stays
        return None
    decision = STATUS_DECISIONS[status]
    if decision is None:
        result.notes.append(f"лист «{cols.sheet.title}», строка {row}: статус «не проверено» не отменяет "
                            "прежнее решение; комментарий без статуса не сохранён")
        return None
    return Decision(post_id, decision, comment)


def _read_other(cols: _Columns, m_id: int, by_name: dict[str, int], period: Any,
                result: ImportResult) -> list[ManualEntry]:
    entries: list[ManualEntry] = []
    sheet = cols.sheet.title
    row = cols.header_row + 1
    while row <= cols.sheet.max_row and not cols.blank(row):
        if cols.value(row, "entry_id") not in (None, "") or cols.blank(row, ignore=("n",)):
            row += 1  # a stored entry, or an empty numbered slot
            continue
        channel, url = str(cols.value(row, "channel") or ""), str(cols.value(row, "url") or "")
        description, name = str(cols.value(row, "description") or ""), str(cols.value(row, "institution") or "")
        published = _as_date(cols.value(row, "date"))
        problems = []
        if not channel:
            problems.append(ImportProblem(sheet, row, cols.where("channel"), "не указан канал (например, "
                                                                             "«Одноклассники», «газета»)"))
        if published is None:
            problems.append(ImportProblem(sheet, row, cols.where("date"), f"не понимаю дату «{cols.value(row, 'date') or ''}»; "
                                                                          "укажите как 24.01.2025"))
        if not url and not description:
            problems.append(ImportProblem(sheet, row, cols.where("url"), "нужна ссылка или описание"))
        institution_id = by_name.get(name.casefold()) if name else None
        if name and institution_id is None:
            problems.append(ImportProblem(sheet, row, cols.where("institution"),
                                          f"учреждения «{name}» нет в реестре этого муниципалитета"))
        if problems:
            result.problems += [_with(p, p.message + "; строка пропущена") for p in problems]
        elif published is not None:
            if not period.contains(published):
                result.notes.append(f"лист «{sheet}», строка {row}: дата {published:{DATE_FORMAT}} вне периода "
                                    f"{period.span}; запись сохранена и войдёт в отчёт за свой период")
            entries.append(ManualEntry(m_id, institution_id, channel, url, description, published))
        row += 1
    return entries


def _with(problem: ImportProblem, message: str) -> ImportProblem:
    return ImportProblem(problem.sheet, problem.row, problem.column, message)


def _normal(value: Any) -> str:
    return " ".join(str(value or "").replace("ё", "е").replace("Ё", "Е").lower().split())


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in (DATE_FORMAT, "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(str(value or "").strip(), pattern).date()
        except ValueError:
            pass
    return None


__all__ = ["import_file", "ImportResult", "ImportProblem", "ImportRefused"]
