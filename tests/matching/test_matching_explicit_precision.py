"""Explicit precision of natmon-matcher/1.11 (issue #14, "Explicit wrongly found"): the 2006–2018 priority
project and what belonged to it, another country's projects, the words talked about rather than a project;
each with negatives that keep explicit recall (examples in our own words)."""

from __future__ import annotations

from datetime import date

import pytest

from matching import Matcher


@pytest.fixture(scope="module", params=[date(2026, 12, 3), date(2031, 6, 1)], ids=["today", "later"])
def undated(request: pytest.FixtureRequest) -> Matcher:
    """A matcher for posts with no publication date: the decision must not depend on what day it is."""
    return Matcher(today=request.param)


@pytest.mark.parametrize(
    "text",
    [
        # the 2006–2008 contest of schools that introduce innovative programmes
        "Гимназия № 3 вошла в число лучших школ, внедряющих инновационные образовательные программы, "
        "по национальному проекту «Образование».",
        "По нацпроекту «Образование» школы района, внедряющие инновационные программы, получат гранты.",
        # the best teachers' prize, with or without its sum
        "Наш учитель истории получил денежное поощрение лучших учителей в рамках национального проекта «Образование».",
        "Лучшие учителя области получат премии по нацпроекту «Образование».",
        # an undated post whose sentence dates its action before 2019
        "Министерство хочет перераспределить деньги нацпроекта «Образование», чтобы к 2008 году "
        "провести интернет в каждую сельскую школу.",
    ],
)
def test_the_priority_project_and_its_parts_are_none_whatever_today_is(text: str, undated: Matcher) -> None:
    match = undated.match("", text)
    assert match.label == "none"
    assert any(e.kind == "false_friend" for e in match.evidence)


@pytest.mark.parametrize(
    "text",
    [
        # a national project of today with a past contest in another sentence
        "В 2025 году по нацпроекту «Семья» в посёлке открыли детский сад. А в 2007 году наша школа "
        "стала лучшей среди школ, внедряющих инновационные программы.",
        "По национальному проекту «Образование» в школе открыт центр «Точка роста». Наш директор "
        "когда-то получил премию лучшим учителям.",
        # a year of something else (a noun's year) in the sentence of the project
        "Часть книг купили по нацпроекту «Образование», часть подарили выпускники 2005 года.",
        # the years of the post are today's
        "В 2024 году по нацпроекту «Образование» отремонтировали школу, хотя начать хотели ещё к 2010 году.",
    ],
)
def test_todays_project_beside_a_past_contest_stays_explicit(text: str, undated: Matcher) -> None:
    assert undated.match("", text).label == "explicit"


@pytest.mark.parametrize(
    "text",
    [
        "Называть обычный ремонт крыльца национальным проектом как-то смешно.",
        "Чиновник под видом «национального проекта» выдал бумагу, которую и так обязан был выдать.",
        "Освоение Сибири — это тоже национальный проект, только трёхсотлетний.",
    ],
)
def test_the_words_talked_about_are_no_project(text: str, matcher: Matcher) -> None:
    match = matcher.match("", text)
    assert match.label == "none"
    assert any(e.target == "«национальный проект» в другом смысле" for e in match.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Это национальный проект «Семья»: в районе построили детский сад.",
        "В рамках национального проекта «Образование» школа получила новые парты.",
        "Школа участвует в нацпроекте, и это видно по новым кабинетам.",
    ],
)
def test_a_project_named_or_used_stays_explicit(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "explicit"


@pytest.mark.parametrize(
    "text",
    [
        "В Кыргызстане по национальному проекту «Образование» открыли школу на 400 мест.",
        "В Минске по национальному проекту «Здравоохранение» построили поликлинику.",
    ],
)
def test_another_countrys_project_is_none(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "none"


@pytest.mark.parametrize(
    "text",
    [
        # Russian places named like a foreign country or city
        "В селе Киргиз-Мияки по нацпроекту «Образование» отремонтировали школу.",
        "На Минской улице по нацпроекту «Жильё и городская среда» благоустроили двор.",
        "Вдоль Минского шоссе по нацпроекту «Инфраструктура для жизни» отремонтировали дорогу.",
    ],
)
def test_a_russian_place_named_like_a_country_keeps_the_project(text: str, matcher: Matcher) -> None:
    assert matcher.match("", text).label == "explicit"
