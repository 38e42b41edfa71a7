"""Which literal strings a text contains, found in one Aho-Corasick pass (pyahocorasick).

Most lexicon patterns can only match where certain letters occur: a pattern beginning
«ремонт\\w*…» needs «ремонт», one beginning «(построен|возведен)…» needs one of the two.
`Literals` collects those letters for many patterns, scans a post once, and tells which
patterns cannot match it, so they are not run at all. A pattern whose first letters are
not known for sure (a character class, an optional group, a top-level choice) is never
skipped: the gate only ever removes searches that would find nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

import ahocorasick

from matching.patterns import literal_start, scan_regex

_LEADING = ("(?<![\\w])", "(?<!\\w)")
_MIN_LITERAL = 3  # shorter letters occur in almost every post: not worth a gate


def required_literals(source: str) -> tuple[str, ...] | None:
    """Literals one of which every match of the pattern contains, or None when unsure."""
    body = source
    for lead in _LEADING:
        if body.startswith(lead):
            body = body[len(lead):]
            break
    if body.startswith("(") and not body.startswith("(?"):
        close = _group_end(body)
        if close is None or body[close + 1:close + 2] in ("?", "*", "{", "|") or _top_level_choice(body, close + 1):
            return None
        branches = _split_choices(body[1:close])
    elif _top_level_choice(body, 0):
        return None
    else:
        branches = [body]
    literals = tuple(literal_start(b) for b in branches)
    if not literals or any(len(lit) < _MIN_LITERAL for lit in literals):
        return None
    return tuple(dict.fromkeys(literals))


def pattern_literals(pattern: object) -> tuple[str, ...] | None:
    """`required_literals` of a compiled pattern; a FirstOf needs one of its branches' literals."""
    branches = getattr(pattern, "branches", None)
    if branches is not None:
        out: list[str] = []
        for branch in branches:
            need = required_literals(branch.pattern)
            if need is None:
                return None
            out += need
        return tuple(dict.fromkeys(out)) or None
    return required_literals(getattr(pattern, "pattern", ""))


def _group_end(body: str) -> int | None:
    for i, c, depth in scan_regex(body, 0):
        if c == ")" and depth == 1:
            return i
    return None


def _top_level_choice(body: str, start: int) -> bool:
    return any(c == "|" and depth == 0 for _, c, depth in scan_regex(body, start))


def _split_choices(inner: str) -> list[str]:
    parts, last = [], 0
    for i, c, depth in scan_regex(inner, 0):
        if c == "|" and depth == 0:
            parts.append(inner[last:i])
            last = i + 1
    parts.append(inner[last:])
    return parts


class Literals:
    """The literals of many patterns in one automaton; `present` scans a text once."""

    def __init__(self, patterns: Iterable[object], groups: Iterable[tuple[str, ...]] = ()) -> None:
        """`groups` are tuples of plain substrings (a format's triggers) asked about as a whole."""
        self.needs: dict[int, tuple[str, ...]] = {}  # id(pattern) → literals one of which it needs
        self._keep: list[object] = []  # the patterns and groups stay alive, so their ids stay theirs
        words: set[str] = set()
        self._groups: dict[int, frozenset[str]] = {}
        for group in groups:
            if group and all(group):
                self._groups[id(group)] = frozenset(group)
                self._keep.append(group)
                words.update(group)
        # a search branch by branch (FirstOf) skips the branches whose first letters are absent
        self._branches: dict[int, list[tuple[object, tuple[str, ...] | None]]] = {}
        for pattern in patterns:
            need = pattern_literals(pattern)
            if need is not None:
                self.needs[id(pattern)] = need
                self._keep.append(pattern)
                words.update(need)
            branches = getattr(pattern, "branches", None)
            if branches is not None:
                pairs = [(b, required_literals(b.pattern)) for b in branches]
                self._branches[id(pattern)] = pairs
                self._keep.append(pattern)
                words.update(w for _, bneed in pairs for w in bneed or ())
        self.words = frozenset(words)
        # words of letters and digits are found alike before and after folding (quotes, dashes, spaces)
        self._plain = frozenset(w for w in words if w.isalnum())
        self._folded = tuple(sorted(words - self._plain))
        self._automaton = ahocorasick.Automaton()
        for w in sorted(words):
            self._automaton.add_word(w, w)
        self._empty = not words
        if not self._empty:
            self._automaton.make_automaton()

    def present(self, text: str) -> set[str]:
        """The registered literals that occur in `text`."""
        if self._empty:
            return set()
        return {w for _, w in self._automaton.iter(text)}

    def present_from_scan(self, found: AbstractSet[str], text: str) -> set[str]:
        """`present(text)` from another automaton's pass over the same text before folding.

        `found` must hold every word of `words` occurring in the lower-cased text (ё as е) whose
        folding changed nothing but quotes, dashes and spaces; `text` is the folded text."""
        out = set(self._plain.intersection(found))
        out.update(w for w in self._folded if w in text)
        return out

    def may_match(self, pattern: object, present: AbstractSet[str]) -> bool:
        """False only when the pattern cannot match a text with just these literals."""
        need = self.needs.get(id(pattern))
        return need is None or not present.isdisjoint(need)

    def search(self, pattern: re.Pattern[str] | object, text: str, present: AbstractSet[str]) -> re.Match[str] | None:
        """pattern.search(text), leaving out the branches of a FirstOf that cannot match (same answer)."""
        pairs = self._branches.get(id(pattern))
        if pairs is None:
            return pattern.search(text)  # type: ignore[attr-defined,no-any-return]
        best: re.Match[str] | None = None
        for branch, need in pairs:  # as FirstOf.search: the leftmost match, the earlier branch on a tie
            if need is not None and present.isdisjoint(need):
                continue
            m = branch.search(text)  # type: ignore[attr-defined]
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def contains_any(self, group: tuple[str, ...], present: AbstractSet[str], text: str) -> bool:
        """Does the text contain one of the substrings (registered groups answer from `present`)."""
        known = self._groups.get(id(group))
        if known is None:
            return any(w in text for w in group)
        return not present.isdisjoint(known)
