"""Fast regexes for patterns that must start at a word boundary.

A leading look-behind such as `(?<![\\w])` stops Python's `re` from scanning for the
pattern's literal prefix and makes a search about ten times slower. WordStart drops the
look-behind and checks the character before each match itself, with the same result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_LEADING = ("(?<![\\w])", "(?<!\\w)")
_LETTERS_RE = re.compile(r"[^\W\d_]+")


class WordStart:
    """Same interface as the parts of re.Pattern the matcher uses."""

    __slots__ = ("pattern", "_inner")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        inner = source
        for lead in _LEADING:
            if inner.startswith(lead):
                inner = inner[len(lead):]
                break
        self._inner = re.compile(inner, flags)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        while True:
            m = self._inner.search(text, pos, end)
            if m is None or m.start() == 0 or not _is_word(text[m.start() - 1]):
                return m
            pos = m.start() + 1

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        while pos <= end:
            m = self.search(text, pos, end)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if pos > 0 and _is_word(text[pos - 1]):
            return None
        return self._inner.match(text, pos)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def compile_pattern(source: str, flags: int = 0) -> re.Pattern[str] | WordStart:
    """Compile a lexicon pattern, using WordStart when it begins with a word-start look-behind."""
    if source.startswith(_LEADING):
        return WordStart(source, flags)
    return re.compile(source, flags)


def literal_start(source: str) -> str:
    """The letters a pattern begins with, short of one made optional by a quantifier."""
    m = _LETTERS_RE.match(source)
    letters = m.group() if m else ""
    if len(letters) < len(source) and source[len(letters)] in "?*{":
        letters = letters[:-1]
    return letters


class FirstOf:
    """A top-level alternation searched branch by branch: `re` finds a branch's own first
    letters fast, where one alternation of them is tried at every position. Same answers as
    the alternation: the leftmost match, the earlier branch on a tie."""

    __slots__ = ("pattern", "_branches")

    def __init__(self, source: str, branches: list[str], flags: int = 0) -> None:
        self.pattern = source
        self._branches = [compile_pattern(b, flags) for b in branches]

    @property
    def branches(self) -> list[re.Pattern[str] | WordStart]:
        return list(self._branches)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        end = len(text) if endpos is None else endpos
        for branch in self._branches:
            m = branch.search(text, pos, end)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


def scan_regex(body: str, start: int) -> Iterator[tuple[int, str, int]]:
    """(index, char, depth) for the characters of a regex source outside classes and escapes, from
    `start`; a group's "(" and ")" are given at the depth inside it."""
    depth, i, in_class = 0, start, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            if c == "(":
                depth += 1
            yield i, c, depth
            if c == ")":
                depth -= 1
        i += 1


def split_alternation(source: str) -> list[str] | None:
    """`(?<![\\w])(A|B|C)` → [`(?<![\\w])A`, …]; None when the pattern is not one group of choices."""
    lead = next((x for x in _LEADING if source.startswith(x)), "")
    body = source[len(lead):]
    if not (body.startswith("(") and body.endswith(")")) or body.startswith("(?"):
        return None
    parts: list[str] = []
    start = 1
    for i, c, depth in scan_regex(body, 0):
        if c == ")" and depth == 1 and i != len(body) - 1:
            return None  # the first group closes before the end: not one group
        if c == "|" and depth == 1:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:-1])
    return [lead + p for p in parts] if len(parts) > 1 else None
