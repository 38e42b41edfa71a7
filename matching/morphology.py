"""Russian morphology through pymorphy3, cached: a word's possible lemmas."""

from __future__ import annotations

from functools import lru_cache

import pymorphy3

_ANALYZER: pymorphy3.MorphAnalyzer | None = None


def _analyzer() -> pymorphy3.MorphAnalyzer:
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = pymorphy3.MorphAnalyzer()
    return _ANALYZER


@lru_cache(maxsize=50_000)  # about 630 bytes a word: at most 32 MB, however many posts a night brings
def lemmas(word: str) -> frozenset[str]:
    """All normal forms pymorphy3 offers for a lower-case word, plus the word itself (ё → е)."""
    word = word.replace("ё", "е")
    if not word.isalpha():
        return frozenset((word,))
    forms = {p.normal_form.replace("ё", "е") for p in _analyzer().parse(word)}
    forms.add(word)
    return frozenset(forms)


@lru_cache(maxsize=4096)
def forms(lemma: str) -> frozenset[str]:
    """Every form of every lexeme whose normal form is `lemma` (ё → е)."""
    out = {lemma}
    for parse in _analyzer().parse(lemma):
        if parse.normal_form.replace("ё", "е") == lemma:
            out.update(f.word.replace("ё", "е") for f in parse.lexeme)
    return frozenset(out)


@lru_cache(maxsize=4096)
def best_tag(word: str) -> str:
    """pymorphy3's grammatical tag of the likeliest parse of a lower-case word («…,Name …», «…,Surn …»)."""
    return str(_analyzer().parse(word.replace("ё", "е"))[0].tag)


@lru_cache(maxsize=4096)
def may_be_first_name(word: str) -> bool:
    """Some parse of a lower-case word is one person's first name in the nominative («злата», «роман»)."""
    return any({"Name", "sing", "nomn"} in p.tag for p in _analyzer().parse(word.replace("ё", "е")))


@lru_cache(maxsize=4096)
def may_be_surname(word: str) -> bool:
    """Some parse of a lower-case word is a surname («тугушева» is read first as a rare first name)."""
    return any("Surn" in p.tag for p in _analyzer().parse(word.replace("ё", "е")))
