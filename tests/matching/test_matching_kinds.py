"""Kinds of real-world wording the matcher learned from real posts (each example in our own words),
with the look-alikes that keep each rule honest."""

from __future__ import annotations

import pytest

from matching import Matcher

GENERAL = "нацпроекты (в целом)"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("В посёлке открыли детский сад на 140 мест для детей от полутора до семи лет.", "новый детский сад"),
        ("Завершается строительство нового детского сада в Солнечном, малышей примут с двух лет.", "новый детский сад"),
        ("За год в районе создали 60 мест для детей до трёх лет.", "места для детей до трёх лет"),
        ("В саду «Берёзка» открылись две ясельные группы.", "места для детей до трёх лет"),
        ("В Ангарске к сентябрю построят школу на 1 100 мест на федеральные средства.",
         "капремонт или стройка на федеральные средства"),
        ("Капитальный ремонт гимназии оплачен из федерального бюджета.", "капремонт или стройка на федеральные средства"),
        ("Школу отремонтировали по федеральной программе: новые окна и спортзал.", "капремонт или стройка на федеральные средства"),
        ("Второклассники стали участниками программы «Орлята России».", "Орлята России"),
        ("Прошёл орлятский урок доброты.", "Орлята России"),
        ("Сельская библиотека стала модельной библиотекой: новые книги и компьютеры.", "Модельная библиотека"),
        ("Открылась модельная детская библиотека.", "Модельная библиотека"),
    ],
)
def test_implicit_topics_without_a_programme_name(dated: Matcher, text: str, topic: str) -> None:
    m = dated.match("", text)
    assert m.label == "implicit", m.evidence
    assert topic in {e.target for e in m.evidence if e.kind == "topic"}
    assert m.federal_projects == ()


@pytest.mark.parametrize(
    ("text", "federal"),
    [
        ("Занятия в IT-cube начнутся в понедельник.", "IT-куб"),
        ("Кванториумцы победили в инженерном турнире.", "Кванториум"),
        ("Ребята из Аэроквантума запустили дрон.", "Кванториум"),
        ("В Промробоквантуме собрали манипулятор.", "Кванториум"),
        ("Советник по воспитанию провела линейку.", "Навигаторы детства"),
        ("Профессионалитетовские мастерские приняли первых студентов.", "Профессионалитет"),
        ("По программе капремонта в школе заменили окна.", "Капремонт школ"),
        ("Лицей вошёл в программу модернизации школьных систем образования.", "Капремонт школ"),
    ],
)
def test_spelling_variants_of_brands(dated: Matcher, text: str, federal: str) -> None:
    m = dated.match("", text)
    assert m.label == "implicit"
    assert federal in m.federal_projects


@pytest.mark.parametrize(
    "text",
    [
        # the capital repair of a block of flats has a programme of the same name
        "По региональной программе капремонта в многоквартирном доме заменили лифт.",
        # a repair paid by the region alone
        "Капитальный ремонт школы выполнен за счёт средств областного бюджета.",
        "Школу на 600 мест построили по государственной программе области.",
        # «модельный» as an ordinary adjective
        "Девочки из модельной студии показали коллекцию платьев.",
        "Модельный ряд школьной формы обновился.",
        # the word «семья» alone, a sports group «НП», a national park «НП»
        "Семья Ивановых — победитель конкурса «Папа, мама, я».",
        "Группа НП-2 по плаванию сдала нормативы.",
        "Экскурсия в НП «Тункинский» понравилась ребятам.",
        # a kindergarten's open day is not a new kindergarten
        "День открытых дверей в детском саду «Ромашка».",
        # another country's new schools
        "В Караганде построили школу на 900 мест по программе «Комфортная школа».",
    ],
)
def test_look_alikes_stay_none(dated: Matcher, text: str) -> None:
    m = dated.match("", text)
    assert m.label == "none", m.evidence


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("Школы подключены к интернету по нацпрограмме «Цифровая экономика».", ("Цифровая экономика",)),
        ("Скорость связи выросла по национальной программе «Цифровая экономика».", ("Цифровая экономика",)),
        ("Пособия многодетным выплачивают по нацпрограмме «Семья».", ("Семья",)),
        ("Ремонт сделан в рамках национальногопроекта «Образование».", ("Образование",)),
        ("Оборудование поступило в рамках национального проекта Российской Федерации «Образование».", ("Образование",)),
        ("Мы участвуем в реализации национальных проектов: «Образование», «Демография», «Культура».",
         ("Образование", "Демография", "Культура")),
        ("В районе реализуются национальные проекты:\n— «Образование»;\n— «Демография»;\n— «Культура».",
         ("Образование", "Демография", "Культура")),
        ("Кабинет оборудован по нац. проекту.", (GENERAL,)),
    ],
)
def test_explicit_wordings(dated: Matcher, text: str, projects: tuple[str, ...]) -> None:
    m = dated.match("", text)
    assert m.label == "explicit", m.evidence
    assert set(m.projects) == set(projects)


