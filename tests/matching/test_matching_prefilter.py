"""The prefilter keeps its own raw-text copy of the general cues (it runs before normalising):
it must never drop a post that a general cue of the lexicon would find."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings, strategies as st

from matching.lexicon import load_lexicon
from matching.normalize import normalize
from matching.prefilter import Prefilter

LEXICON = load_lexicon()
PREFILTER = Prefilter(LEXICON)
# Cues that count alone (the others need a project name next to them, which the prefilter checks by name).
ALONE = [cue.pattern for cue in LEXICON.general if not cue.requires_name]
# The prefilter looks for a confirming phrase within 120 characters of its anchor; a generated
# run of a hundred spaces inside the general word is no phrase anyone writes.
WORDS = st.one_of(*(st.from_regex(re.compile(getattr(p, "pattern", p)), fullmatch=True) for p in ALONE)).filter(
    lambda w: len(w) <= 60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=WORDS, upper=st.booleans())
@example(word="нацио\u0130\x1cпроект", upper=False)  # found in CI: İ lowers to two characters
def test_whatever_a_general_cue_finds_passes_the_prefilter(word, upper):
    text = f"Школа № 5 и {word.upper() if upper else word} в нашем районе"
    if any(cue.search(normalize(text).text) for cue in ALONE):
        assert PREFILTER(text), text


def test_the_one_letter_typos_of_the_general_word_pass_the_prefilter():
    for typo in ("нацпректа", "нацпрокта", "нацпреокта", "нац.проекты", "нац проект", "#нацпроекты38"):
        assert PREFILTER(f"Школа рассказала про {typo} и итоги года"), typo


VARIANTS = [p for prog in LEXICON.programmes for p in prog.patterns]
# (the same reach as for the general word above)
VARIANT_WORDS = st.one_of(*(st.from_regex(re.compile(p.pattern.removeprefix("(?<![\\w])")), fullmatch=True)
                            for p in VARIANTS)).filter(lambda w: len(w) <= 60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=VARIANT_WORDS)
def test_whatever_a_brand_spelling_pattern_finds_passes_the_prefilter(word):
    text = f"Сегодня {word} открыт для ребят"
    if any(p.search(normalize(text).text) for p in VARIANTS):
        assert PREFILTER(text), text


def test_topics_with_a_no_break_space_pass_the_prefilter():
    from matching import default_matcher

    text = "Детский сад на\u00a0220 мест для детей от\u00a01,5 до\u00a07 лет открылся в посёлке."
    assert default_matcher().match("", text).label == "implicit"
    assert PREFILTER(text)


TOPIC_PATTERNS = [p for topic in LEXICON.topics for p in topic.all_of]
TOPIC_TEXT = st.lists(st.sampled_from(
    ["ясельные", "группы", "открылись", "до", "3", "лет", "детский", "сад", "на", "220", "мест", "построен",
     "школа", "федерального", "бюджета", "ремонт", "новый", "для", "детей", "трех", ".", "\n", "корпус"]),
    max_size=25).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=TOPIC_TEXT)
def test_a_topic_pattern_searched_choice_by_choice_finds_what_the_whole_alternation_finds(text):
    for p in TOPIC_PATTERNS:
        whole = re.compile(p.pattern).search(text)
        got = p.search(text)
        assert (whole.span() if whole else None) == (got.span() if got else None), (p.pattern, text)
