"""The matcher's fast paths stay driven by the lexicon data and give what the plain ways give.

Each speed step replaced a plain computation with a faster one (a literal gate, one pass of an
automaton, a regex `re` can skip through in C). These tests add entries to a lexicon built in the
test and see them matched through those paths, and compare each fast helper with the plain way.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Matcher
from matching.document import _SENTENCE_BREAK_RE
from matching.lexicon import DEFAULT_LEXICON_DIR, load_lexicon
from matching.normalize import _FOLD_MAP, fold, lower
from matching.normalize import Normalized
from matching.patterns import WordStart, match_prefixes
from matching import phrases
from matching.phrases import TOKEN_RE, tokenize

_TODAY = date(2026, 12, 3)


def _lexicon_with(tmp_path: Path, file: str, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the built-in lexicon with one file changed by `edit(data)`."""
    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, folder)
    path = folder / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_a_brand_added_to_the_lexicon_is_found_by_name_and_by_spelling_variant(tmp_path: Path) -> None:
    def add_brand(data: dict) -> None:  # type: ignore[type-arg]
        data["federal_projects"].append({
            "name": "Звёздная мастерская",
            "kind": "programme",
            "belongs_to": {"2025+": "Молодёжь и дети"},
            "mode": "brand",
            "aliases": ["Звёздная мастерская"],
            "patterns": [r"звездомастер\w*"],
        })

    folder = _lexicon_with(tmp_path, "federal_projects.yaml", add_brand)
    matcher = Matcher(folder, today=_TODAY)
    plain = Matcher(today=_TODAY)
    by_name = "Вчера в «Звёздной мастерской» ребята собрали модель ракеты."
    by_variant = "Юные звездомастеровцы показали родителям свои модели ракет."
    for text in (by_name, by_variant):
        got = matcher.match("", text)
        assert got.label == "implicit", text
        assert got.federal_projects == ("Звёздная мастерская",)
        assert plain.match("", text).label == "none"  # only the added entry makes it relevant
    evidence = matcher.match("", by_variant).evidence
    assert [(e.phrase, e.target) for e in evidence] == [("звездомастеровцы", "Звёздная мастерская")]
    assert matcher.match("", "Мастерская по ремонту звёздочек для велосипедов открылась в посёлке.").label == "none"
    posts = [("", by_name, None), ("Кружок", by_variant, "2025-10-01"), ("", "Ребята собрали модель ракеты.", None)]
    assert matcher.match_many(posts) == [matcher.match(t, x, published=d) for t, x, d in posts]  # a batch as alone


def test_a_format_cue_added_to_the_lexicon_is_found_behind_the_literal_gate(tmp_path: Path) -> None:
    def add_cue(data: dict) -> None:  # type: ignore[type-arg]
        data["formats"]["video"]["triggers"].append("киноотчет")
        data["formats"]["video"]["any"].append(r"(?<![\w])киноотчет\w*")

    folder = _lexicon_with(tmp_path, "cues.yaml", add_cue)
    text = "Центр «Точка роста» подготовил киноотчёт о неделе робототехники."
    assert "video" in Matcher(folder, today=_TODAY).match("", text).formats
    assert "video" not in Matcher(today=_TODAY).match("", text).formats


def _plain_fold(text: str) -> str:
    return "".join(_FOLD_MAP.get(c, c) for c in lower(text))


