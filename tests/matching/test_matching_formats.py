"""Formats as real posts word them (examples in our own words), and the plans that are not formats."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import ABOUT



@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Спортзал построен за одно лето.", "object_built"),
        ("Здания двух сельских школ отремонтировали к сентябрю.", "object_built"),
        ("Капитальный ремонт по нацпроекту «Молодёжь и дети» завершился в лицее № 3.", "object_built"),
        ("За пять лет открыли 14 крупных спортивных объектов.", "object_built"),
        ("В Ольхоне открылась вторая за год модельная библиотека.", "object_built"),
        ("Центр «Точка роста» на базе школы № 7 создан в 2023 году.", "object_built"),
        ("Село получило новый Дом культуры со зрительным залом.", "object_built"),
        # pupils counted in a new building got a place; those of a repaired one did not (the guide's H4, 1.10)
        ("Новый учебный год в новой школе встретили более 300 ребят.", "people_helped"),
        ("В 2024 году 12 тысяч молодых людей воспользовались картой.", "people_helped"),
        ("Всего около 2 тыс. абитуриентов получили место в общежитии.", "people_helped"),
        ("Видео\nЭкскурсия по новой школе.", "video"),
        ("Как изменился сад, смотрите в сюжете нашего корреспондента.", "video"),
    ],
)
def test_formats_found(text: str, fmt: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert fmt in m.formats, m.evidence


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("В следующем году запланировано завершение благоустройства двора.", "object_built"),
        ("Открытие центра пройдёт в пятницу в 12:00.", "object_built"),
        ("Процесс строительства школы подходит к завершению.", "object_built"),
        ("Выплату получают семьи в посёлках с населением до 50 тысяч человек.", "people_helped"),
    ],
)
def test_plans_and_thresholds_are_not_formats(text: str, fmt: str, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit"
    assert fmt not in m.formats, m.evidence


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("«Я мечтала о такой лаборатории», — говорит Полина, ученица 9 класса.", True),
        ("Об этом рассказал Олег Смирнов на форуме в Москве.", False),
        ("Министр образования области Олег Смирнов открыл форум. «Школ стало больше», — сказал Смирнов.", False),
    ],
)
def test_a_story_about_a_person_not_a_news_source_or_an_official(text: str, story: bool, matcher: Matcher) -> None:
    m = matcher.match("", text + ABOUT)
    assert ("success_story" in m.formats) is story, m.evidence
