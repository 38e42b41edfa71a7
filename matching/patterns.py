"""Fast regexes for patterns that must start at a word boundary.

A leading look-behind such as `(?<![\\w])` stops Python's `re` from scanning for the
pattern's literal prefix and makes a search about ten times slower. WordStart drops the
look-behind and checks the character before each match itself, with the same result.

`re` also tries every position of the text when a pattern is a choice whose branches begin
with groups or look-behinds («(?<![\\w])(государственн\\w*|…)\\s+…$|(?<![\\w])госпрограмм…»):
a search of sixty characters then costs 10–20 µs. When every match of such a pattern begins
with one of a few literal strings, WordStart first finds where one of them begins (one
alternation of plain strings shaped as a trie, which `re` scans in C) and tries the pattern
only there (`match_prefixes` reads those strings from the parsed pattern; `_gate_pays` says
when this is faster than `re`'s own scan).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
try:  # the parsed form of a regex, to read the letters its matches begin with (private to `re`)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # a Python that moved them: no gates, so slower searches with the same results
    _sre_parse = None

_LEADING = ("(?<![\\w])", "(?<!\\w)")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
# a choice of branches that begin with letters is searched from its beginnings only when there are
# this many of them, each this long (fewer or shorter: re's own scan by first letter is as fast)
_GATE_MIN_CHOICES = 6
_GATE_MIN_LETTERS = 3


class WordStart:
    """Same interface as the parts of re.Pattern the matcher uses."""

    __slots__ = ("pattern", "_inner", "_starts")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        inner = source
        for lead in _LEADING:
            if inner.startswith(lead):
                inner = inner[len(lead):]
                break
        self._inner = re.compile(inner, flags)
        # where a match may begin, for a pattern `re` cannot scan for by its own first letters
        self._starts: re.Pattern[str] | None = None
        prefixes = match_prefixes(inner, flags)
        if prefixes is not None and _gate_pays(inner, flags, prefixes):
            self._starts = re.compile(trie_regex(list(prefixes)))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        starts = self._starts
        if starts is not None:  # try the pattern only where one of its prefixes begins, leftmost first
            while True:
                at = starts.search(text, pos, end)
                if at is None:
                    return None
                s = at.start()
                if s == 0 or not _is_word(text[s - 1]):
                    m = self._inner.match(text, s, end)
                    if m is not None:
                        return m
                pos = s + 1
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


def match_prefixes(source: str, flags: int = 0) -> tuple[str, ...] | None:
    """Literal strings one of which every match of the pattern begins with; None when unsure
    (a match may begin with a class, a repeat, an empty string, or case is ignored)."""
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(source, flags)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    heads = _prefixes(list(parsed))
    if not heads or "" in heads:
        return None
    return tuple(sorted(set(heads)))


def _prefixes(items: list[tuple[object, object]]) -> list[str]:
    """The literal beginnings of a parsed sequence's matches (each may stop short of the literal run)."""
    heads = [""]
    for op, av in items:
        if op is _sre.LITERAL:
            heads = [h + chr(av) for h in heads]  # type: ignore[arg-type]
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero width: a match begins with what follows
        elif op is _sre.SUBPATTERN or op is _sre.BRANCH:
            if op is _sre.SUBPATTERN:
                _, add_flags, _, sub = av  # type: ignore[misc]
                if add_flags & re.IGNORECASE:
                    return heads
                choices = [sub]
            else:
                choices = av[1]  # type: ignore[index]
            tails: list[str] = []
            for choice in choices:
                got = _prefixes(list(choice))
                if "" in got:
                    return heads  # a choice that begins with no literal: the heads so far are all that is sure
                tails += got
            return [h + t for h in heads for t in tails]
        else:
            return heads
    return heads


def trie_regex(words: list[str]) -> str:
    """Alternation shaped as a trie, so `re` tries one branch per first letter; where a word ends,
    the longer words through it are left out (it finds where some word begins, and the shortest one)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict) -> str:  # type: ignore[type-arg]
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if "" in node:  # a word ends here: take the shortest anchor
        return ""
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _gate_pays(source: str, flags: int, prefixes: tuple[str, ...]) -> bool:
    """Is finding the beginnings first faster than `re`'s own scan? Not for a pattern that begins
    with a plain letter (`re` looks for it in C). For a choice of branches that each begin with a
    letter, `re` skips to those first letters but then tries every branch in turn: the trie of
    beginnings pays only for many long ones (measured on the lexicon: «получил…|получают|…», 39
    beginnings, 2.3x faster; «(на|в)\\s+…видео» 2.7x slower). Any other beginning (a group, a
    look-behind inside a choice) makes `re` try every position: the gate always pays."""
    try:
        items = list(_sre_parse.parse(source, flags))
    except re.error:
        return False
    while items and items[0][0] is _sre.SUBPATTERN:
        items = list(items[0][1][3])  # type: ignore[index]
    if not items:
        return False
    op, av = items[0]
    if op is _sre.LITERAL or op is _sre.IN:
        return False
    if op is _sre.BRANCH and all(choice and list(choice)[0][0] is _sre.LITERAL for choice in av[1]):  # type: ignore[index]
        return len(prefixes) >= _GATE_MIN_CHOICES and min(map(len, prefixes)) >= _GATE_MIN_LETTERS
    return True


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
