"""Fill an xlsx template: header placeholders and row blocks, layout kept from the template.

A template is an ordinary workbook. In any text cell, `{{name}}` is replaced by a value
(`{{municipality}}`, `{{period}}`, `{{region}}`, `{{date}}`, … see `reports.form.PLACEHOLDERS`);
a cell holding only a placeholder gets the typed value (a number stays a number). A row
whose first non-empty cell is a block marker — `{{rows}}` (publications), `{{near_rows}}`
(near misses), `{{other_rows}}` (other channels) — is repeated once per record with that
row's styles; the marker cell is the «№» column and the other cells of the row name their
fields as `{{col.<field>}}` (without them the block's default columns are laid out from the
marker on). The row above a marker holds the headings. Rows below move down; merged cells,
row heights, column widths, frozen panes and data validations move with them (conditional
formatting and print areas are not carried over).
"""

from __future__ import annotations

import re
from copy import copy, deepcopy
from datetime import datetime, timezone
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence
from weakref import WeakKeyDictionary
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from reports import ReportError

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
MARKERS = ("rows", "near_rows", "other_rows")
FIELD_PREFIX = "col."


@dataclass(slots=True)
class Block:
    """Where a block landed in the output sheet."""

    marker: str
    sheet: str
    header_row: int
    first_row: int
    count: int
    columns: dict[str, int] = field(default_factory=dict)  # field → 1-based column
    headings: dict[str, str] = field(default_factory=dict)  # field → heading text in header_row


@dataclass(slots=True)
class _Marker:
    row: int
    column: int
    fields: dict[str, int]


def placeholders_in(value: Any) -> list[str]:
    return PLACEHOLDER.findall(value) if isinstance(value, str) else []


def substitute(value: Any, values: Mapping[str, Any], where: str, unknown: list[str]) -> Any:
    """Replace placeholders in a cell value; a lone placeholder keeps the value's type."""
    if not isinstance(value, str) or "{{" not in value:
        return value
    whole = PLACEHOLDER.fullmatch(value.strip())
    if whole and whole.group(1) in values:
        return values[whole.group(1)]

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            unknown.append(f"{where}: {{{{{name}}}}}")
            return match.group(0)
        found = values[name]
        return "" if found is None else str(found)

    return PLACEHOLDER.sub(one, value)


def find_markers(ws: Worksheet, defaults: Mapping[str, Sequence[str]]) -> dict[str, _Marker]:
    found: dict[str, _Marker] = {}
    for row in ws.iter_rows():
        cells = [c for c in row if c.value not in (None, "")]
        if not cells:
            continue
        names = placeholders_in(cells[0].value)
        if len(names) != 1 or names[0] not in MARKERS or str(cells[0].value).strip() != "{{" + names[0] + "}}":
            continue
        marker = names[0]
        if cells[0].row == 1:  # a checked draft is read back by its headings, which sit in the row above
            raise ReportError(f"лист «{ws.title}», ячейка {cells[0].coordinate}: над строкой {{{{{marker}}}}} нужна "
                              "строка заголовков столбцов (по ним natmon читает проверенный черновик); вставьте её")
        fields = {"n": cells[0].column}
        for cell in cells[1:]:
            for name in placeholders_in(cell.value):
                if name.startswith(FIELD_PREFIX):
                    fields[name[len(FIELD_PREFIX):]] = cell.column
        if len(fields) == 1:  # only the marker: the default columns from the marker on
            fields = {name: cells[0].column + i for i, name in enumerate(defaults[marker])}
        found[marker] = _Marker(cells[0].row, cells[0].column, fields)
    return found


