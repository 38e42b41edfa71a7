"""What a user of the matcher relies on: labels, names, evidence, campaign, formats."""

from __future__ import annotations

import dataclasses
from datetime import date
import json

import pytest

from matching import MATCHER_VERSION, CampaignTerms, Evidence, Match, Matcher, default_matcher

GENERAL = "нацпроекты (в целом)"


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("Ремонт выполнен в рамках национальных проектов.", (GENERAL,)),
        ("Средства выделены по нацпроекту «Молодёжь и дети».", ("Молодёжь и дети",)),
        ("Работы идут по нац. проекту «Демография».", ("Демография",)),
        ("Оснащение закуплено по нац.проекту.", (GENERAL,)),
        ("Парты закуплены по нацпректу «Образование».", ("Образование",)),  # typos: a vowel dropped
        ("Панель получена в рамках нацпрокта «Молодёжь и дети».", ("Молодёжь и дети",)),
        ("Поле построено по нацпреокту «Молодёжь и дети».", ("Молодёжь и дети",)),
        ("Сад построен в рамках «Демографии», а теперь работу продолжает «Семья».", ("Демография",)),
        ("Стадион обновили по линии «Молодёжи и детей».", ("Молодёжь и дети",)),
        ("Кабинет оборудован по НП «Образование».", ("Образование",)),
        ("в рамках федерального проекта «Успех каждого ребёнка» национального проекта «Образование»", ("Образование",)),
        ("Школы подключены по национальной программе «Цифровая экономика Российской Федерации».", ("Цифровая экономика",)),
        ("Благодаря «Демографии» — одному из национальных проектов — построен сад.", ("Демография",)),
        ("по нацпроектам «Образование», «Культура» и «Семья»", ("Образование", "Культура", "Семья")),
        ("Занятия идут в рамках проекта «Продолжительная и активная жизнь».", ("Продолжительная и активная жизнь",)),
        ("Хоровод на Масленице!\n#детскийсад #нацпроекты38", (GENERAL,)),
        ("Новые парты 🎉 #НацпроектМолодежьИДети", ("Молодёжь и дети",)),
        ("Подробности на сайте национальныепроекты.рф", (GENERAL,)),
    ],
)
def test_explicit_posts_and_their_projects(matcher: Matcher, text: str, projects: tuple[str, ...]) -> None:
    m = matcher.match("", text)
    assert m.label == "explicit"
    assert m.projects == projects


@pytest.mark.parametrize(
    ("text", "federal"),
    [
        ("Работы выполнены по федеральному проекту “Все лучшее детям”.", "Всё лучшее детям"),
        ("В рамках регионального проекта «Успех каждого ребенка» созданы места.", "Успех каждого ребёнка"),
        ("Урок физики в «Точке Роста» ⚡", "Точка роста"),
        ("Запись в ИТ-куб открыта!", "IT-куб"),
        ("Мобильный кванториум приехал в Жигалово.", "Кванториум"),
        ("Классный час провела советник директора по воспитанию.", "Навигаторы детства"),
        ("В 2025 году оформите Пушкинскую карту на Госуслугах.", "Пушкинская карта"),
    ],
)
def test_implicit_posts_name_a_programme_but_no_national_project(matcher: Matcher, text: str, federal: str) -> None:
    m = matcher.match("", text)
    assert (m.label, m.projects) == ("implicit", ())
    assert federal in m.federal_projects


@pytest.mark.parametrize(
    "text",
    [
        "Самые тёплые кадры с утренника к 8 Марта",
        "Фотоконкурс «Моя семья — моё богатство»! #семья",
        "Экскурсия в НП «Прибайкальский» и визит в нацпарк.",
        "Победитель конкурса приоритетного национального проекта «Образование» 2008 года.",
        "Школа построена в рамках национального проекта «Комфортная школа» в Караганде.",
        "Дети в национальных костюмах водили хоровод.",
        "Педсовет определил точки роста школы на полугодие.",
        "Наш девиз — успех каждого ребёнка!",
        "Работы по государственной программе «Патриотическое воспитание граждан Российской Федерации на 2016–2020 годы».",
        "Закрытие Года педагога и наставника.",
        "Это проект национального масштаба.",
        "Оформили Пушкинскую карту в 2023 году.",
        "В рамках проекта «Семья» третьеклассники нарисовали родословное древо.",  # a class project
        "Благодаря семье Ивановых у нас появилась новая библиотека.",
    ],
)
def test_false_friends_are_none(matcher: Matcher, text: str) -> None:
    assert matcher.match("", text).label == "none"


