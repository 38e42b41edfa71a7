"""Label kinds kept in natmon-matcher/1.12 (issue #14, round 9): each was checked leave-one-set-out
over nine real sets and against every real and written set. The sentences are our own, each with
the look-alikes that keep the rule honest."""

from __future__ import annotations

import pytest

from matching import Matcher

# ---- the primary health-care federal project, named in lower case and without quotes ----


@pytest.mark.parametrize(
    "text",
    [
        "Новый медпункт в деревне построили по федеральной программе модернизации первичного звена здравоохранения.",
        "На модернизацию первичного звена здравоохранения область направит ещё триста миллионов рублей.",
    ],
)
def test_primary_health_care_modernisation_is_a_federal_project(dated: Matcher, text: str) -> None:
    m = dated.match("", text)
    assert m.label == "implicit"
    assert m.federal_projects == ("Модернизация первичного звена здравоохранения",)


@pytest.mark.parametrize(
    "text",
    [
        # modernisation of something else, and primary care without the programme
        "Больница закупила новое оборудование в ходе модернизации лаборатории.",
        "Фельдшер первичного звена рассказал школьникам о прививках.",
    ],
)
def test_health_words_without_the_programme_are_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


# ---- the school modernisation programme «по модернизации школ» ----


def test_a_programme_for_modernising_schools_is_the_repair_programme(dated: Matcher) -> None:
    m = dated.match("", "Из средств программы по модернизации школ в гимназию купили новые парты и доски.")
    assert (m.label, m.federal_projects) == ("implicit", ("Капремонт школ",))


@pytest.mark.parametrize(
    "text",
    [
        # a region's own programme, and the flats' repair
        "Гимназию отремонтируют по областной программе по модернизации школ за счёт бюджета области.",
        "Жильцы дома обсудили программу по модернизации лифтов в многоквартирных домах.",
    ],
)
def test_a_regional_or_flats_modernisation_is_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


# ---- school building under a federal target programme ----


def test_new_schools_of_a_federal_target_programme_are_implicit(dated: Matcher) -> None:
    m = dated.match("", "В посёлке открылись две новые школы, построенные по федеральной целевой программе развития края.")
    assert m.label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        # a federal target programme that built no school, and the rural programme the guide names
        "Районная газета напомнила о федеральной целевой программе по развитию туризма.",
        "Новую школу в селе построили по федеральной целевой программе «Устойчивое развитие сельских территорий».",
        # a school built from the region's money alone
        "Новую школу в посёлке построили за счёт областного бюджета.",
    ],
)
def test_other_target_programmes_and_regional_money_stay_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


# ---- a federal project's name after «федерального проекта по …» ----


def test_a_federal_project_named_after_proekta_po_counts(dated: Matcher) -> None:
    m = dated.match("", "Школьники узнали, как идёт работа федерального проекта по сохранению озера Байкал.")
    assert (m.label, m.federal_projects) == ("implicit", ("Сохранение озера Байкал",))


def test_a_school_project_on_the_same_topic_is_none(dated: Matcher) -> None:
    # a school's own project by the same words, with no federal or regional project
    assert dated.match("", "Пятиклассники защитили проект по сохранению озера Байкал и его берегов.").label == "none"


# ---- a project name whose quotation mark never closes ----


def test_a_project_name_with_its_closing_quote_lost_is_explicit(dated: Matcher) -> None:
    m = dated.match("", "На совещании говорили о национальном проекте «Образование, ремонте школ и новых кабинетах.")
    assert (m.label, m.projects) == ("explicit", ("Образование",))


def test_a_closed_quote_around_a_longer_name_is_still_no_project(dated: Matcher) -> None:
    # the quote closes after more words: the name is something else, not «Образование»
    m = dated.match("", "Класс подготовил национальный проект «Образование в нашей деревне» к конкурсу.")
    assert m.projects != ("Образование",)


# ---- the general word before a programme's quoted name in a spelling variant ----


def test_the_general_word_before_the_repair_programme_is_explicit(dated: Matcher) -> None:
    m = dated.match("", "Крышу сельской школы заменили по нацпроекту «Модернизация школьных систем образования».")
    assert (m.label, m.projects) == ("explicit", ("нацпроекты (в целом)",))
    assert m.federal_projects == ("Капремонт школ",)


def test_the_general_word_before_an_unknown_quoted_name_is_not_explicit(dated: Matcher) -> None:
    # a quoted name that is no national project and no known programme
    m = dated.match("", "Ученики представили нацпроект «Чистый двор нашей школы» на классном часе.")
    assert m.label != "explicit"


# ---- a nursery in a «детсад» ----


def test_a_new_detsad_for_babies_is_a_nursery(dated: Matcher) -> None:
    m = dated.match("", "В городе открыли первый детсад для малышей: сюда берут детей с двух месяцев.")
    assert m.label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        # a detsad with no age under three, and one built from the region's money
        "В городе открыли новый детсад на двести мест для детей от трёх до семи лет.",
        "Детсад для малышей с двух месяцев открыли за счёт областного бюджета.",
    ],
)
def test_a_detsad_without_nursery_age_or_paid_by_the_region_is_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


