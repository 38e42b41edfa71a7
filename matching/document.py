"""A post prepared for matching: original text, normalised text, tokens, sentences."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

from matching.dates import PROGRAMMES_FROM_YEAR, before_national_projects, reference_year
from matching.literals import Literals
from matching.normalize import Normalized
from matching.phrases import Hit, Tokens

# a period after a short abbreviation of a number or unit («11 тыс. заявлений», «5 млн. рублей») or of a place or
# name («школа № 9 г. Киренска», «им. Пушкина», «ул. Ленина») ends no sentence; «г.» after a year («в 2024 г.») still may
# (the look-behinds follow the first mark, so the scan still jumps from mark to mark; the pattern begins
# with one character class, not a choice, so that `re` skips to the next mark or line break in C)
_SENTENCE_BREAK_RE = re.compile(
    r"[.!?…\n](?:(?<=\n)|(?<!\bтыс\.)(?<!\bмлн\.)(?<!\bмлрд\.)(?<!\bруб\.)(?<!\bчел\.)(?<!\bим\.)(?<!\bул\.)"
    r"(?<!\bпос\.)(?<!\bобл\.)(?:(?<!\bг\.)|(?<=\d\d\d\d\sг\.)|(?<=\d\d\d\dг\.))[.!?…]*(?=[\s\"]|$))")
_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# the same years as _YEAR_RE, searched by their literal «20» (a leading look-behind makes `re` try every position)
_YEAR_CANDIDATE_RE = re.compile(r"20\d\d")
# a year as the time of an action: «в 2007 году», «к 2008 году», «на 2006 год», «до 2010 года» (the year is
# found first, by its digits; the preposition is checked behind it)
_TIME_FRAME_RE = re.compile(r"20\d\d(?<![\d]20\d\d)(?=\s+год)")
_TIME_PREPOSITION_RE = re.compile(r"(?<![\w])(?:в|во|к|на|до|с|по|за)\s+$")
_YEAR_REACH = 80  # characters before a «национальный проект» where its own year is looked for
# a number followed by a unit is a quantity, not a year («в 2000 км от дома», «2024 рубля», «2050 человек»)
_QUANTITY_AFTER_RE = re.compile(
    r"[\s\u00a0]*(км|километр|м(?![\w])|метр|руб|₽|тыс|млн|млрд|человек|чел(?![\w])|мест[ао]?(?![\w])|экземпляр|штук|"
    r"шт(?![\w])|тонн|га(?![\w])|гектар|кв(?![\w])|квадрат|единиц)"
)


@dataclass(slots=True)
class Document:
    original: str  # title + "\n\n" + text (or just text)
    norm: Normalized
    tokens: Tokens
    hits: list[Hit]
    published: date | None = None
    today: date | None = None
    _sentence_breaks: list[int] | None = None
    _years: frozenset[int] | None = None
    _grant: bool | None = None
    literals: Literals | None = None
    _present: set[str] | None = None
    variant_starts: list[int] | None = None  # where words begin with a variant's anchor (Variants.words_at)

    @property
    def _breaks(self) -> list[int]:
        """Positions where sentences end, found on first use (many posts never need them)."""
        if self._sentence_breaks is None:
            self._sentence_breaks = [m.start() for m in _SENTENCE_BREAK_RE.finditer(self.norm.text)]
        return self._sentence_breaks

    @property
    def text(self) -> str:
        return self.norm.text

    def sentence_of(self, pos: int) -> int:
        return bisect_right(self._breaks, pos)

    def sentence_span(self, pos: int) -> tuple[int, int]:
        k = bisect_right(self._breaks, pos)
        start = self._breaks[k - 1] + 1 if k > 0 else 0
        end = self._breaks[k] if k < len(self._breaks) else len(self.norm.text)
        return start, end

    def sentences(self) -> list[tuple[int, int]]:
        bounds = [-1, *self._breaks, len(self.norm.text)]
        return [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i + 1] > bounds[i] + 1]

    def first_token_from(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left(self.tokens.starts, pos)

    def last_token_until(self, pos: int) -> int:
        """Index of the last token ending at or before pos (-1 if none)."""
        return bisect_right(self.tokens.ends, pos) - 1

    def is_upper_at(self, npos: int) -> bool:
        o, _ = self.norm.to_original(npos, npos + 1)
        return o < len(self.original) and self.original[o].isupper()

    def years(self) -> frozenset[int]:
        if self._years is None:
            self._years = frozenset(int(y) for y in _years_in(self.norm.text))
        return self._years

    def may_match(self, pattern: object) -> bool:
        """False when the pattern cannot match anywhere in the text (its first letters are absent)."""
        # asked a dozen times per relevant post: the gate's look-up is inlined (Literals.may_match)
        if self.literals is None:
            return True
        need = self.literals.needs.get(id(pattern))
        if need is None:
            return True
        present = self._present if self._present is not None else self._literals_present()
        return not present.isdisjoint(need)

    def search(self, pattern: re.Pattern[str] | object) -> re.Match[str] | None:
        """pattern.search over the normalised text (a FirstOf tries only the branches that may match)."""
        if self.literals is None:
            return pattern.search(self.norm.text)  # type: ignore[attr-defined,no-any-return]
        return self.literals.search(pattern, self.norm.text, self._literals_present())

    def contains_any(self, words: tuple[str, ...]) -> bool:
        """Does the normalised text contain one of these substrings?"""
        if self.literals is None:
            return any(w in self.norm.text for w in words)
        return self.literals.contains_any(words, self._literals_present(), self.norm.text)

    def use_literals_found(self, present: set[str]) -> None:
        """Take the literals an earlier pass over the same text found (Literals.present_from_scan)."""
        self._present = present

    def _literals_present(self) -> set[str]:
        if self._present is None:
            assert self.literals is not None
            self._present = self.literals.present(self.norm.text)
        return self._present

    def reference_year(self) -> int:
        """The year the post speaks from (see matching.dates)."""
        return reference_year(self.published, self.years(), self.today or date.today())

    def before_national_projects(self, pos: int) -> bool:
        """Is a «национальный проект» at `pos` the 2006–2018 priority project by its date?"""
        if self.published is None and pos == 0:
            return False
        a, b = self.sentence_span(pos)
        years = [int(y) for y in _years_in(self.norm.text, max(a, pos - _YEAR_REACH), pos)]
        if self.published is None and not years:
            # an undated post whose sentence dates its action before the national projects («изменить
            # расходы нацпроекта, чтобы к 2007 году …»; not a noun's year, «выпускники 2004 года»), the post
            # naming no year of theirs: its years decide
            text = self.norm.text
            years = [int(m[0]) for m in _TIME_FRAME_RE.finditer(text, a, b)
                     if _TIME_PREPOSITION_RE.search(text, max(a, m.start() - 4), m.start())]
            if years and max(self.years(), default=0) >= PROGRAMMES_FROM_YEAR:
                return False
        return before_national_projects(self.published, years)

    def recent_year_near(self, pos: int) -> bool:
        """The sentence at `pos` names a year of the national projects (2019 or later)."""
        a, b = self.sentence_span(pos)
        return any(int(y) >= PROGRAMMES_FROM_YEAR for y in _years_in(self.norm.text, a, b))

    def has_historical_grant(self, pattern: re.Pattern[str]) -> bool:
        """The post speaks of the priority project's grants (searched once per post)."""
        if self._grant is None:
            self._grant = pattern.search(self.norm.text) is not None
        return self._grant

    def is_open_quote(self, i: int) -> bool:
        t = self.norm.text
        return t[i] == '"' and i + 1 < len(t) and t[i + 1].isalnum() and (i == 0 or not t[i - 1].isalnum())

    def exactly_quoted(self, start: int, end: int) -> bool:
        """The span stands alone inside a pair of quotes."""
        t = self.norm.text
        i = start - 1
        while i >= 0 and t[i] == " ":
            i -= 1
        if i < 0 or t[i] != '"':
            return False
        return self.closes_quote(end)

    def closes_quote(self, end: int) -> bool:
        t = self.norm.text
        k = end
        while k < len(t) and t[k] in " )\n":  # a closing quote may stand on the next line
            k += 1
        return k < len(t) and t[k] == '"'


def _years_in(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """Four-digit numbers from 2000 standing alone in text[start:end], as _YEAR_RE.findall finds them, but for
    quantities (a number followed by a unit: «в 2000 км»)."""
    end = len(text) if end is None else end
    if "20" not in text:
        return []
    out = []
    for m in _YEAR_CANDIDATE_RE.finditer(text, start, end):
        s, e = m.span()
        # the look-behind of _YEAR_RE sees before `start`; its look-ahead stops at `end`
        if (s > 0 and text[s - 1].isdecimal()) or (e < end and text[e].isdecimal()):
            continue
        if _QUANTITY_AFTER_RE.match(text, e):
            continue
        out.append(m.group())
    return out
