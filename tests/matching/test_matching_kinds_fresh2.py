"""Kinds of real-world wording found by the second fresh held-out set (issue #14, matcher 1.6), each in
our own words, with the look-alikes that keep its rule honest."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import ABOUT, explicit_formats

# ---- object built: an opening still ahead, works just begun, and finished works named by a noun ----


@pytest.mark.parametrize(
    "text",
    [
        # a building that opens after its repair, but only in the future
        "После капитального ремонта в сентябре откроется гимназия № 4.",
        "В посёлке Листвянка откроют новый фельдшерский пункт.",
        # works that have only begun
        "В микрорайоне начали строить новое здание для лицея.",
        "Подрядчик начал капитальный ремонт корпуса колледжа.",
        # almost finished, said with an active verb
        "Колледж почти завершил ремонт общежития, осталось завезти мебель.",
    ],
)
def test_an_opening_ahead_or_works_just_begun_are_no_object_built(dated: Matcher, text: str) -> None:
    assert "object_built" not in explicit_formats(dated, text)


@pytest.mark.parametrize(
    "text",
    [
        "В Усть-Куте завершилась модернизация районной библиотеки.",
        "В сельском клубе прошёл капитальный ремонт.",
        "Завершена реконструкция спортивного зала гимназии.",
        # a new building that opened (past tense) stays built
        "После ремонта открылась детская школа искусств.",
    ],
)
def test_finished_modernisation_or_a_repair_that_took_place_is_object_built(dated: Matcher, text: str) -> None:
    assert "object_built" in explicit_formats(dated, text)


# ---- before and after told in words ----


@pytest.mark.parametrize(
    ("text", "both"),
    [
        ("До ремонта в спортзале протекала крыша и гнили полы. Теперь здесь светло и сухо.", True),
        ("До капремонта окна не открывались. Сейчас в классах новые рамы.", True),
        ("Раньше здесь был заросший пустырь, а жители сами косили траву.", True),
        ("На этом месте раньше стоял старый склад.", False),  # no «здесь был» turn: the words alone are not enough
        # «до ремонта» as a time, with no state now
        ("До ремонта осталось две недели, подрядчик уже завёз материалы.", False),
        ("Прежде чем начать занятия, ребята прошли инструктаж.", False),
    ],
)
def test_before_and_after_told_in_words(dated: Matcher, text: str, both: bool) -> None:
    assert ("before_after" in explicit_formats(dated, text)) is both


# ---- people helped: teachers who raised their qualification ----


@pytest.mark.parametrize(
    ("text", "helped"),
    [
        ("Более 800 учителей района повысили квалификацию на курсах по цифровым технологиям.", True),
        ("Около 1,2 тысячи воспитателей повысили свою квалификацию за год.", True),
        # a plan, not a result
        ("В будущем году 500 педагогов смогут повысить квалификацию.", False),
        # raising something else is no help to people
        ("120 школьников повысили уровень знаний по математике.", False),
    ],
)
def test_teachers_who_raised_their_qualification_are_people_helped(dated: Matcher, text: str, helped: bool) -> None:
    assert ("people_helped" in explicit_formats(dated, text)) is helped


# ---- region changed: a place transformed ----


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("С каждым годом наше село преображается: новые тротуары, освещение, спортплощадки.", True),
        ("Преображаются города и посёлки области.", True),
        ("За последние годы район заметно преобразился.", True),
        ("Поселение стало свидетелем больших изменений в культурной жизни.", True),
        # a room or a person transformed is no place
        ("После покраски класс преобразился.", False),
        ("Участники конкурса преобразились в героев сказок.", False),
    ],
)
def test_a_place_transformed_is_region_changed(dated: Matcher, text: str, changed: bool) -> None:
    assert ("region_changed" in explicit_formats(dated, text)) is changed


def test_a_before_told_in_words_is_not_the_campaign_rubric(dated: Matcher) -> None:
    told = dated.match("", "До ремонта в зале текла крыша. Теперь здесь сухо." + ABOUT)
    rubric = dated.match("", "Было — стало: зал после ремонта." + ABOUT)
    assert "before_after" in told.formats and not told.campaign
    assert "before_after" in rubric.formats and rubric.campaign


# ---- labels ----


@pytest.mark.parametrize(
    ("text", "label", "projects"),
    [
        # the project named as the President's, without the нац- word
        ("Школу ремонтируют в рамках президентского проекта «Демография».", "explicit", ("Демография",)),
        ("Президентские проекты «Культура» помогают сельским клубам.", "explicit", ("Культура",)),
        # a President's project with no project's name is nothing
        ("Президентский проект по поддержке кружков стартовал в гимназии.", "none", ()),
        ("Ученики защитили президентский проект о здоровом питании.", "none", ()),
    ],
)
def test_the_presidents_project_named(dated: Matcher, text: str, label: str, projects: tuple[str, ...]) -> None:
    m = dated.match("", text)
    assert (m.label, m.projects) == (label, projects)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a federal project named by what it does, or the President's initiative, pays for a school's repair
        ("Спортзалы двух сельских школ отремонтированы по федеральному проекту ремонта сельских спортзалов.", "implicit"),
        ("Гимназию капитально отремонтировали по инициативе Президента России.", "implicit"),
        # a regional project, or the President's words without money or a programme, are not
        ("Спортзалы двух сельских школ отремонтированы по региональному проекту.", "none"),
        ("Президент выступил с инициативой, а школа провела ремонт своими силами.", "none"),
        # the federal target programme of rural development (before 2020) is a state programme
        ("Новая сельская школа построена по федеральной программе «Устойчивое развитие сельских территорий».", "none"),
    ],
)
def test_repair_paid_by_a_federal_project_or_the_presidents_initiative(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("С января в детском саду № 3 открывается группа для детей с восьми месяцев.", "implicit"),
        ("В Ангарске открываются ясельные группы в новом корпусе детского сада.", "implicit"),
        # an open door for visitors is no group for the youngest
        ("В детском саду открываются двери для гостей на празднике для детей от четырёх лет.", "none"),
    ],
)
def test_a_nursery_group_that_opens_now(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a contest's nominations share a federal project's name
        ("Жюри оценит семьи в номинациях «Многодетная семья», «Семья года» и «Семья – хранитель традиций».", "none"),
        # a party's own project shares a federal project's name
        ("Партия «Единая Россия» ведёт свой проект «Старшее поколение» для ветеранов.", "none"),
        ("В партийном проекте «Старшее поколение» прошла встреча с пенсионерами.", "none"),
        # the federal project itself stays, also when a party is in the sentence but the name is called federal
        ("Бабушки занимаются гимнастикой по проекту «Старшее поколение».", "implicit"),
        ("Депутаты «Единой России» проверили федеральный проект «Старшее поколение».", "implicit"),
        ("Семья Ивановых получила выплату по проекту «Многодетная семья».", "implicit"),
    ],
)
def test_nominations_and_party_projects_with_a_federal_projects_name(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


# ---- success story: a pupil or student named beside their role ----


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("Ученица 10 класса гимназии № 3 города Саянска Полина Ершова стала лауреатом конкурса.", True),
        ("Пятиклассник Роман Демин мечтает стать инженером.", True),
        ("Восьмиклассник Тимур Захаров занял первое место на турнире роботов.", True),
        ("Глеб Смирнов, студент второго курса техникума, выиграл грант на обучение.", True),
        ("Злата Котова (ученица 7 класса) получила грант на своё исследование.", True),
        # a pupil quoted in passing, with no win, prize or dream, is not the story (nor «призналась»)
        ("Семиклассница Ирина Лаптева призналась, что опыты ей понравились.", False),
        # someone else's name near a pupils' word: an inspector, an adviser, a pupil in the genitive
        ("Инспектор Олег Смирнов провёл для учеников урок безопасности.", False),
        ("Ребята встретились с советником директора Мариной Ивановой.", False),
        ("Жюри отметило работу девятиклассницы Алины Петровой о качестве воды.", False),
        # a first name with a patronymic is an adult addressed formally; an official's name is news
        ("Ученики поздравили Ольгу Петровну с праздником.", False),
        ("Министр образования Андрей Волков вручил ученикам аттестаты.", False),
    ],
)
def test_a_pupil_named_beside_their_role_is_a_success_story(dated: Matcher, text: str, story: bool) -> None:
    assert ("success_story" in explicit_formats(dated, text)) is story
