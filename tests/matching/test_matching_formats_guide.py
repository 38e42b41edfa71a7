"""Formats of natmon-matcher/1.10, read by the consolidated formats guide of the real posts (rules H2–H4;
kept because they generalised leave-one-set-out over six real sets). Examples in our own words."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import ABOUT


@pytest.mark.parametrize(
    "text",
    [
        # the usual pupils of a repaired or existing school (H4) and what a school holds (H3)
        "После ремонта в гимназии № 4 обучаются 640 ребят.",
        "В трёх филиалах музыкальной школы учатся 215 детей.",
        "Садик на окраине посещают 96 воспитанников, в нём поменяли окна.",
        "А всего 530 школьников, которые учатся в две смены, ждут окончания стройки.",
    ],
)
def test_the_pupils_who_attend_a_school_are_no_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "people_helped" not in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # a new building or new group (H4), a programme's training or classes (H2)
        "В новую школу на Лесной улице ходят 480 учеников.",
        "Во вновь открытую ясельную группу уже ходят 14 малышей.",
        "По программам технопарка учатся 370 подростков.",
        "Занятия в кружках посещают 125 ребят из соседних сёл.",
    ],
)
def test_pupils_of_a_new_building_or_a_programme_are_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert "people_helped" in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # taking part in a contest, an olympiad, a lesson or a movement is no service (H2)
        "Более 9 тысяч ребят стали участниками районной олимпиады по финансовой грамотности.",
        "Участниками открытых уроков памяти стали 2 300 учеников и их учителя.",
        "Осенью 150 третьеклассников стали участниками движения юных патриотов.",
        "Ряды волонтёрского движения за год пополнили 800 студентов.",
    ],
)
def test_participants_of_a_contest_or_movement_are_no_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "people_helped" not in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # taking part in training stays people helped (H2), and so does help counted as before
        "Участниками курсов повышения квалификации стали 60 педагогов района.",
        "Бесплатное обучение прошли 45 мам, которые в декрете.",
    ],
)
def test_participants_of_training_stay_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert "people_helped" in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # career guidance and master classes are the service itself (H2)
        "В неделе профориентации на предприятиях приняли участие 740 девятиклассников.",
        "Дни открытых дверей в техникумах области посетили 3 тысячи выпускников школ.",
        "В мастер-классах инженерного центра участвовали 260 школьников.",
        # holders and users of a card (H1)
        "Сегодня в округе больше 30 тысяч держателей «Пушкинской карты».",
        "Число пользователей банковской молодёжной карты выросло до 1,2 миллиона человек.",
        # vacancies filled under a programme (H1: people found a job)
        "Из 120 вакансий для сельских учителей в этом году заполнено 95.",
    ],
)
def test_career_events_card_holders_and_filled_vacancies_are_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert "people_helped" in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # a contest, a concert or a festival stays an event (H2); vacancies only announced help nobody yet
        "В конкурсе чтецов приняли участие 310 школьников.",
        "Концерт в доме культуры посетили 400 зрителей.",
        "Для молодых педагогов в районе открыто 40 вакансий.",
        "На карте района отмечены 12 новых спортивных площадок.",
    ],
)
def test_contests_concerts_and_open_vacancies_are_no_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "people_helped" not in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # the usual pupils of a repaired school got no place (H4)
        "В отремонтированную гимназию 1 сентября пришли 540 учеников.",
        "Осенью 210 ребят вернулись в обновлённое, просторное здание школы.",
        "Условия обучения заметно улучшились для 380 школьников посёлка.",
    ],
)
def test_the_pupils_of_a_repaired_school_are_no_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "people_helped" not in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # the pupils of a new building got a place (H4)
        "В новую школу 1 сентября пришли 540 учеников.",
        "В новый детский сад пошли 160 малышей.",
    ],
)
def test_the_pupils_of_a_new_building_stay_people_helped(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert "people_helped" in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        # places counted after the verb changed, not the territory (R2); a future change is a plan (G2)
        "За пять лет в районе преобразились 18 дворов и две набережные.",
        "В области преобразились более 40 общественных пространств.",
        "Сельские клубы района преобразятся уже в следующем году.",
    ],
)
def test_places_counted_or_a_future_change_are_no_region_changed(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert "region_changed" not in m.formats, m.evidence


@pytest.mark.parametrize(
    "text",
    [
        "За последние годы наш посёлок заметно преобразился: новая школа, стадион, освещённые улицы.",
        "Район преображается год от года: открыты два сада и бассейн.",
    ],
)
def test_a_territory_changed_as_a_whole_stays_region_changed(text: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert "region_changed" in m.formats, m.evidence
