"""Which column of a department's list holds what: header words, header rows, numbering columns.

Pure: cells in, a column map out. Headers are matched by words, not substrings, so «Тип ОО»
is the kind and «Наименование ОО (полное)» the name, and a title row such as «Список
общеобразовательных организаций» (one merged cell) is never taken for the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# column -> header words; a word matches a whole header token, a word ending in «*» any token it begins
COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("№", "п/п", "нпп", "номер*")),
    ("municipality", ("муниципал*", "мо", "район", "округ", "municipality", "территори*")),
    ("website", ("сайт*", "website", "url", "web", "веб*")),
    ("vk", ("вконтакт*", "вк", "vk")),
    ("telegram", ("телеграм*", "telegram", "tg", "тг")),
    ("ok", ("одноклассник*", "ok", "ок")),
    ("max", ("max", "макс")),
    ("links", ("соцсет*", "социальн*", "ссылк*", "аккаунт*", "страниц*", "госпаблик*")),
    ("kind", ("тип", "вид", "kind")),
    ("name", ("наименован*", "название", "учреждени*", "организаци*", "оо", "оу", "name")),
)
# a header with one of these words is about something else (the head, the phone, the postal address)
OTHER_WORDS = ("фио", "руководител*", "директор*", "телефон*", "тел", "почт*", "email", "e", "инн", "огрн",
               "юридическ*", "фактическ*", "ответственн*")
COLUMN_LABELS = {"number": "номер по порядку", "municipality": "муниципалитет", "website": "сайт",
                 "vk": "ВКонтакте", "telegram": "Telegram", "ok": "Одноклассники", "max": "MAX",
                 "links": "ссылки (тип — по адресу)", "kind": "тип учреждения", "name": "наименование"}
CHANNEL_COLUMNS = ("website", "vk", "telegram", "ok", "max", "links")
HEADER_SEARCH_ROWS = 30  # the header is looked for among a sheet's first rows
_TOKEN = re.compile(r"[№]|[a-zа-я0-9/]+")


@dataclass(slots=True)
class Header:
    """Where a table's header is and what its columns hold (indexes are 0-based)."""

    row: int  # the last header row, as a person numbers rows
    columns: dict[str, int]
    titles: list[str]
    ignored: list[int] = field(default_factory=list)  # columns with a title nobody reads

    def describe(self) -> str:
        """«наименование — «Наименование ОО» (B), сайт — …; не использованы: …» for the person importing."""
        used = [f"{COLUMN_LABELS[key]} — «{self.titles[index]}» ({column_letter(index)})"
                for key, index in sorted(self.columns.items(), key=lambda item: item[1]) if key != "number"]
        text = "; ".join(used)
        if self.ignored:
            text += "; не использованы: " + ", ".join(f"«{self.titles[i]}» ({column_letter(i)})" for i in self.ignored)
        return text


def column_letter(index: int) -> str:
    """Excel's column letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("ё", "е"))


def _matches(found: list[str], words: tuple[str, ...]) -> bool:
    return any(token == word or (word.endswith("*") and token.startswith(word[:-1]))
               for word in words for token in found)


def column_of(title: str) -> str | None:
    """The column a header title names, or None."""
    found = tokens(title)
    if _matches(found, OTHER_WORDS):
        return None
    for column, words in COLUMN_WORDS:
        if _matches(found, words):
            return column
    return None


def map_columns(titles: list[str]) -> dict[str, int]:
    """Column -> index; the first title of each kind wins, except that a full name beats a short one."""
    columns: dict[str, int] = {}
    for index, title in enumerate(titles):
        column = column_of(title)
        if column is None:
            continue
        if column not in columns:
            columns[column] = index
        elif column == "name" and "полн" in title.lower() and "полн" not in titles[columns["name"]].lower():
            columns["name"] = index
    return columns


def _distinct(cells: list[str]) -> int:
    return len({cell for cell in cells if cell})


def find_header(rows: list[tuple[int, list[str]]]) -> tuple[Header, int] | None:
    """The header among the first rows and the position of the first data row in `rows`, or None.

    A header row has at least two different titles and names the institution. When the row
    under it adds recognised columns (a two-level header: «Ссылки» over «Сайт», «ВКонтакте»),
    the two rows are read together."""
    for position, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _distinct(cells) < 2:
            continue
        columns = map_columns(cells)
        if "name" not in columns:
            continue
        titles = list(cells)
        start = position + 1
        if start < len(rows):
            below = rows[start][1]
            joined = [top if (not low or low == top) else (f"{top} {low}" if top else low)
                      for top, low in zip(_pad(cells, len(below)), _pad(below, len(cells)))]
            joined_columns = map_columns(joined)
            if len(joined_columns) > len(columns) and "name" in joined_columns:
                titles, columns, number, start = joined, joined_columns, rows[start][0], start + 1
        used = set(columns.values())
        ignored = [i for i, title in enumerate(titles) if title and i not in used]
        return Header(number, columns, titles, ignored), start
    return None


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


__all__ = ["Header", "find_header", "map_columns", "column_of", "column_letter", "CHANNEL_COLUMNS", "COLUMN_LABELS"]
