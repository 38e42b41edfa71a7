"""Kinds of real-world wording found by the first fresh held-out set (issue #14, matcher 1.5), each in
our own words, with the look-alikes that keep its rule honest."""

from __future__ import annotations

from datetime import date

import pytest

from matching import Matcher
from tests.matching.conftest import explicit_formats

# ---- object built: what is not built yet, and what was ----


@pytest.mark.parametrize(
    "text",
    [
        # works under way
        "Новый корпус гимназии возводится рядом со стадионом.",
        "Новая школа строится в микрорайоне Солнечном.",
        # almost finished is not finished
        "Ремонт спортзала почти завершён, осталось покрасить стены.",
        "Ремонт читального зала практически закончен.",
        # due, but not done
        "Девять детских садов в области должны были быть построены к лету, но стройка отстаёт.",
        # a future verb in the sentence that names the building
        "В отремонтированном крыле разместятся мастерские и кабинет робототехники.",
        "В этом году реконструируют здание сельского клуба.",
        # a new building that will open in a few words
        "Новый детский сад откроется в микрорайоне Южном в декабре.",
    ],
)
def test_works_under_way_or_due_are_no_object_built(dated: Matcher, text: str) -> None:
    assert "object_built" not in explicit_formats(dated, text)


@pytest.mark.parametrize(
    "text",
    [
        "Благодаря капитальному ремонту в школе появились светлые классы и новая столовая.",
        "Благодаря модернизации читальный зал стал местом встреч всей семьи.",
        "В Тайшете завершился капитальный ремонт лицея.",
        # a finished building stays found beside a plan in another sentence
        "Спортзал отремонтирован. Следующим летом планируется ремонт столовой.",
    ],
)
def test_finished_repair_said_as_a_cause_or_as_finished_is_object_built(dated: Matcher, text: str) -> None:
    assert "object_built" in explicit_formats(dated, text)


# ---- people helped: help given to a count of people, not visitors of an event ----


@pytest.mark.parametrize(
    ("text", "helped"),
    [
        ("Купить форму к учебному году помогли 86 ребятам из многодетных семей.", True),
        ("Волонтёры подарили 30 первоклассникам наборы для рисования.", True),
        ("Фонд помог 25 семьям оплатить лечение детей.", True),
        # an open day is career guidance, its pupils are people helped (the consolidated guide's H2, 1.10)
        ("На день открытых дверей в колледж пришли более 2 тысяч девятиклассников.", True),
        ("Фестиваль профессий посетили 500 учащихся района.", False),
        ("На праздничный концерт пришли 200 человек.", False),
        ("На мероприятие в центре пришли 150 школьников.", False),
        ("Презентацию нового проекта посетили 120 старшеклассников.", False),
        ("На форум приехали 300 вожатых из районов.", False),
        # a count that is help stays help
        ("В этом году 40 выпускников получили места в общежитии колледжа.", True),
    ],
)
def test_help_to_a_count_of_people_but_not_visitors_of_an_event(dated: Matcher, text: str, helped: bool) -> None:
    assert ("people_helped" in explicit_formats(dated, text)) is helped


# ---- success story: people who tell their own stories ----


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("Выпускники колледжа рассказали свои истории о первой работе.", True),
        ("Учительница рассказала ученикам свою историю переезда в село.", True),
        ("На уроке истории ребята рассказали о своих прадедах.", False),
    ],
)
def test_people_who_tell_their_own_stories_are_a_success_story(dated: Matcher, text: str, story: bool) -> None:
    assert ("success_story" in explicit_formats(dated, text)) is story


# ---- a new kindergarten is implicit only when it takes children under three ----


@pytest.mark.parametrize(
    "text",
    [
        "В микрорайоне открылся новый детский сад на 200 мест для малышей от 1,5 до 7 лет.",
        "Построен новый детский сад: девять групп для детей от 0 до 7 лет.",
        "В новом детском саду две группы будут принимать детей с полутора лет.",
        "Новый детский сад на 120 мест примет малышей от двух месяцев.",
    ],
)
def test_a_new_kindergarten_with_an_age_under_three_is_implicit(dated: Matcher, text: str) -> None:
    m = dated.match("", text)
    assert m.label == "implicit", m.evidence