# ---- another country's head of state names a foreign national project ----


def test_a_national_project_launched_by_another_countrys_president_is_none(dated: Matcher) -> None:
    m = dated.match("", "По поручению президента Касым-Жомарта Токаева национальный проект строит сотни новых школ.")
    assert m.label == "none"


def test_a_russian_national_project_in_the_same_words_stays_explicit(dated: Matcher) -> None:
    m = dated.match("", "По поручению президента национальный проект строит в области новые школы.")
    assert m.label == "explicit"


# ---- the 2006–2018 priority project by its prizes and contest ----


@pytest.mark.parametrize(
    "text",
    [
        # teachers who each get a hundred thousand roubles under «the national project»
        "В рамках национального проекта в сфере образования сорок учителей края получат по сто тысяч рублей.",
        # the best teachers' prize of 100 000 anywhere in the post makes the heading's project the old one
        "Национальный проект «Образование»\nКаждый год ко Дню учителя десяти тысячам лучших учителей выплачивают по 100 000 рублей.",
        # the contest of schools with innovative programmes, named in another sentence than the project
        "Двенадцать школ получат по миллиону рублей. Они победили среди школ, внедряющих инновационные "
        "образовательные программы. Конкурс прошёл в рамках национального проекта «Образование».",
    ],
)
def test_the_priority_projects_prizes_and_contest_are_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


def test_a_teacher_paid_under_todays_project_with_a_recent_year_stays_explicit(dated: Matcher) -> None:
    # a payment of today's project, with a year from 2019 in its sentence
    m = dated.match("", "В 2024 году по нацпроекту «Образование» учителя района получат по сто тысяч рублей за наставничество.")
    assert (m.label, m.projects) == ("explicit", ("Образование",))


# ---- nurseries: «от 2 до 3 лет», early-age groups, new groups opened ----


@pytest.mark.parametrize(
    "text",
    [
        # two new groups for children from two to three, paid partly by the federal budget
        "В садике посёлка состоялось открытие трёх новых групп для детей от 2 до 3 лет. "
        "Деньги на мебель пришли из федерального и районного бюджетов.",
        # a new kindergarten with early-age groups
        "Закончили строительство детского сада на улице Лесной: в нём будут две группы раннего возраста.",
        # a reopened kindergarten for children «от года»
        "В новый детский сад, построенный у реки, примут детей от года до семи лет.",
    ],
)
def test_new_places_for_children_under_three_are_a_nursery(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        # an existing early-age group at a matinee: nothing built or opened
        "Малыши группы раннего возраста показали родителям осенний утренник.",
        # new groups for older children only
        "В саду открыли две новые группы для детей от 3 до 7 лет.",
        # a new nursery group paid from the regional budget alone
        "Открытие новой группы для детей от 2 до 3 лет оплатили из областного бюджета.",
    ],
)
def test_early_age_words_without_new_places_or_with_regional_money_are_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


# ---- school repair with the federal share of its money named in a later paragraph ----


def test_a_school_repair_whose_federal_share_is_named_later_is_implicit(dated: Matcher) -> None:
    text = ("После капитального ремонта в сентябре откроются три школы района.\n\n"
            "Подрядчики заменили окна, кровлю и полы в спортзалах.\n\n"
            "Всего на работы ушло 500 млн рублей, из них 200 млн - средства федерального бюджета.")
    assert dated.match("", text).label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        # the same repair with the region's and town's money only
        "После капитального ремонта в сентябре откроются три школы района.\n\n"
        "Всего на работы ушло 500 млн рублей из областного и местного бюджетов.",
        # a federal sum for a clinic, not told as a share of the school's works
        "После капитального ремонта открылась школа в селе.\n\n"
        "Поликлинике района передали 40 млн рублей из федерального бюджета на аппарат МРТ.",
    ],
)
def test_a_repair_without_federal_money_for_it_is_none(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "none"


# ---- a project named in another language of Russia (Tatar, Bashkir: «милли проект») ----


def test_a_project_named_with_the_tatar_general_word_is_that_project(dated: Matcher) -> None:
    m = dated.match("", "«Демография» милли проекты кысаларында авылда яңа спорт мәйданчыгы ачылды.")
    assert (m.label, m.projects) == ("explicit", ("Демография",))


def test_the_tatar_word_for_national_without_project_is_none(dated: Matcher) -> None:
    # «милли бәйрәм»: a national holiday, no project
    assert dated.match("", "Авылда милли бәйрәм Сабантуй узды, мәктәп укучылары бию башкарды.").label == "none"


# ---- the roads project named with «автодороги» ----


def test_the_roads_project_named_with_avtodorogi_is_found(dated: Matcher) -> None:
    m = dated.match("", "Село отремонтировало тротуары по нацпроектам «Демография» и «Безопасные и качественные автодороги».")
    assert set(m.projects) == {"Демография", "Безопасные качественные дороги"}


def test_roads_repaired_without_the_project_name_are_none(dated: Matcher) -> None:
    assert dated.match("", "В районе отремонтировали три километра автодороги к школе.").label == "none"