def fill_sheet(wb: Workbook, ws: Worksheet, values: Mapping[str, Any], blocks: Mapping[str, list[dict[str, Any]]],
               defaults: Mapping[str, Sequence[str]], headings: Mapping[str, str], unknown: list[str],
               lone: list[tuple[str, str, int, int]] | None = None) -> list[Block]:
    """Write `ws` filled (placeholders replaced, each block's records written) into `wb` as a sheet of the same name.

    `ws` is either a sheet of the shared template from `open_template` (only read: the filled sheet takes the
    template's place in `wb`) or a sheet of `wb` itself, which the filled sheet replaces.
    `lone` collects (name, sheet, row, column) of the cells that held one placeholder only,
    where they landed, so a caller can put a formula there once every block is placed.
    """
    markers = find_markers(ws, defaults)
    shifts = sorted((m.row, max(len(blocks.get(name, [])), 1) - 1) for name, m in markers.items())

    def out_row(row: int) -> int:
        return row + sum(extra for marker_row, extra in shifts if marker_row < row)

    own = ws.parent is wb
    if own:
        out = wb.create_sheet(f"{ws.title[:25]}~tmp", wb.sheetnames.index(ws.title))
    else:
        out = wb.create_sheet(ws.title, ws.parent._sheets.index(ws))
    marker_rows = {m.row: name for name, m in markers.items()}
    merges = _kept_merges(ws, marker_rows)
    inside = {cell for merged in merges for cell in merged.cells} - {(m.min_row, m.min_col) for m in merges}
    cells = out._cells
    for row in ws.iter_rows():
        for cell in row:
            if cell.row in marker_rows:
                continue
            at = (out_row(cell.row), cell.column)
            if (cell.row, cell.column) in inside:  # a merged cell keeps the look its merge gave it in the template
                target = cells[at] = MergedCell(out, *at)
                target._style = copy(cell._style)
                continue
            target = cells[at] = Cell(out, row=at[0], column=at[1])
            target.value = substitute(cell.value, values, f"{ws.title}!{cell.coordinate}", unknown)
            whole = PLACEHOLDER.fullmatch(cell.value.strip()) if isinstance(cell.value, str) else None
            if lone is not None and whole and whole.group(1) in values:
                lone.append((whole.group(1), ws.title, target.row, target.column))
            if cell.has_style:
                target._style = copy(cell._style)
    result: list[Block] = []
    for name, marker in markers.items():
        result.append(_write_block(ws, out, name, marker, blocks.get(name, []), out_row(marker.row), headings))
    _copy_layout(ws, out, out_row, marker_rows, shifts, merges)
    if own:
        wb.remove(ws)
        out.title = ws.title
    return result


def _kept_merges(ws: Worksheet, marker_rows: Mapping[int, str]) -> list[CellRange]:
    """The template's merged ranges that do not touch a block's marker row (those are dropped)."""
    return [merged for merged in ws.merged_cells.ranges
            if not any(merged.min_row <= r <= merged.max_row for r in marker_rows)]


def _write_block(ws: Worksheet, out: Worksheet, name: str, marker: _Marker, records: list[dict[str, Any]],
                 first: int, headings: Mapping[str, str]) -> Block:
    width = max(ws.max_column, *marker.fields.values())
    header_row = first - 1
    block = Block(name, ws.title, header_row, first, len(records), dict(marker.fields))
    for field_name, column in marker.fields.items():  # a marker is never in row 1 (find_markers refuses it)
        heading = out.cell(header_row, column)
        if heading.value in (None, ""):
            heading.value = headings.get(field_name, field_name)
        block.headings[field_name] = str(heading.value or "")
    sources = [ws._cells.get((marker.row, column)) for column in range(1, width + 1)]  # the marker row's styles
    styles = [source._style if source is not None and source.has_style else None for source in sources]
    widths: dict[int, float] = {}  # of the link columns, looked up once
    cells = out._cells  # (row, column) → cell: read directly, Worksheet.cell checks and looks up each time
    fields = list(marker.fields.items())
    for i, record in enumerate(records or [{}]):
        row = first + i
        for column, style in enumerate(styles, start=1):
            target = cells.get((row, column))
            if target is None:  # as Worksheet.cell makes it, without its checks (no sheet appends rows later)
                cells[row, column] = Cell(out, row=row, column=column, style_array=style)  # a copy of the style
            elif style is not None:
                target._style = copy(style)
        if not records:
            continue
        for field_name, column in fields:
            value = record.get(field_name)
            target = cells[row, column]  # made above: every field's column is within `styles`
            if isinstance(value, tuple):  # (text, hyperlink)
                if column not in widths:  # read without creating the dimension (the template is shared)
                    dim = ws.column_dimensions.get(get_column_letter(column))
                    widths[column] = (dim.width if dim is not None else None) or 10
                link(target, value[0], value[1], sources[column - 1], widths[column])
            else:
                put(target, value)
    return block


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula
LINK_COLOR = "0563C1"
LINK_FONT, LINK_SIZE = "Arial", 10  # as reports.make_template.FONT (which imports this module)


