"""Broad kinds of real-world wording kept in natmon-matcher/1.8 only when they generalise: each was checked
leave-one-set-out on the five real sets (issue #14, round 5). The sentences are our own, with the
look-alikes that keep each rule honest."""

from __future__ import annotations

import pytest

from matching import Matcher
from matching.normalize import normalize
from tests.matching.conftest import explicit_formats

# ---- Latin look-alike letters typed into Cyrillic words ----


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("нацпрoект", "нацпроект"),  # a Latin «o»
        ("ТOЧКА РOСТА", "точка роста"),  # Latin capitals «O»
        ("Cемья", "семья"),  # a Latin «C» at the start
        # a Latin word stays Latin, beside a Cyrillic one too
        ("robot класс", "robot класс"),
        ("IT-куб", "it-куб"),
    ],
)
def test_latin_lookalikes_inside_a_cyrillic_word_are_read_as_cyrillic(text: str, folded: str) -> None:
    assert normalize(text).text == folded


def test_a_project_named_with_latin_lookalike_letters_is_found(dated: Matcher) -> None:
    # the only mention is spelled with Latin «o» and «e»: the prefilter lets it through and the name is found
    m = dated.match("", "Сельская школа получила новые парты по нацпрoекту «Oбразoвание».")
    assert (m.label, m.projects) == ("explicit", ("Образование",))
    m = dated.match("", "В сельской школе прошёл урок английского: слова project и school на доске.")
    assert m.label == "none"


# ---- object built: plural forms that drop a vowel, more completion verbs, roads to the standard ----


@pytest.mark.parametrize(
    ("text", "built"),
    [
        # the genitive plural drops the vowel: «площадок», «Точек роста»
        ("За три года в районе создали шесть спортивных площадок.", True),
        ("В этом году в округе открыли двенадцать «Точек роста».", True),
        # a model library that began to work or appeared
        ("В селе начала работать модельная библиотека.", True),
        ("В парке появились две детские площадки.", True),
        # a past gerund: «открыв … объектов»
        ("Край стал лидером, открыв сорок новых спортивных объектов.", True),
        # roads brought up to the standard, in either order
        ("К нормативу привели шесть километров дороги к школе.", True),
        ("Участок улицы у гимназии приведён в нормативное состояние.", True),
        # new activities are no building, nor a centre that did not appear
        ("За год в лицее появились школьный театр и клуб настольных игр.", False),
        ("Если бы в школе не появилась «Точка роста», я бы не занялся роботами.", False),
        # plans stay plans
        ("Дорогу к школе приведут к нормативу в следующем году.", False),
        ("Модельная библиотека появится в селе к концу года.", False),
        ("В селе создадут спортивную площадку.", False),
        # an event opened is no building
        ("Открыв выставку рисунков, директор поздравил гостей.", False),
    ],
)
def test_object_built_by_broader_forms_of_completion(dated: Matcher, text: str, built: bool) -> None:
    assert ("object_built" in explicit_formats(dated, text)) is built


# ---- implicit: repair or building with federal money, said another way ----


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a federal list of schools is federal money
        ("По федеральному списку в этом году капитально отремонтируют две школы района.", "implicit"),
        ("По областному списку в этом году отремонтируют две школы района.", "none"),
        # federal money named anywhere in the next sentence of the same paragraph
        ("Капремонт школы в селе обошёлся в 90 млн рублей. Из них 60 млн — федеральные средства.", "implicit"),
        # in another paragraph it pays for something else
        ("Капремонт школы в селе обошёлся в 90 млн рублей.\nИз них на автобусы пошли федеральные средства.", "none"),
    ],
)
def test_a_school_repaired_by_a_federal_list_or_with_federal_money_in_the_next_sentence(
    dated: Matcher, text: str, label: str
) -> None:
    assert dated.match("", text).label == label


# ---- explicit: a slogan inside the project's quotes ----


@pytest.mark.parametrize(
    ("text", "label", "projects"),
    [
        ("Кабинет оснащён в рамках национального проекта «Образование: шаг в будущее».", "explicit", ("Образование",)),
        ("Парк благоустроили по нацпроекту «Жильё и городская среда - двор для всех».", "explicit",
         ("Жильё и городская среда",)),
        # a name not on the list stays unknown, slogan or not
        ("Ребята выступили в рамках национального проекта «Школьная весна: шаг в будущее».", "none", ()),
    ],
)
def test_a_slogan_inside_the_quotes_after_the_project_s_name(
    dated: Matcher, text: str, label: str, projects: tuple[str, ...]
) -> None:
    m = dated.match("", text)
    assert (m.label, m.projects) == (label, projects)