def test_real_mention_wins_over_false_friend(matcher: Matcher) -> None:
    text = (
        "В 2007 году школа победила в конкурсе приоритетного национального проекта «Образование». "
        "А в 2023 году в рамках национального проекта «Образование» открыт центр «Точка роста»."
    )
    m = matcher.match("", text)
    assert m.label == "explicit" and m.projects == ("Образование",)
    assert any(e.kind == "false_friend" for e in m.evidence)


def test_title_alone_can_make_a_post_explicit(matcher: Matcher) -> None:
    m = matcher.match("Нацпроект «Образование»: новые кабинеты", "Ребята изучают химию на новом оборудовании.")
    assert m.label == "explicit"
    assert any(e.field == "title" and e.target == "Образование" for e in m.evidence)


def test_evidence_spans_point_into_the_original_fields(matcher: Matcher) -> None:
    title = "Новости"
    text = "Ремонт по нац. проекту &laquo;Семья&raquo; и #НацпроектМолодежьИДети"
    m = matcher.match(title, text)
    assert m.evidence
    for e in m.evidence:
        source = title if e.field == "title" else text
        assert source[e.start:e.end] == e.phrase
    named = {e.target: e.phrase for e in m.evidence if e.kind in ("national_project", "hashtag")}
    assert named["Семья"] == "нац. проекту &laquo;Семья&raquo;"
    assert named["Молодёжь и дети"] == "НацпроектМолодежьИДети"
    assert {e.kind for e in m.evidence if e.target == "Молодёжь и дети"} == {"hashtag"}


def test_campaign_only_for_explicit_posts(matcher: Matcher) -> None:
    explicit = matcher.match("", "Было / стало: спортзал после ремонта по нацпроекту «Молодёжь и дети».")
    implicit = matcher.match("", "Было / стало: спортзал после ремонта по федеральному проекту «Успех каждого ребёнка».")
    assert explicit.campaign and "before_after" in explicit.formats
    assert not implicit.campaign and "before_after" in implicit.formats


def test_campaign_terms_come_from_the_caller(matcher: Matcher) -> None:
    text = "Нацпроект «Семья» в нашем саду. #МойНацпроект"
    assert not matcher.match("", text).campaign
    terms = CampaignTerms(hashtags=("#мойнацпроект",))
    assert matcher.match("", text, campaign=terms).campaign
    phrase_terms = CampaignTerms(phrases=("Народная история нацпроектов",))
    assert matcher.match("", "В рубрике «Народная история нацпроекта» — нацпроект «Семья».", campaign=phrase_terms).campaign


def test_the_date_and_campaign_are_passed_by_name(matcher: Matcher) -> None:
    # a publication date given where the campaign goes used to be ignored without a word
    with pytest.raises(TypeError):
        matcher.match("", "Урок о нацпроекте «Семья».", date(2024, 5, 1))  # type: ignore[misc]
    assert matcher.match("", "Урок о нацпроекте «Семья».", published=date(2024, 5, 1)).label == "explicit"


def test_results_over_years_mark_the_campaign(matcher: Matcher) -> None:
    m = matcher.match("", "С 2019 по 2024 год по нацпроекту «Демография» 760 малышей получили места в яслях.")
    assert m.campaign and "people_helped" in m.formats


def test_formats_only_for_relevant_posts(matcher: Matcher) -> None:
    none = matcher.match("", "В школе открылся новый спортзал, его построили за лето.")
    assert none.label == "none" and none.formats == ()
    built = matcher.match("", "По нацпроекту «Молодёжь и дети» в школе открылся новый спортзал.")
    assert "object_built" in built.formats


def test_plans_are_not_formats(matcher: Matcher) -> None:
    m = matcher.match("", "По нацпроекту «Семья» в 2026 году планируется капитальный ремонт двух садов.")
    assert m.label == "explicit" and "object_built" not in m.formats


def test_match_is_deterministic_and_json_ready(matcher: Matcher) -> None:
    text = "По нацпроекту «Культура» отремонтирован клуб. Смотрите видео! — говорит Анна."
    first, second = matcher.match("", text), matcher.match("", text)
    assert first == second
    data = json.loads(json.dumps(first.to_dict(), ensure_ascii=False))
    assert data["version"] == MATCHER_VERSION and data["label"] == "explicit"
    assert set(data) == {"label", "projects", "federal_projects", "campaign", "formats", "evidence", "version"}


def test_records_are_frozen_and_slotted() -> None:
    m = default_matcher().match("", "нацпроект")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.label = "none"  # type: ignore[misc]
    assert not hasattr(m, "__dict__")
    assert isinstance(m, Match) and all(isinstance(e, Evidence) for e in m.evidence)


def test_default_matcher_is_a_singleton() -> None:
    assert default_matcher() is default_matcher()


def test_empty_post(matcher: Matcher) -> None:
    m = matcher.match("", "")
    assert (m.label, m.evidence, m.version) == ("none", (), MATCHER_VERSION)
