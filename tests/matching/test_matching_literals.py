"""The literal gate skips only searches that would find nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Matcher
from matching.document import _YEAR_RE, _years_in
from matching.lexicon import load_lexicon
from matching.literals import Literals, pattern_literals, required_literals
from matching.matcher import _text_patterns
from matching.patterns import compile_pattern


def test_first_letters_of_a_plain_pattern_are_required() -> None:
    assert required_literals(r"(?<![\w])ремонт\w*\s+завершен") == ("ремонт",)


def test_each_choice_of_a_leading_group_gives_its_letters() -> None:
    assert required_literals(r"(?<![\w])(построен[аоы]?|возведен\w*)\s+школ") == ("построен", "возведен")


def test_an_optional_last_letter_is_not_required() -> None:
    assert required_literals(r"(?<![\w])видеоо?\s") == ("видео",)


def test_patterns_that_may_begin_anyhow_are_never_gated() -> None:
    assert required_literals(r"(?<![\w])(на|в)\s+видео") is None  # too short to be worth a gate
    assert required_literals(r"(?<![\w])(построен|возведен)?\s*школ") is None  # the group is optional
    assert required_literals(r"ремонт\w*|стройк\w*") is None  # a top-level choice
    assert required_literals(r"(?m)^\s*видео\s*$") is None
    assert required_literals(r"[Нн]ацпроект") is None


def test_gate_skips_a_pattern_whose_letters_are_absent_and_keeps_the_rest() -> None:
    absent, present_one = compile_pattern(r"(?<![\w])капремонт\w*"), compile_pattern(r"(?<![\w])(школ|сад)\w*")
    unknown = re.compile(r"[аб]+")
    gate = Literals([absent, present_one, unknown])
    found = gate.present("в детском саду прошёл утренник")
    assert not gate.may_match(absent, found)
    assert gate.may_match(present_one, found)
    assert gate.may_match(unknown, found)  # unknown first letters: always searched


def test_a_group_of_substrings_is_answered_from_one_scan() -> None:
    triggers = ("видео", "сюжет")
    gate = Literals([], [triggers])
    assert gate.contains_any(triggers, gate.present("смотрите сюжет"), "смотрите сюжет")
    assert not gate.contains_any(triggers, gate.present("смотрите фото"), "смотрите фото")
    other = ("фото",)  # not registered: answered by looking at the text
    assert gate.contains_any(other, gate.present("смотрите фото"), "смотрите фото")


_LEXICON = load_lexicon()
_PATTERNS = _text_patterns(_LEXICON)
# texts glued from the gate's own literals, their pieces and common words, so that patterns do match
_PIECES = sorted({lit[:k] for p in _PATTERNS for lit in (pattern_literals(p) or ())
                  for k in (len(lit) - 1, len(lit))}
                 | {" ", "  ", "\n", ".", ",", "-", '"', "ы", "ой", "а", "и", "на", "в", "2020", "100", "школ", "сад",
                    "детей", "мест", "было", "стало", "до", "после", "регион", "нет", "видео", "ниже"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_no_lexicon_pattern_that_the_gate_skips_could_have_matched(text: str) -> None:
    patterns = _PATTERNS
    gate = Literals(patterns)
    found = gate.present(text)
    for pattern in patterns:
        if not gate.may_match(pattern, found):
            assert pattern.search(text) is None, pattern.pattern


def test_gate_keeps_every_lexicon_pattern_on_its_own_first_letters() -> None:
    """Each gated pattern is kept on a text holding exactly one of its literals."""
    patterns = _PATTERNS
    gate = Literals(patterns)
    gated = [p for p in patterns if pattern_literals(p) is not None]
    assert len(gated) >= 10  # the gate is used at all
    for p in gated:
        for lit in pattern_literals(p) or ():
            assert gate.may_match(p, gate.present(f"x {lit} y"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="20 19x٣\n", max_size=20), st.data())
def test_years_are_found_as_the_year_pattern_finds_them(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _years_in(text, start, end) == _YEAR_RE.findall(text, start, end)


def test_gate_changes_no_decision_on_a_post_with_formats_and_a_campaign() -> None:
    text = ("В рамках национального проекта «Образование» в школе завершён капитальный ремонт. "
            "Было — стало: смотрите видео о новых классах.")
    gated = Matcher().match("", text)
    plain = Matcher()
    plain._literals = Literals([])  # a gate that knows no pattern searches them all
    assert gated == plain.match("", text)
    assert gated.formats  # the gated patterns still find what is there


def test_variant_words_are_found_where_a_word_begins_with_a_brand_s_letters() -> None:
    from matching.normalize import normalize
    from matching.phrases import tokenize
    from matching.programmes import Variants

    variants = Variants(_LEXICON)
    text = "Кванториумцы и «аэроквантум»; орлятский круг, а неорлята и суперкванториум — нет"
    tokens = tokenize(normalize(text))
    expected = [i for i, w in enumerate(tokens.words) if variants.at(w)]
    got = list(variants.words_at(tokens, normalize(text).text))
    assert got == expected
    assert [tokens.words[i] for i in got] == ["кванториумцы", "аэроквантум", "орлятский"]


def test_a_search_branch_by_branch_needs_one_of_its_branches_letters() -> None:
    from matching.patterns import FirstOf

    both = FirstOf(r"(?<![\w])(ясельн\w*|построен\w*)", [r"(?<![\w])ясельн\w*", r"(?<![\w])построен\w*"])
    assert pattern_literals(both) == ("ясельн", "построен")
    loose = FirstOf(r"(?<![\w])(ясельн\w*|до\s+3)", [r"(?<![\w])ясельн\w*", r"(?<![\w])до\s+3"])
    assert pattern_literals(loose) is None  # one branch may begin anyhow: never gated
    gate = Literals([both])
    assert not gate.may_match(both, gate.present("в саду новые группы"))
    assert gate.may_match(both, gate.present("корпус построен"))


def test_prefilter_still_passes_a_topic_post_and_drops_a_look_alike() -> None:
    from matching.prefilter import Prefilter

    prefilter = Prefilter(_LEXICON)
    assert prefilter("В посёлке построили новый детский сад на 120 мест, ясельные группы уже набраны.")
    assert not prefilter("В детском саду прошёл утренник, дети пели песни.")


_TOPIC_PATTERNS = [p for topic in _LEXICON.topics for p in topic.all_of]
_TOPIC_PIECES = sorted({lit for p in _TOPIC_PATTERNS for b in getattr(p, "branches", [p])
                        for lit in (required_literals(b.pattern) or ())}
                       | {" ", "\n", ".", "до", "3", "трех", "лет", "на", "100", "мест", "детей", "ы", "ой", "ая"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOPIC_PIECES), max_size=20).map(" ".join))
def test_a_topic_search_that_skips_absent_branches_finds_what_the_full_search_finds(text: str) -> None:
    gate = Literals(_TOPIC_PATTERNS)
    present = gate.present(text)
    for p in _TOPIC_PATTERNS:
        full, gated = p.search(text), gate.search(p, text, present)
        assert (full and full.span()) == (gated and gated.span()), p.pattern


_MATCHER = Matcher()
_GATE_WORDS = sorted(_MATCHER._literals.words)
# the gate's words in every case, glued to letters or standing alone, between the characters folding changes
_FOLDED_PIECES = _GATE_WORDS + [w.upper() for w in _GATE_WORDS[::7]] + [
    "ё", "Ё", "«", "»", "—", "–", "\u00a0", "\u2009", "\u200b", "-", '"', " ", "\n", "до\u00a0и\u2009после", "до и после"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FOLDED_PIECES), max_size=25).map("".join))
def test_the_literals_taken_from_the_prefilter_pass_are_those_a_pass_of_their_own_finds(text: str) -> None:
    from matching.normalize import normalize

    norm = normalize(text)
    if not norm.folded_only:
        return  # the matcher scans again when an entity, hashtag or hyphen was edited
    _, scanned, _ = _MATCHER._prefilter.scan(text)
    assert _MATCHER._literals.present_from_scan(scanned, norm.text) == _MATCHER._literals.present(norm.text)


def test_a_post_found_by_the_prefilter_pass_keeps_its_formats() -> None:
    # «до и после» with a thin space: a literal the prefilter's pass cannot see, looked up in the folded text
    post = "По нацпроекту «Образование» отремонтировали спортзал. Фото до и\u2009после ремонта."
    assert "before_after" in _MATCHER.match("", post).formats


_VARIANT_PIECES = [a for a in _MATCHER._variants.anchors] + [a.upper() for a in _MATCHER._variants.anchors[::3]] + [
    "ё", "«", "»", "—", "\u00a0", "\u200b", "-", '"', " ", "\n", "ум", "цы", "ский", "x", "_"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VARIANT_PIECES), max_size=25).map("".join))
def test_the_variant_words_taken_from_the_prefilter_pass_are_those_a_pass_of_their_own_finds(text: str) -> None:
    from matching.normalize import normalize
    from matching.phrases import tokenize

    norm = normalize(text)
    if not norm.folded_only:
        return  # the matcher scans again when an entity, hashtag or hyphen was edited
    assert _MATCHER._prefilter.reports_starts
    _, _, starts = _MATCHER._prefilter.scan(text)
    tokens = tokenize(norm)
    variants = _MATCHER._variants
    assert list(variants.words_at(tokens, norm.text, starts)) == list(variants.words_at(tokens, norm.text))


def test_brand_variants_are_found_where_the_prefilter_pass_saw_them() -> None:
    found = _MATCHER.match("", "Воспитанники кванторианцы-робототехники и орлятский круг в школе.")
    assert found.federal_projects == ("Кванториум",)
    assert [(e.phrase, e.target) for e in found.evidence] == [("кванторианцы", "Кванториум"), ("орлятский", "Орлята России")]
