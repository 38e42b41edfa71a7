"""Implicit kinds of natmon-matcher/1.9, each kept because it generalised leave-one-set-out over the six
real sets (examples in our own words), with the negatives that keep them honest."""

from __future__ import annotations

from datetime import date

import pytest

from matching import Matcher


@pytest.mark.parametrize(
    "text",
    [
        # the federal government or ministry named as the giver of the money, in the sentence or the next one
        "В посёлке Новый Уоян построят школу на 600 мест. Деньги на неё выделило Правительство России.",
        "Минпросвещения России одобрило субсидию на строительство школы в Шелехове.",
        # federal money named first, the repair in the next sentence of the paragraph
        "Средства из федерального бюджета получены для 12 школ района. Капитальный ремонт начнётся весной.",
        "По федеральному перечню в районе отобрали ещё три школы. Их восстановят к 2027 году.",
    ],
)
def test_school_works_paid_by_the_federal_government_are_implicit(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        "Правительство России обсудило безопасность школ. Ремонт школы № 3 провели на средства области.",
        "Министерство просвещения России провело конкурс учителей, а в школе покрасили спортзал.",
        "Средства из федерального бюджета получили многодетные семьи. Ремонт дома культуры продолжается.",
        # the next sentence names money of its own
        "Средства из федерального бюджета получили дороги района. Ремонт школы № 2 провели на деньги района.",
    ],
)
def test_a_federal_body_without_its_money_for_the_works_is_no_topic(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "none"


@pytest.mark.parametrize(
    "text",
    [
        # a building's capacity for children under three
        "Оба садика в Култуке рассчитаны на 60 малышей до трёх лет каждый.",
        "В Бирюсинске ждут детский сад: новое учреждение будет рассчитано на 4 группы для детей от 1,5 лет.",
        # groups that appear, a nursery-kindergarten opened
        "В районе могут появиться группы для детей от восьми месяцев до трёх лет.",
        "Два новых ясли-сада открыли в микрорайоне Юбилейный.",
    ],
)
def test_nursery_places_by_capacity_or_new_groups_are_implicit(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        "Детский сад рассчитан на 120 воспитанников от 3 до 7 лет.",
        "В саду появились новые игрушки для малышей.",
        "Зал рассчитан на 200 зрителей; на концерт пришли мамы с детьми до трёх лет.",
    ],
)
def test_a_kindergarten_for_older_children_or_new_toys_is_no_topic(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "none"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the campers of a camp or the children's centre «Орлёнок» are called «орлята» too
        ("Третья смена в лагере «Орлёнок» закрылась: орлята подготовили концерт для родителей.", "none"),
        ("Орлята отправились в поход по берегу Ангары.", "implicit"),
        # the programme named in full, or by «орлятский», in a post that names the centre
        ("В «Орлёнке» прошёл форум учителей программы «Орлята России».", "implicit"),
        ("После поездки в «Орлёнок» в школе начались орлятские уроки.", "implicit"),
        # the programme's tracks are named «Орлёнок-…»: a track is no camp
        ("На занятии трека «Орлёнок – Эколог» орлята сажали рябину у школы.", "implicit"),
        ("Во 2 «А» завершился трек Орлёнок-Спортсмен: орлята сдали нормы на значки.", "implicit"),
    ],
)
def test_orlyata_of_the_camp_orlyonok_are_not_the_programme(text: str, label: str, matcher: Matcher) -> None:
    assert matcher.match("", text, published=date(2024, 5, 1)).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a distance or a sum is no year: the post (undated) speaks from today
        ("Я выиграла конкурс «Земский учитель» и уехала работать в школу в 2000 км от дома.", "implicit"),
        ("По программе «Земский учитель» она получила миллион и проехала 2010 километров до села.", "implicit"),
        # a year still is one: a post of 2010 is before the programme
        ("В 2010 году о программе «Земский учитель» ещё никто не слышал.", "none"),
    ],
)
def test_a_number_with_a_unit_is_no_year(text: str, label: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == label


def test_the_patriotic_education_project_named_with_russia_in_full(matcher: Matcher) -> None:
    m = matcher.match("", "Школы получат флаги в рамках федерального проекта «Патриотическое воспитание граждан России».")
    assert m.label == "implicit"
    assert m.federal_projects == ("Патриотическое воспитание граждан Российской Федерации",)