@pytest.mark.parametrize(
    "text",
    [
        "Учитель стала победителем конкурса лучших учителей приоритетного национального проекта «Образование».",
        "В рамках национального проекта «Образование» лучшие учителя района получили по 200 тысяч рублей.",
        "Школа работает по инициативе «Наша новая школа», это часть национального проекта.",
        "В Кыргызстане стартовал национальный проект по строительству школ.",
        "Школа построена по национальному проекту «Комфортная школа», сообщил акимат.",
        "К празднику каждая семья подготовила национальные проекты о своих традициях.",
        "Книга стала настоящим национальным проектом.",
    ],
)
def test_not_a_national_project_of_russia(dated: Matcher, text: str) -> None:
    m = dated.match("", text)
    assert m.label == "none", m.evidence
    assert any(e.kind == "false_friend" for e in m.evidence)


def test_brands_and_topics_count_from_2019(dated: Matcher) -> None:
    """Кванториум and nurseries existed before the national projects; before 2019 they are not part of one."""
    tech = "В технопарке «Кванториум» открылся Геоквантум."
    assert dated.match("", tech, published="2017-03-01").label == "none"
    assert dated.match("", tech, published="2020-03-01").label == "implicit"
    nursery = "В посёлке открылись две ясельные группы."
    assert dated.match("", nursery, published="2018-06-01").label == "none"
    assert dated.match("", nursery, published="2019-06-01").label == "implicit"


def test_priority_wording_before_a_current_project_name_is_the_current_project(dated: Matcher) -> None:
    m = dated.match("", "Колледж работает в федеральном проекте «Профессионалитет» приоритетного национального проекта «Молодёжь и дети».")
    assert (m.label, m.projects) == ("explicit", ("Молодёжь и дети",))


@pytest.mark.parametrize(
    "text",
    [
        "Победители конкурса лучших школ получат по миллиону рублей. Конкурс идёт в рамках нацпроекта «Образование».",
        "Премию в 200 тысяч рублей получат двадцать учителей края. Конкурс проходит в рамках национального проекта «Образование».",
    ],
)
def test_posts_about_the_priority_projects_grants(dated: Matcher, text: str) -> None:
    m = dated.match("", text)
    assert m.label == "none", m.evidence
    assert any("2006–2018" in e.target for e in m.evidence if e.kind == "false_friend")


def test_a_later_bare_word_refers_to_the_foreign_project_named_before(dated: Matcher) -> None:
    text = ("Национальный проект «Комфортная школа» идёт по поручению главы государства.\n"
            "В рамках нацпроекта до конца года построят ещё сто школ.")
    assert dated.match("", text).label == "none"
    # a year in the sentence does not make it ours; a Russian project's name does
    assert dated.match("", text.replace("до конца года", "до конца 2025 года")).label == "none"
    ours = "Нацпроект «Комфортная школа» — казахстанский. А у нас по нацпроекту «Образование» отремонтировали спортзал."
    assert dated.match("", ours).projects == ("Образование",)


