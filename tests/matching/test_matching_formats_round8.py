"""Formats of natmon-matcher/1.11 by the consolidated guide of the real posts (O1–O3, G2, H1, S1/S2, V1), kinds
the seventh real set showed the earlier rules did not know. Examples in our own words, with negatives."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import ABOUT


def _formats(matcher: Matcher, text: str) -> tuple[str, ...]:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    return m.formats


@pytest.mark.parametrize(
    "text",
    [
        # a virtual concert hall is equipment in an existing room (O3)
        "В районном Доме культуры открылся виртуальный концертный зал.",
        # the repair is at its final stage or being finished: what is done so far is works under way (O2)
        "Капремонт гимназии в Тулуне вышел на финальный этап. В здании отремонтировали спортзал и столовую.",
        "Ремонт детского сада в Вихоревке завершается: строители обновили фасад и кровлю.",
        "Работы по реконструкции стадиона подходят к концу, на поле уже отремонтированы трибуны.",
        # a plan: what the school «станет» after the repair, what «ждёт» the hall (G2)
        "После ремонта школы в Култуке станут современными и уютными.",
        # a teacher who started working at a school opened no building
        "Молодой учитель физики начал работать в школе посёлка Видим.",
    ],
)
def test_no_object_built(text: str, matcher: Matcher) -> None:
    assert "object_built" not in _formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # the same places finished, not in works under way (O1)
        "В Тулуне после капремонта открылась гимназия, в здании отремонтировали спортзал и столовую.",
        "Год подходит к концу, а в Вихоревке отремонтировали детский сад.",
        "В селе начал работать новый детский сад.",
        # an opening told as a noun, in any case (O1)
        "Мэр сообщил об открытии в Зиме нового детского сада на 220 мест.",
        # a completed stage with a hyphenated ordinal (O1)
        "В парке Победы завершён 2-й этап благоустройства.",
    ],
)
def test_object_built(text: str, matcher: Matcher) -> None:
    assert "object_built" in _formats(matcher, text)


def test_the_opening_of_an_exhibition_is_no_object_built(matcher: Matcher) -> None:
    assert "object_built" not in _formats(matcher, "На открытии выставки в школе № 5 выступил хор.")


@pytest.mark.parametrize(
    "text",
    [
        # a prize each of a count of pupils «получит» (H1)
        "Пять школьников района стали победителями, каждый получит по 100 тысяч рублей.",
        # a count agreeing in the neuter with an arrival verb (H1)
        "В сельские школы района приехало 12 молодых учителей.",
        # people in a programme's classes (H1)
        "Около 900 пенсионеров участвуют в программе занятий для старшего поколения.",
        # young people who used the Pushkin card, whatever the show, in the card's sentence or the next (H1)
        "По Пушкинской карте концерты филармонии посетили 4 500 школьников.",
        "Театр продаёт билеты по Пушкинской карте. Спектакли посмотрели более 7 000 студентов.",
        "Свыше трёх тысяч студентов сходили в музеи, воспользовавшись Пушкинской картой.",
    ],
)
def test_people_helped(text: str, matcher: Matcher) -> None:
    assert "people_helped" in _formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # an audience with no card (H2), a card's future use (a plan), places that took part
        "Концерт филармонии посетили 4 500 зрителей.",
        "По Пушкинской карте спектакль смогут посмотреть 600 старшеклассников.",
        "В программе участвуют 14 районов области.",
        "В Братске прошло 5 лет с открытия школы, в ней 900 учеников.",
    ],
)
def test_no_people_helped(text: str, matcher: Matcher) -> None:
    assert "people_helped" not in _formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # a named pupil whose surname pymorphy3 reads first as a rare first name
        "Ученица 10 класса Гульнара Тугушева стала победителем конкурса и получила грант.",
        # a person from a town who came to work (S1)
        "Учитель химии Ирина Седова из Саратовской области начала работать в школе посёлка Бодайбо.",
        # a named person who moved or came to work, the programme or the work in the sentence (S1)
        "Три года назад Ксения Русакова решилась и переехала в Качуг по программе «Земский учитель».",
        "Пётр Ильич Кожин приехал в село Баяндай в 2023 году по программе «Земский учитель».",
        "Супруги Олег и Вера Мартыновы начали преподавать в школе деревни Тихоновка.",
    ],
)
def test_success_story(text: str, matcher: Matcher) -> None:
    assert "success_story" in _formats(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        # a news source named by its town after a speech verb
        "О росте числа школ говорит Иркутск. В городе открыты три школы.",
        # a trip is no story, nor an official's visit, nor a move with no work or programme named
        "Учитель химии Ирина Седова из Саратовской области приехала на семинар.",
        "Министр образования Ольга Рябова приехала в школу посмотреть, как работает программа.",
        "Ксения Русакова переехала в Качуг прошлой весной.",
    ],
)
def test_no_success_story(text: str, matcher: Matcher) -> None:
    assert "success_story" not in _formats(matcher, text)


@pytest.mark.parametrize(
    ("text", "video"),
    [
        ("В школе прошла зарядка с чемпионом.\nСмотрите до конца!", True),
        ("Как изменилась школа после ремонта?\n\nСмотрим", True),
        ("В школе прошла зарядка с чемпионом.\nСмотрите фото в альбоме.", False),
    ],
)
def test_a_line_inviting_to_watch_is_a_video(text: str, video: bool, matcher: Matcher) -> None:
    assert ("video" in _formats(matcher, text)) is video