@pytest.mark.parametrize(
    "text",
    [
        "В селе открылся новый детский сад на 150 мест с бассейном и музыкальным залом.",
        "Строители заканчивают отделку нового детского сада на окраине города.",
        "Новый детский сад на 90 мест примет детей от 3 до 7 лет.",
        "В новом детском саду начали работать с 1 сентября.",
    ],
)
def test_a_new_kindergarten_without_an_age_under_three_is_none(dated: Matcher, text: str) -> None:
    m = dated.match("", text)
    assert m.label == "none", m.evidence


# ---- project sets: names listed after the general word or as a run of quoted names ----


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        # a colon list right after the general word, names in lower case
        ("На совете обсудили четыре нацпроекта: экология, культура, демография и образование.",
         ("Демография", "Культура", "Образование", "Экология")),
        ("Район участвует в трёх национальных проектах: «Семья», «Кадры» и «Молодёжь и дети».",
         ("Кадры", "Молодёжь и дети", "Семья")),
        # a bracket or a dash instead of the colon
        ("Национальные проекты (Образование, Демография, Культура) в районе выполнены.",
         ("Демография", "Культура", "Образование")),
        ("Нацпроекты - семья, кадры и экология - в районе выполнены.", ("Кадры", "Семья", "Экология")),
        # names as headings inside a line, each followed by a colon
        ("Итоги по нацпроектам. Образование: открыты три центра. Демография: построен детский сад.",
         ("Демография", "Образование")),
        # a run of quoted names in a post that speaks of national projects
        ("Нацпроекты в районе работают шестой год. Больше всего объектов по двум из них — «Демография» и «Образование».",
         ("Демография", "Образование")),
        ("Район отмечен за исполнение нацпроектов и госпрограмм по строительству новых школ, спортивных залов и детских садов — это «Культура», «Экология».",
         ("Культура", "Экология")),
    ],
)
def test_lists_of_projects_after_the_general_word(dated: Matcher, text: str, projects: tuple[str, ...]) -> None:
    m = dated.match("", text)
    assert (m.label, tuple(sorted(m.projects))) == ("explicit", projects), m.evidence


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        # nominations that share some projects' names, in a post about one project
        ("Стипендии по нацпроекту «Молодёжь и дети» вручили в номинациях «Образование», «Культура» и «Спорт».",
         ("Молодёжь и дети",)),
        # a state programme's list
        ("По нацпроекту «Семья» открыт детский сад. Освоены средства государственной программы «Образование», «Культура».",
         ("Семья",)),
        # one heading with a colon is no list
        ("Нацпроект «Семья»: в районе открыли детский сад. Культура: в клубе прошёл концерт.", ("Семья",)),
        # a run of names in a post that never speaks of national projects
        ("Кружки «Экология» и «Культура» набирают учеников.", ()),
    ],
)
def test_lists_that_are_not_project_lists(dated: Matcher, text: str, projects: tuple[str, ...]) -> None:
    assert dated.match("", text).projects == projects


# ---- dates and names that tell a look-alike apart ----