def test_a_closing_quote_on_the_next_line(dated: Matcher) -> None:
    m = dated.match("", "Объявлен национальный проект «Продолжительная и активная жизнь\n». Спорт доступен всем.")
    assert (m.label, m.projects) == ("explicit", ("Продолжительная и активная жизнь",))


def test_part_of_a_longer_quoted_name_is_not_the_federal_project(dated: Matcher) -> None:
    assert dated.match("", "Ребята присоединились к проекту «Мы вместе. Письмо солдату».").label == "none"
    assert dated.match("", "Школа участвует в федеральном проекте «Мы вместе».").label == "implicit"
    # the official long form after a dash is still the federal project
    long_form = "Сад построен по региональному проекту «Содействие занятости женщин — создание условий для малышей»."
    assert "Содействие занятости" in dated.match("", long_form).federal_projects


def test_federal_money_outweighs_a_regional_budget_in_the_same_sentence(dated: Matcher) -> None:
    text = "Новый детский сад на 110 мест построен за счёт федерального, областного и местного бюджетов."
    assert dated.match("", text).label == "implicit"
    assert dated.match("", text.replace("федерального, ", "")).label == "none"


def test_an_old_project_recalled_in_a_recent_post_leaves_todays_word(dated: Matcher) -> None:
    text = ("Приоритетные национальные проекты начались в 2006 году.\n"
            "Они стали предшественниками современных нацпроектов.")
    assert dated.match("", text, published="2025-09-01").label == "explicit"
    assert dated.match("", text).label == "none"


def test_the_presidential_platform_is_not_the_federal_project(dated: Matcher) -> None:
    assert dated.match("", "Конкурс проводит президентская платформа «Россия — страна возможностей».").label == "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Партпроект «Крепкая семья» проверит, хватает ли ясельных мест в детских садах.", "none"),
        ("В Заречном к осени откроется группа для детей 2-3 лет.", "implicit"),
        ("За пять лет в районе создано 900 мест в детских садах для малышей до трёх лет.", "implicit"),
        # places with no age under three, programme or federal money: the real-post guide says none
        ("За пять лет в районе создано 900 мест в детских садах.", "none"),
        ("В школы поступило оборудование для внедрения цифровой образовательной среды.", "implicit"),
        ("Музыкальная школа переоснащена по региональному проекту «Обеспечение качественно нового уровня развития инфраструктуры культуры».", "implicit"),
        ("По стране идёт капремонт школ: после ремонта открылись сотни зданий.", "implicit"),
        ("Капремонт школ оплачен из федерального и областного бюджетов.", "implicit"),
        ("Модельная библиотека открыта по государственной программе области «Развитие культуры».", "none"),
    ],
)
def test_more_kinds_of_real_wording(dated: Matcher, text: str, expected: str) -> None:
    assert dated.match("", text).label == expected, dated.match("", text).evidence


def test_the_platform_is_listed_beside_a_national_project(dated: Matcher) -> None:
    m = dated.match("", "Конкурс платформы «Россия — страна возможностей» идёт в рамках нацпроекта «Молодёжь и дети».")
    assert m.label == "explicit" and "Россия — страна возможностей" in m.federal_projects


def test_a_regional_project_titled_by_its_national_and_federal_projects(dated: Matcher) -> None:
    m = dated.match("", "Группа откроется в рамках регионального проекта «Демография. Содействие занятости женщин».")
    assert (m.label, m.projects) == ("explicit", ("Демография",))
    assert "Содействие занятости" in m.federal_projects
    # a regional project named after a federal one only stays implicit
    assert dated.match("", "В рамках регионального проекта «Успех каждого ребёнка» созданы места.").label == "implicit"


@pytest.mark.parametrize(
    "text",
    [
        "Губернатор представил национальные проекты, которые начнутся в следующем году.",
        "Районы реализуют свои региональные составляющие национальных проектов.",
    ],
)
def test_presenting_or_own_parts_of_national_projects_stay_explicit(dated: Matcher, text: str) -> None:
    assert dated.match("", text).label == "explicit"