_SPECIALS = "".join(_FOLD_MAP)
_TEXT = st.text(alphabet=st.sampled_from(list(_SPECIALS + "абвгдеёжзИЙКЛ xyzİ_0123.!?…\n\"-#")), max_size=60)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_fold_replaces_each_special_character_as_the_fold_map_says(text: str) -> None:
    assert fold(text) == _plain_fold(text)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_words_and_their_spans_are_the_word_pattern_s_matches(text: str) -> None:
    tokens = tokenize(Normalized(text=text))
    found = [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    assert list(zip(tokens.words, tokens.starts, tokens.ends, strict=True)) == found


# The sentence-break rule as first written: a choice between a run of marks and a line break.
_PLAIN_BREAK_RE = re.compile(
    r"[.!?…](?<!\bтыс\.)(?<!\bмлн\.)(?<!\bмлрд\.)(?<!\bруб\.)(?<!\bчел\.)(?<!\bим\.)(?<!\bул\.)(?<!\bпос\.)(?<!\bобл\.)"
    r"(?:(?<!\bг\.)|(?<=\d\d\d\d\sг\.)|(?<=\d\d\d\dг\.))[.!?…]*(?=[\s\"]|$)|\n")


@given(st.text(alphabet=st.sampled_from(list("тысмлнрдубчеагипо2 .!?…\n\"x")), max_size=60))
@settings(max_examples=500, deadline=None)
def test_sentences_end_where_the_plain_rule_ends_them(text: str) -> None:
    assert [m.span() for m in _SENTENCE_BREAK_RE.finditer(text)] == [m.span() for m in _PLAIN_BREAK_RE.finditer(text)]


def test_a_period_after_an_abbreviated_number_ends_no_sentence() -> None:
    text = "собрали 11 тыс. рублей. потом\nещё!!! \"цитата.\""
    assert [m.start() for m in _SENTENCE_BREAK_RE.finditer(text)] == [22, 29, 33, 44]


def test_a_period_after_an_abbreviated_place_or_name_ends_no_sentence() -> None:
    # «г.» of a town, «им.», «ул.» go on; «г.» after a year may end a sentence
    text = "школа № 5 г. братска им. гагарина на ул. мира открыта. в 2024 г. начат ремонт."
    assert [m.start() for m in _SENTENCE_BREAK_RE.finditer(text)] == [53, 63, 77]


def test_the_literal_beginnings_of_a_choice_are_read_from_the_pattern() -> None:
    assert match_prefixes(r"(государственн\w*|гп)\s+программ|(?<![\w])госпрограмм") == (
        "госпрограмм", "государственн", "гп")
    assert match_prefixes(r"((других|иных)\s+стран|за\s+рубежом)") == ("других", "за", "иных")
    # a choice that may begin with a class, a repeat or nothing gives no sure beginning
    for source in (r"(\w+\s+)?программ", r"(проект|[гм]п)", r"\s*видео", r"(?i)проект", r"(|нац)проект"):
        assert match_prefixes(source) is None, source


def _lexicon_word_start_patterns() -> list[WordStart]:
    found: dict[int, WordStart] = {}

    def walk(node: object, depth: int = 0) -> None:
        if isinstance(node, WordStart):
            found[id(node)] = node
        elif depth < 5 and isinstance(node, (tuple, list)):
            for item in node:
                walk(item, depth + 1)
        elif depth < 5 and hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:  # type: ignore[attr-defined]
                walk(getattr(node, name), depth + 1)

    walk(_LEXICON)
    return list(found.values())


_LEXICON = load_lexicon()
_GATED = [p for p in _lexicon_word_start_patterns() if p._starts is not None]
_FILLER = [" ", "  ", ", ", "\n", " и ", "1", "200", "тыс", "млн", "школы", "программы", "проекта"]


def test_the_lexicon_has_patterns_searched_from_their_literal_beginnings() -> None:
    sources = [p.pattern for p in _GATED]
    assert any("государственн" in s for s in sources) and any("казахстан" in s for s in sources)


@given(st.data(), st.integers(0, 5))
@settings(max_examples=400, deadline=None)
def test_a_search_from_literal_beginnings_finds_what_the_plain_pattern_finds(data: st.DataObject, pos: int) -> None:
    pattern = data.draw(st.sampled_from(_GATED))
    # words from the pattern's own letters (read from its source, not from the gate), with fillers
    pieces = re.findall(r'[^\W\d_]+|"', pattern.pattern) + _FILLER
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=30)))
    plain = re.compile(pattern.pattern)
    for got, want in ((pattern.search(text, pos), plain.search(text, pos)),
                      (pattern.search(text[-60:]), plain.search(text[-60:]))):
        assert (got.span() if got else None) == (want.span() if want else None)


def test_names_are_still_found_after_the_remembered_words_are_let_go(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    post = "Центр «Точка роста» открыт в школе по национальному проекту «Образование»."
    want = Matcher(today=_TODAY).match("", post)
    monkeypatch.setattr(phrases, "_STARTING_CACHE", 12)
    matcher = Matcher(today=_TODAY)
    assert matcher.match("", post) == want
    matcher.match("", "Сегодня ребята рисовали осенние листья, читали стихи и пели песни о школе.")
    assert len(matcher._index._starting) <= 12 + 14  # let go and filled again with the last post's words
    got = matcher.match("", post)
    assert got == want and got.label == "explicit" and got.federal_projects == ("Точка роста",)


def test_without_re_s_private_parser_patterns_are_plain_searches_with_the_same_matches(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a later Python may move re._parser: the gates are then off and every search is re's own
    from matching import patterns

    monkeypatch.setattr(patterns, "_sre_parse", None)
    text = "Школа построена по государственной программе, как и в других странах, за рубежом."
    for gated in _GATED:
        plain = WordStart(gated.pattern)
        assert plain._starts is None
        got, want = plain.search(text), gated.search(text)
        assert (got.span() if got else None) == (want.span() if want else None)