def test_orlyata_before_the_programme_began_are_other_eaglets() -> None:
    matcher = Matcher(today=date(2026, 3, 1))
    text = "Орлята нашего лагеря научились ставить палатку и разводить костёр."
    assert matcher.match("", text, published=date(2019, 7, 1)).label == "none"
    assert matcher.match("", text, published=date(2023, 7, 1)).label == "implicit"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("В школе действует программа патриотического воспитания учащихся.", "none"),
        ("В стране приняли уже четвёртую программу патриотического воспитания граждан.", "none"),
        ("Программа патриотического воспитания населения Республики Беларусь утверждена.", "none"),
        ("Кружок работает по федеральному проекту «Патриотическое воспитание граждан Российской Федерации».", "implicit"),
        ("Региональный проект «Патриотическое воспитание» объединил школьные музеи района.", "implicit"),
    ],
)
def test_a_programme_of_patriotic_education_is_not_the_federal_project(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Президент Дмитрий Медведев напомнил, что по нацпроекту «Образование» школы получили доступ в интернет.", "none"),
        ("Министр Андрей Фурсенко рассказал о выплатах по нацпроекту «Образование».", "none"),
        # the same man as head of the government, in a post of 2019
        ("Председатель правительства Дмитрий Медведев в 2019 году обсудил нацпроект «Образование».", "explicit"),
    ],
)
def test_a_post_of_the_medvedev_and_fursenko_years_speaks_of_the_priority_project(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


# ---- «Земский учитель» without its name, and federal money that finishes a building ----


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Учитель, переехавший в сельскую школу, получит единовременную выплату в миллион рублей.", "implicit"),
        ("Педагог из Иркутска переехала в посёлок и получила 1 млн рублей подъёмных.", "implicit"),
        # a million for a school, a town teacher's prize, another country's payment
        ("Сельская школа выиграла грант в миллион рублей на новую библиотеку.", "none"),
        ("Учитель городской гимназии получил премию 200 тысяч рублей.", "none"),
        ("В Казахстане учителям, переехавшим в село, выплатят миллион тенге.", "none"),
        ("Ветерану педагогического труда из села Ключи прислали миллион поздравлений.", "none"),
        ("Педагоги сельских школ получили по 1 млн рублей за победу в конкурсе лучших школ.", "none"),
        ("В сельскую школу приехала молодая учительница: ей выплатят миллион рублей.", "implicit"),
    ],
)
def test_a_million_for_a_teacher_who_moves_to_a_village(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


def test_federal_money_to_finish_a_school_is_building() -> None:
    matcher = Matcher(today=date(2026, 3, 1))
    assert matcher.match("", "Из федерального бюджета выделено 500 млн рублей, чтобы достроить школу на 800 мест.").label == "implicit"
    assert matcher.match("", "Подрядчик обещает достроить школу на 800 мест к осени.").label == "none"


def test_the_words_federal_project_date_an_undated_text_from_2019() -> None:
    matcher = Matcher(today=date(2026, 3, 1))
    text = ("Концепция 2001 года устарела. Федеральный проект «Патриотическое воспитание граждан Российской "
            "Федерации» теперь объединяет школьные музеи.")
    assert matcher.match("", text).label == "implicit"
    # a dated old post, and a name with no «федеральный проект» before it, keep the year rule
    assert matcher.match("", text, published=date(2003, 5, 1)).label == "none"
    assert matcher.match("", "Концепция 2001 года ставит патриотическое воспитание граждан Российской Федерации во главу угла.").label == "none"


# ---- more formats: a building opened with words between, nursery places created, a person from a town ----


@pytest.mark.parametrize(
    ("text", "built"),
    [
        ("В Усолье открылась вторая за этот год модельная библиотека.", True),
        ("В посёлке открылся после долгого перерыва бассейн.", True),
        # a club opened in a kindergarten is not a building
        ("В нашем детском саду открылся новый кружок для детей.", False),
        ("В субботу открылась выставка рисунков в библиотеке.", False),
        # equipment is no building («оснащён новым оборудованием»), a repaired hall still is
        ("Кабинет информатики оснащён новыми ноутбуками.", False),
        ("Спортзал отремонтирован и оснащён новыми тренажёрами.", True),
        # health buildings of the regional news
        ("В селе открыли новый ФАП.", True),
        ("В посёлке построена поликлиника на 200 посещений.", True),
        ("Фельдшер ФАП провёл беседу со школьниками.", False),
    ],
)
def test_a_building_opened_with_words_between(dated: Matcher, text: str, built: bool) -> None:
    assert ("object_built" in explicit_formats(dated, text)) is built


@pytest.mark.parametrize(
    ("text", "helped"),
    [
        # places created are a capacity (the consolidated guide's H3, as the real labels of three sets say) ...
        ("С начала года в районе появилось 240 новых ясельных мест для малышей.", False),
        ("В детских садах области создано 1 200 дополнительных мест.", False),
        # places of additional education, a kindergarten's capacity, places still planned
        ("В школах созданы 150 новых мест дополнительного образования детей.", False),
        ("Детский сад на 220 мест построен в микрорайоне.", False),
        ("В яслях будут созданы 60 мест.", False),
        # ... the children who got them are people helped (H1), and so are the staff taken on
        ("В новые ясельные группы приняли 40 малышей.", True),
        ("Для новых групп приняты на работу 6 воспитателей.", True),
    ],
)
def test_places_created_are_a_capacity_the_children_enrolled_are_helped(dated: Matcher, text: str, helped: bool) -> None:
    assert ("people_helped" in explicit_formats(dated, text)) is helped


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("Ольга Смирнова из Тулуна, выигравшая грант на мастерскую, рассказала, как писала заявку.", True),
        # an official introduced the same way, and a name with neither words of their own nor a win (a winner
        # from a town is a story since natmon-matcher/1.9: the real labels of fresh3 and fresh5 say so)
        ("Министр образования Ольга Смирнова из Иркутска рассказала о новых школах.", False),
        ("Ольга Смирнова из Тулуна приехала на конкурс.", False),
        ("Ольга Смирнова из Тулуна стала победителем конкурса.", True),
    ],
)
def test_a_person_from_a_town_who_speaks_is_a_success_story(dated: Matcher, text: str, story: bool) -> None:
    assert ("success_story" in explicit_formats(dated, text)) is story


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Центр образования цифрового и гуманитарного профилей открылся в школе села Ключи.", "implicit"),
        ("В центре естественно-научной и технологической направленностей прошёл урок химии.", "implicit"),
        # programmes of that direction, without the centre
        ("Кружки технической и естественно-научной направленности открылись в доме творчества.", "none"),
        ("Центр дополнительного образования ведёт программы естественно-научной направленности.", "none"),
    ],
)
def test_the_growth_point_centre_by_its_official_name(dated: Matcher, text: str, label: str) -> None:
    m = dated.match("", text)
    assert m.label == label
    assert ("Точка роста" in m.federal_projects) is (label == "implicit")


