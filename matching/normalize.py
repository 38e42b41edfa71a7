"""Normalisation with an offset map back to the original text.

Lower case, ё → е, every quote → '"', every dash → '-', odd spaces → ' ', HTML entities
decoded, words hyphenated across a line break joined, hashtags split into words; then, once for the
whole text, Latin look-alike letters inside a Cyrillic word → Cyrillic («нацпрoект» with a Latin «o»).
Most changes keep one character for one character; the few that do not are recorded as
segments so that any position in the normalised text maps back into the original.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from matching.hashtags import split_hashtag

QUOTES = "«»“”„‟\"'‘’‚‹›〝〞＂"
DASHES = "‐‑‒–—―−⁃﹘﹣－"
_ODD_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\u200b\u200c\u200d\u2060\ufeff\ufe0f"

_FOLD_MAP = {**{q: '"' for q in QUOTES}, **{d: "-" for d in DASHES}, **{s: " " for s in _ODD_SPACES}, "ё": "е"}
# Finding the few special characters with re is much faster than str.translate on Cyrillic text.
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD_MAP)) + "]")

# Latin letters that look like Cyrillic ones, in the lower case: a word mixing both scripts
# («нацпрoект» typed with a Latin «o») is read as Cyrillic
_LOOKALIKE_LETTERS = "abcehkmoptxy"
_LOOKALIKES = str.maketrans(_LOOKALIKE_LETTERS, "авсенкмортху")
# a look-alike letter beside a Cyrillic one; beginning with the letter lets re skip ahead to Latin letters
_MIXED_RE = re.compile(rf"[{_LOOKALIKE_LETTERS}](?:(?<=[а-яё][{_LOOKALIKE_LETTERS}])|(?=[а-яё]))")
_MIXED_WORD_RE = re.compile(rf"[^\W\d_]*(?:[а-яё][{_LOOKALIKE_LETTERS}]|[{_LOOKALIKE_LETTERS}][а-яё])[^\W\d_]*")

_EDIT_RE = re.compile(
    r"(?P<ent>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,8});)"
    r"|(?P<hyph>[-\u2010\u2011\u00ad](?<=[^\W\d_].)[ \t]*\r?\n[ \t]*(?=[а-яёa-z]))"
    r"|(?P<shy>\u00ad)"
    r"|(?P<tag>#(?<![\w&]#)(?P<body>[^\W_]\w*))"
)


_BREAK_HYPHEN_RE = re.compile(r"[-\u2010\u2011][ \t]*\r?\n")


def _may_edit(original: str) -> bool:
    """Cheap test: could _EDIT_RE change anything (an entity, a hashtag, a soft or line-break hyphen)?"""
    return ("&" in original or "#" in original or "\u00ad" in original
            or ("\n" in original and _BREAK_HYPHEN_RE.search(original) is not None))


def lower(text: str) -> str:
    """Lower case of the same length: a rare letter whose lower case is longer (İ) keeps its first letter."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower()[:1] for c in text)
    return low


def fold(segment: str) -> str:
    """Lower case and character folding that keeps the length."""
    low = lower(segment)
    # one str.replace per kind of special character present: cheaper than a call back per occurrence
    for special in set(_FOLD_RE.findall(low)):
        low = low.replace(special, _FOLD_MAP[special])
    return low


def cyrillic_lookalikes(low: str) -> str:
    """Lower-case text with every word that mixes Latin look-alike letters into Cyrillic ones read as
    Cyrillic («нацпрoект» with a Latin «o»); the same length. The one place where look-alikes are read."""
    # most posts have none of these Latin letters at all: twelve substring tests are far cheaper than the regex
    if any(c in low for c in _LOOKALIKE_LETTERS) and _MIXED_RE.search(low):
        return _MIXED_WORD_RE.sub(lambda m: m.group().translate(_LOOKALIKES), low)
    return low


@dataclass(slots=True)
class Normalized:
    """Normalised text plus what is needed to map positions back."""

    text: str
    hashtags: list[tuple[int, int, str]] = field(default_factory=list)  # norm start, end, body
    folded_only: bool = False  # the text is fold(original): no entity, hashtag or hyphen was edited
    _nstarts: list[int] = field(default_factory=list)
    _ostarts: list[int] = field(default_factory=list)
    _oends: list[int] = field(default_factory=list)
    _ident: list[bool] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to a span of the original text."""
        i = bisect_right(self._nstarts, start) - 1
        o_start = self._ostarts[i] + (start - self._nstarts[i]) if self._ident[i] else self._ostarts[i]
        last = max(start, end - 1)
        j = bisect_right(self._nstarts, last) - 1
        o_end = self._ostarts[j] + (last - self._nstarts[j]) + 1 if self._ident[j] else self._oends[j]
        return o_start, o_end

    def hashtag_at(self, pos: int) -> int:
        """Index of the hashtag covering a normalised position, or -1."""
        for k, (s, e, _) in enumerate(self.hashtags):
            if s <= pos < e:
                return k
        return -1


def normalize(original: str, vocabulary: frozenset[str] = frozenset()) -> Normalized:
    """Normalise `original`; `vocabulary` drives the dictionary split of hashtags."""
    out = Normalized(text="")
    parts: list[str] = []
    npos = 0

    def emit(chunk: str, o_start: int, o_end: int, identity: bool) -> None:
        nonlocal npos
        if not chunk:
            return
        out._nstarts.append(npos)
        out._ostarts.append(o_start)
        out._oends.append(o_end)
        out._ident.append(identity)
        parts.append(chunk)
        npos += len(chunk)

    if not _may_edit(original):  # most posts: one segment that keeps its length
        if original:
            emit(fold(original), 0, len(original), True)
            out.text = cyrillic_lookalikes(parts[0])
            # the prefilter's pass saw the same letters unless a look-alike was read as Cyrillic
            out.folded_only = out.text is parts[0]
            return out
    last = 0
    for m in _EDIT_RE.finditer(original):
        s, e = m.span()
        if s > last:
            emit(fold(original[last:s]), last, s, True)
        last = e
        if m.group("ent") is not None:
            decoded = html.unescape(m.group())
            if decoded == m.group():
                emit(fold(decoded), s, e, True)
            else:
                emit(fold(decoded), s, e, False)
        elif m.group("tag") is not None:
            _emit_hashtag(out, emit, original, s, m.group("body"), vocabulary, lambda: npos)
        # hyphenated line breaks and soft hyphens are dropped
    if last < len(original):
        emit(fold(original[last:]), last, len(original), True)
    if not parts:
        emit(" ", 0, 0, False)
        parts = [""]
    out.text = cyrillic_lookalikes("".join(parts))
    return out


def _emit_hashtag(out: Normalized, emit, original: str, s: int, body: str, vocabulary: frozenset[str], pos) -> None:  # type: ignore[no-untyped-def]
    """Emit '#' as a space and the hashtag's words separated by spaces."""
    emit(" ", s, s + 1, True)
    b0 = s + 1
    start_norm = pos()
    prev_end = 0
    for a, b in split_hashtag(body, vocabulary):
        if a > prev_end:
            emit(" " * (a - prev_end), b0 + prev_end, b0 + a, True)
        elif a == prev_end and prev_end > 0:
            emit(" ", b0 + a, b0 + a, False)
        emit(fold(body[a:b]), b0 + a, b0 + b, True)
        prev_end = b
    if prev_end < len(body):
        emit(" " * (len(body) - prev_end), b0 + prev_end, b0 + len(body), True)
    out.hashtags.append((start_norm, pos(), fold(body)))
