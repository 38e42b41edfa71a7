"""Formats of natmon-matcher/1.9, each kept because it generalised leave-one-set-out over the six real
sets (examples in our own words): a building's history is no new object."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import ABOUT


@pytest.mark.parametrize(
    "text",
    [
        "Корпус гимназии возвели в 1968 году, теперь в нём меняют окна и проводку.",
        "Здание сада построили в 1980-е годы из панелей; сейчас его утепляют.",
        "Клуб отремонтировали двадцать лет назад, и с тех пор он ждёт новых кресел.",
        "Несколько лет назад здесь провели капитальный ремонт, а этим летом красят коридоры.",
    ],
)
def test_a_building_built_long_ago_is_no_object_built(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "object_built" not in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        "С 2015 года в районе построили девять спортивных площадок.",
        "Впервые с 1975 года школу капитально отремонтировали.",
        "В 2024 году в посёлке построили школу на 400 мест.",
    ],
)
def test_works_done_since_an_old_year_or_lately_are_still_built(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert "object_built" in m.formats, m.evidence


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("Мария Лебедева из Усолья-Сибирского стала лауреатом премии для молодых изобретателей.", True),
        ("Пётр Зуев из Тайшета получил медаль за спасение детей на пожаре.", True),
        ("Ольга Фомина из Ангарска приехала на форум вожатых.", False),
        ("Министр Ольга Фомина из Ангарска получила награду за работу ведомства.", False),
    ],
)
def test_a_person_from_a_town_who_won_is_a_success_story(text: str, story: bool, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert ("success_story" in m.formats) is story, m.evidence


@pytest.mark.parametrize(
    ("text", "video"),
    [
        ("Программа «Вечерний Байкал». В этом выпуске: как живёт обновлённая сельская школа.", True),
        ("В выпуске передачи «Наш район» — гости из нового детского сада.", True),
        ("В выпуске районной газеты напечатали расписание автобусов.", False),
        ("Выпускной вечер прошёл в обновлённом актовом зале.", False),
    ],
)
def test_an_issue_of_a_programme_is_a_video(text: str, video: bool, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert ("video" in m.formats) is video, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # routine upkeep is no renewed object
        "В читальном зале завершился текущий ремонт, мебель соберут в декабре.",
        # works that are being finished are still under way
        "Строители завершают капитальный ремонт спортзала.",
    ],
)
def test_routine_repair_and_works_being_finished_are_no_object_built(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "object_built" not in m.formats, m.evidence


@pytest.mark.parametrize(
    ("text", "helped"),
    [
        # care given to a count of children
        ("Выездная бригада врачей оказала помощь 240 детям из отдалённых сёл.", True),
        ("Педиатры осмотрели 95 детей в сельской школе.", True),
        # no count of people: help with an event, buildings inspected
        ("Родители оказали помощь в подготовке праздника.", False),
        ("Инженеры осмотрели 12 зданий школ перед отопительным сезоном.", False),
    ],
)
def test_children_who_got_care_are_people_helped(text: str, helped: bool, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert ("people_helped" in m.formats) is helped, m.evidence


@pytest.mark.parametrize(
    ("text", "built"),
    [
        # new public or learning spaces, places transformed by the works
        ("За три года в районе открыто 14 новых образовательных пространств.", True),
        ("После работ преобразились сквер у школы и два двора.", True),
        # a space that is only planned, a person's looks
        ("В будущем году пространство для подростков откроют в библиотеке.", False),
        ("На празднике преобразились ученики начальных классов: все пришли в костюмах.", False),
    ],
)
def test_spaces_opened_and_places_transformed_are_object_built(text: str, built: bool, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert ("object_built" in m.formats) is built, m.evidence