def test_the_growth_point_centre_by_its_official_name_only_from_2019(dated: Matcher) -> None:
    text = "Центр образования цифрового и гуманитарного профилей открылся в школе."
    assert dated.match("", text, published=date(2017, 9, 1)).label == "none"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Национальный проект нашей семьи — дача и огород.", "none"),
        ("Ремонт кухни стал нацпроектом моей семьи на всё лето.", "none"),
        ("Нацпроект нашего класса — посадить сто деревьев.", "none"),
        # a country's, a region's projects, and a named project that helped a family
        ("Национальные проекты нашей страны меняют жизнь в сёлах.", "explicit"),
        ("Нацпроекты нашей области выполнены полностью.", "explicit"),
        ("Национальный проект «Семья» нашей семье помог получить выплату.", "explicit"),
    ],
)
def test_a_national_project_of_ones_own_family_is_a_metaphor(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Область получила 300 млн рублей из федерального бюджета. Эти средства позволят достроить школу на 800 мест.",
         "implicit"),
        # federal money for something else, and the school paid by the region
        ("Область получила 300 млн рублей из федерального бюджета на дороги. Школу на 800 мест достроят к осени на средства области.",
         "none"),
    ],
)
def test_federal_money_named_in_the_sentence_before_the_building(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


@pytest.mark.parametrize(
    ("text", "story"),
    [
        # a news source named by the surname alone, with no title near
        ("«В этом году оснастили семнадцать школ искусств», — сказала Лаптева.", False),
        ("«Работы закончат к осени», — отметил Кобзев.", False),
        # a pupil named by the first name
        ("«Теперь я хочу стать инженером», — говорит Дарья, ученица 10 класса.", True),
        ("«В новом классе светло и тепло», — улыбается Никита.", True),
    ],
)
def test_a_speaker_named_by_the_surname_alone_is_a_news_source(dated: Matcher, text: str, story: bool) -> None:
    assert ("success_story" in explicit_formats(dated, text)) is story