def put(cell: Any, value: Any) -> None:
    """Write untrusted text as text: control characters dropped, never a formula.

    A string that a spreadsheet could take for a formula (=, +, -, @, tab, CR first) is stored
    as a string cell with the quote prefix, so editing it in Excel or LibreOffice keeps it text.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value


LINK_CHARS_PER_WIDTH_UNIT = 1.3  # a link's latin letters and signs are narrower than Cyrillic words
LITERAL_CHUNK = 200  # Excel takes at most 255 characters in one text literal of a formula
_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


# workbook → (template cell's style, its workbook) → a link cell's style indices in that workbook
_LINK_STYLES: WeakKeyDictionary[Workbook, dict[tuple[Any, ...], Any]] = WeakKeyDictionary()


def link(cell: Any, text: str, target: str, like: Any = None, width: float | None = None) -> None:
    """Make a cell a link showing `text`: the hyperlink set, the Hyperlink style (blue,
    underlined), the font family and size, borders and wrapping of `like` (the template's cell).

    LibreOffice turns a linked text cell into a link field that never wraps, so a link longer
    than one line of a `width`-wide column would be cut at the column's edge in print. Such a
    link is written as a formula that is only a quoted text literal (="…"&"…", quotes doubled;
    `target` is an http(s) address checked by reports.highlight.safe_href), which both
    spreadsheets wrap and keep as a link; `shown_text` reads it back.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if width is not None and len(text) > width * LINK_CHARS_PER_WIDTH_UNIT:
        chunks = [text[i:i + LITERAL_CHUNK] for i in range(0, len(text), LITERAL_CHUNK)]
        cell.value = "=" + "&".join('"' + chunk.replace('"', '""') + '"' for chunk in chunks)
    else:
        put(cell, text)
    cell.hyperlink = target
    source = like if like is not None and like.has_style else None
    key = (tuple(source._style) if source is not None else None, id(source.parent.parent) if source is not None else None)
    styles = _LINK_STYLES.setdefault(cell.parent.parent, {})
    if key in styles:  # the same look as an earlier link of this workbook: its style indices, not new objects
        cell._style = copy(styles[key])
        return
    cell.style = "Hyperlink"
    if source is not None:
        cell.border, cell.alignment, cell.fill = copy(source.border), copy(source.alignment), copy(source.fill)
        name, size, bold = source.font.name, source.font.sz, source.font.b
    else:
        name, size, bold = LINK_FONT, LINK_SIZE, False
    cell.font = Font(name=name or LINK_FONT, size=size or LINK_SIZE, bold=bold, color=LINK_COLOR, underline="single")
    styles[key] = copy(cell._style)


def _copy_layout(ws: Worksheet, out: Worksheet, out_row: Any, marker_rows: dict[int, str],
                 shifts: list[tuple[int, int]], merges: Sequence[CellRange]) -> None:
    for key, dim in ws.column_dimensions.items():
        new = out.column_dimensions[key]
        new.width, new.hidden = dim.width, dim.hidden
        if dim.min and dim.max:
            new.min, new.max = dim.min, dim.max
    for row, dim in ws.row_dimensions.items():
        if dim.height is None:
            continue
        extra = next((e for r, e in shifts if r == row), 0) if row in marker_rows else 0
        for i in range(extra + 1):
            out.row_dimensions[out_row(row) + i].height = dim.height
    for merged in merges:
        out.merged_cells.add(_moved_merge(out, merged, out_row(merged.min_row) - merged.min_row))
    if ws.freeze_panes:
        column, row = _split(ws.freeze_panes)
        out.freeze_panes = f"{column}{out_row(row)}"
    for dv in ws.data_validations.dataValidation:
        ranges = []
        for rng in dv.sqref.ranges:
            extra = sum(e for r, e in shifts if rng.min_row <= r <= rng.max_row)
            ranges.append(CellRange(min_col=rng.min_col, min_row=out_row(rng.min_row), max_col=rng.max_col,
                                    max_row=out_row(rng.max_row) + extra).coord)
        new_dv = copy(dv)
        new_dv.sqref = " ".join(ranges)
        out.add_data_validation(new_dv)
    out.sheet_properties = copy(ws.sheet_properties)
    out.page_setup = copy(ws.page_setup)
    out.print_options = copy(ws.print_options)
    out.page_margins = copy(ws.page_margins)
    if ws.print_title_rows:  # "7:7": the heading rows repeated on every printed page
        first, last = (int(part) for part in ws.print_title_rows.replace("$", "").split(":"))
        out.print_title_rows = f"{out_row(first)}:{out_row(last)}"
    out.sheet_format = copy(ws.sheet_format)
    out.sheet_view.zoomScale = ws.sheet_view.zoomScale


def _moved_merge(out: Worksheet, merged: CellRange, shift: int) -> MergedCellRange:
    """A template's merged range moved down `shift` rows into `out`, where its cells already are, with the look
    the merge gave them when the template was loaded: `MergedCellRange(out, coord)` would add the bottom-right
    cell's borders to the top-left one again (the same borders, through a style look-up per merge)."""
    moved = MergedCellRange.__new__(MergedCellRange)
    CellRange.__init__(moved, min_col=merged.min_col, min_row=merged.min_row + shift, max_col=merged.max_col,
                       max_row=merged.max_row + shift)
    moved.ws, moved.start_cell = out, out._cells[moved.min_row, moved.min_col]
    return moved


def _split(coordinate: str) -> tuple[str, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", coordinate)
    if not match:
        raise ReportError(f"Непонятная закреплённая область «{coordinate}» в шаблоне")
    return match.group(1), int(match.group(2))


def add_choice(ws: Worksheet, block: Block, field_name: str, choices: Sequence[str], prompt: str) -> None:
    """A drop-down on one column of a block's rows."""
    column = block.columns.get(field_name)
    if column is None or block.count == 0:
        return
    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Недопустимое значение",
                        error=f"Выберите из списка: {', '.join(choices)}", promptTitle="Статус", prompt=prompt)
    dv.add(f"{letter}{block.first_row}:{letter}{block.first_row + block.count - 1}")
    ws.add_data_validation(dv)


def hide_columns(ws: Worksheet, block: Block, field_names: Sequence[str], keep: set[int] | frozenset[int] = frozenset()) -> None:
    """Hide the columns of these fields, except columns another block shows (`keep`)."""
    for name in field_names:
        if name in block.columns and block.columns[name] not in keep:
            ws.column_dimensions[get_column_letter(block.columns[name])].hidden = True


# resolved path → ((mtime, size), the workbook as loaded): each report copies its workbook part and reads its sheets
# instead of parsing the file again; only the latest template is kept (a long-running web app may see many)
_TEMPLATES: dict[Path, tuple[tuple[int, int], Workbook]] = {}


def open_template(path: Path) -> tuple[Workbook, list[Worksheet]]:
    """A new workbook with the template's styles, names and settings but without its worksheets, and the
    template's worksheets to fill into it with `fill_sheet` (shared by every report of the process: only read).

    The file is read from disk once per process (again when it changes). Raises what openpyxl's
    `load_workbook` raises for a missing or broken file."""
    from openpyxl import load_workbook

    key = path.resolve()
    stat = key.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _TEMPLATES.get(key)
    if cached is None or cached[0] != version:
        loaded = load_workbook(key)
        for ws in loaded.worksheets:  # iter_rows makes the missing cells of a sheet's range once, here, not on each read
            for _ in ws.iter_rows():
                pass
        _TEMPLATES.clear()
        cached = _TEMPLATES[key] = (version, loaded)
    return _copy_workbook(cached[1]), list(cached[1].worksheets)


def _copy_workbook(wb: Workbook) -> Workbook:
    """A deep copy of a workbook without its worksheets (chart sheets are copied), repaired where openpyxl's
    containers do not survive `deepcopy`: the style tables (IndexedList) lose their items (their lookup dict is
    copied first, so re-adding each item is skipped) and are rebuilt from the copied items, in the same order, so
    the style indices of the template's cells mean the same in the copy."""
    memo: dict[int, Any] = {id(ws): None for ws in wb.worksheets}  # not copied: each is filled into a new sheet
    copied = deepcopy(wb, memo)
    copied._sheets = [sheet for sheet in copied._sheets if sheet is not None]
    for name, value in vars(wb).items():
        if isinstance(value, IndexedList):
            setattr(copied, name, IndexedList(deepcopy(list(value), memo)))
    return copied


def save_workbook(wb: Any, path: str | Path) -> Path:
    """Save a workbook, creating its folder; a failure is a ReportError naming the file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _save(wb, path)
    except OSError as exc:
        raise ReportError(f"Не удалось записать {path}: {exc}") from exc
    return path


def release(wb: Workbook) -> None:
    """Let a written workbook go at once: its sheets and their cells refer to each other, so otherwise only
    Python's cyclic collector frees them, after walking them again and again (reports.workers runs each
    municipality's report with the collector off)."""
    for ws in wb._sheets:
        ws._cells.clear()
    wb._sheets.clear()


def _save(wb: Workbook, path: Path) -> None:
    """`wb.save(path)`, each sheet's XML written straight into the archive: openpyxl writes it to a temporary file,
    copies that into the archive and deletes it, and deleting the written file costs more than making it."""
    if wb.write_only or wb.read_only:  # not what natmon writes; openpyxl's own way keeps their rules
        wb.save(path)
        return
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        wb.properties.modified = datetime.now(tz=timezone.utc).replace(tzinfo=None)
        _InMemoryWriter(wb, archive).save()


class _InMemoryWriter(ExcelWriter):  # type: ignore[misc]
    """openpyxl's ExcelWriter with `write_worksheet` writing into the archive's entry (its WorksheetWriter takes a
    file object as `out`)."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        with self._archive.open(ws.path[1:], "w") as entry:
            writer = WorksheetWriter(ws, out=entry)
            writer.write()
        ws._rels = writer._rels
        self.manifest.append(ws)


LINE_HEIGHT = 1.3  # points of row height per point of font size
CHARS_PER_WIDTH_UNIT = 0.95  # characters of a 10-pt sans font one unit of column width holds
BOLD_WIDTH = 1.1  # bold text is wider
LONGEST_WIDENED_WORD = 24  # longer «words» (links) are wrapped inside the column instead
MAX_LINES = 15
LONG_WORD_FILL = 0.75  # share of a line a long link fills before LibreOffice breaks it


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines a text takes when wrapped at spaces into lines of `per_line` characters (longer words split)."""
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used:
                lines += 1
            if size > per_line:  # a link: broken at / and -, not at any character, so lines run shorter
                step = max(1, int(per_line * LONG_WORD_FILL))
                lines += (size - 1) // step
                used = per_line
                continue
            used = size
    return max(lines, 1)


_wrapped_lines = lru_cache(maxsize=4096)(wrapped_lines)  # the same labels and names recur in every row


def _font_factor(cell: Any, known: dict[int | None, tuple[float, float]] | None = None) -> tuple[float, float]:
    """The font size of a cell and how much wider than 10-pt regular its text runs (`known`: by font index)."""
    key = cell._style.fontId if cell.has_style else None
    if known is not None and key in known:
        return known[key]
    size = float(cell.font.sz or 10) if cell.has_style else 10.0
    found = size, size / 10 * (BOLD_WIDTH if cell.has_style and cell.font.b else 1.0)
    if known is not None:
        known[key] = found
    return found


def _cell(ws: Worksheet, row: int, column: int) -> Any:
    """`ws.cell(row, column)`, without its argument checks and look-ups when the cell exists (hot loops)."""
    return ws._cells.get((row, column)) or ws.cell(row, column)


def fit_row_heights(ws: Worksheet, block: Block) -> None:
    """Give the heading row and each filled row the height its wrapped text needs.

    Neither Excel nor LibreOffice re-measures rows of a file written by openpyxl, so a long
    institution name or a two-line heading would overlap the next row when printed.
    """
    rows = [block.header_row] if block.header_row >= 1 else []
    shown = [(column, ws.column_dimensions[get_column_letter(column)].width or 10) for column in block.columns.values()
             if not ws.column_dimensions[get_column_letter(column)].hidden]
    fonts: dict[int | None, tuple[float, float]] = {}
    per_lines: dict[tuple[int, float], int] = {}  # (column, font factor) → characters a line holds
    for row in rows + list(range(block.first_row, block.first_row + block.count)):
        height = 0.0
        for column, width in shown:
            cell = _cell(ws, row, column)
            if cell.value is None:
                continue
            size, factor = _font_factor(cell, fonts)
            per_line = per_lines.get((column, factor))
            if per_line is None:
                per_line = per_lines[column, factor] = max(1, int(width * CHARS_PER_WIDTH_UNIT / factor))
            lines = min(_wrapped_lines(_cell_text(cell), per_line), MAX_LINES)
            height = max(height, lines * size * LINE_HEIGHT + 3)
        if height:
            ws.row_dimensions[row].height = max(height, 15.0)


def widen_for_words(ws: Worksheet, block: Block) -> None:
    """Widen each shown column of a block to its longest word, so no word is broken in print."""
    fonts: dict[int | None, tuple[float, float]] = {}
    for column in block.columns.values():
        letter = get_column_letter(column)
        if ws.column_dimensions[letter].hidden:
            continue
        need = 0.0
        for row in range(max(block.header_row, 1), block.first_row + block.count):
            cell = _cell(ws, row, column)
            longest = _longest_word(_cell_text(cell))
            if longest:
                _, factor = _font_factor(cell, fonts)
                need = max(need, longest * factor / CHARS_PER_WIDTH_UNIT + 1.5)
        if need > (ws.column_dimensions[letter].width or 10):
            ws.column_dimensions[letter].width = round(need, 1)


@lru_cache(maxsize=4096)  # the same labels and names recur in every row
def _longest_word(text: str) -> int:
    """Characters of the longest word of a text that a column is widened for (0: none; longer ones wrap)."""
    return max((len(word) for word in text.split() if len(word) <= LONGEST_WIDENED_WORD), default=0)


def _cell_text(cell: Any) -> str:
    """The text a cell prints: a count formula natmon wrote prints as a short number."""
    value = cell.value
    if value.__class__ is str and not value.startswith('="'):  # most cells: the text itself
        return "0" if cell.data_type == "f" else value
    if cell.data_type == "f" and not str(value).startswith('="'):
        return "0"
    return shown_text(value)


def shown_text(value: Any) -> str:
    """What a cell shows: a long link's text-literal formula (see `link`) read back as its text."""
    if isinstance(value, str) and value.startswith('="'):
        return "".join(part.replace('""', '"') for part in _LITERAL.findall(value))
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return "00.00.0000"
    return str(value)



__all__ = ["open_template", "release",
           "put", "link", "shown_text", "Block", "fit_row_heights", "widen_for_words", "wrapped_lines", "save_workbook",
           "MARKERS", "fill_sheet", "find_markers", "substitute", "placeholders_in", "add_choice", "hide_columns",
           "FORMULA_STARTS"]
