"""Formats of natmon-matcher/1.12 (issue #14, round 9): plans and works under way get no object_built (O2, G2),
read broadly: future openings and starts, works done by a share, a hope, a completion still due. Sentences in
our own words, with the finished works that must stay object_built."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import explicit_formats


@pytest.mark.parametrize(
    "text",
    [
        # future openings and starts of building
        "С сентября в районе заработают две новые школы.",
        "Весной начнут строить новую школу на окраине посёлка.",
        # works done by a share are under way
        "Ремонт спортзала в гимназии выполнен на 60 %.",
        "Капремонт сельского клуба выполнен на 45 процентов.",
        # a hope credited to a repair
        "Благодаря ремонту есть надежда, что в музей придёт больше гостей.",
        # the shell is up, but completion is still due
        "Строители уже возвели здание медпункта. Завершить все работы они должны к декабрю.",
        # works done in part, and a repair with its last touches left
        "В сельском клубе частично отремонтировали спортзал.",
        "В гимназии отремонтировали спортзал и столовую. Остались последние штрихи: покраска стен.",
    ],
)
def test_plans_and_works_under_way_are_no_object_built(text: str, matcher: Matcher) -> None:
    assert "object_built" not in explicit_formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # the same places finished
        "В районе заработали две новые школы.",
        "Ремонт спортзала в гимназии выполнен полностью.",
        "Благодаря ремонту в музее стало светлее и теплее.",
        "Строители возвели здание медпункта, и он уже принял первых пациентов.",
        "В сельском клубе полностью отремонтировали спортзал.",
    ],
)
def test_finished_works_stay_object_built(text: str, matcher: Matcher) -> None:
    assert "object_built" in explicit_formats(matcher, text)


# ---- people helped: counts told as job finders, graduates of courses, people who began retraining, card users ----


@pytest.mark.parametrize(
    "text",
    [
        "С начала года 900 жителей района нашли работу через центр занятости.",
        "Около 3 тысяч горожан смогли найти работу с помощью службы занятости.",
        "Выпускниками бесплатных курсов с весны стали 420 жителей округа.",
        "Переобучение по программе в этом году начали 130 мам в декрете.",
        "Более 12 тысячи подростков области пользуется картой для походов в театр.",
    ],
)
def test_counts_told_with_other_verbs_are_people_helped(text: str, matcher: Matcher) -> None:
    assert "people_helped" in explicit_formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # plans and a place that found nothing for people
        "В следующем году 500 жителей смогут пройти переобучение.",
        "Школа стала площадкой для 40 мастер-классов.",
        # a graduate who became a teacher is one person's story, not a count
        "Выпускница гимназии стала учителем в родной школе.",
    ],
)
def test_plans_and_non_counts_are_no_people_helped(text: str, matcher: Matcher) -> None:
    assert "people_helped" not in explicit_formats(matcher, text)


# ---- a pupil's Grand Prix; a neglected place before and its improvement after ----


def test_a_named_pupil_who_won_a_grand_prix_is_a_success_story(matcher: Matcher) -> None:
    text = "Ученица гимназии № 3 Мария Соколова завоевала Гран-при всероссийского конкурса чтецов."
    assert "success_story" in explicit_formats(matcher, text)


def test_a_grand_prix_of_a_school_with_no_named_pupil_is_no_success_story(matcher: Matcher) -> None:
    text = "Школьный хор гимназии завоевал Гран-при областного фестиваля."
    assert "success_story" not in explicit_formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "Рабочие благоустроили пустовавший участок за домом культуры: там теперь детская площадка.",
        "Много лет у реки была заболоченная и неухоженная роща.\n\nПосле работ сквер преобразился и стал любимым местом горожан.",
    ],
)
def test_a_neglected_place_improved_is_before_and_after(text: str, matcher: Matcher) -> None:
    assert "before_after" in explicit_formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # the improvement is still a plan
        "Парк у вокзала сейчас выглядит заброшенным. В следующем году он преобразится.",
        # a neglected place with nothing done to it
        "Жители пожаловались на заброшенный стадион у школы.",
    ],
)
def test_a_neglected_place_not_improved_is_no_before_and_after(text: str, matcher: Matcher) -> None:
    assert "before_after" not in explicit_formats(matcher, text)


# ---- participants told with the object first, and what is expected, are no people helped ----


@pytest.mark.parametrize(
    "text",
    [
        "Участие в финале олимпиады приняли 240 старшеклассников из разных районов.",
        "Ожидается, что осенью 300 детей получат места в новых группах.",
    ],
)
def test_participants_and_expected_counts_are_no_people_helped(text: str, matcher: Matcher) -> None:
    assert "people_helped" not in explicit_formats(matcher, text)


def test_children_who_got_places_stay_people_helped(matcher: Matcher) -> None:
    text = "Осенью 300 детей получили места в новых группах детского сада."
    assert "people_helped" in explicit_formats(matcher, text)
