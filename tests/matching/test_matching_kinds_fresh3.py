"""Kinds of real-world wording that the third fresh held-out set showed (issue #14, matcher 1.7), each
written as one general rule and checked on every real and written set at once; the sentences are our
own, with the look-alikes that keep each rule honest."""

from __future__ import annotations

import pytest

from matching import Matcher
from tests.matching.conftest import explicit_formats

# ---- people helped: how the count is written and who the people are ----


@pytest.mark.parametrize(
    ("text", "helped"),
    [
        # a count in words, with «тысячи» or «миллионов» after it
        ("За год почти две тысячи школьников прошли обучение в мобильном технопарке.", True),
        ("Свыше трёх миллионов человек получили выплаты на детей.", True),
        ("Сто пятиклассников получили сертификаты дополнительного образования.", True),
        # people the old word list did not know
        ("В новых кружках занимаются 140 мальчишек и девчонок.", True),
        # participants named before the count
        ("Участниками осенней профильной смены по инженерии стали 45 старшеклассников.", True),
        # more people and more ways of getting help
        ("В новую ясельную группу уже ходят 18 крох.", True),
        ("Выездное обследование прошли 120 сотрудников районной больницы.", True),
        ("За год в центре отучились 300 ребят.", True),
        # a unit of time is no count: «три дня педагоги учились»
        ("Три дня педагоги учились работать с цифровыми лабораториями.", False),
        # «мам» only as a word, not the start of a place name
        ("Ученики 7 класса Мамаканской школы учились моделировать детали.", False),
        # a count of kilograms handed in is no help
        ("Ученики и родители сдали 2 640 кг макулатуры.", False),
        # a date is no count: «15 сентября ученики …»
        ("15 сентября ученики вернулись в свои классы после покраски стен.", False),
        # a capacity is no help
        ("Новый корпус рассчитан на 300 учеников, которые получат отдельные кабинеты.", False),
        # a meeting's audience is an event, not help
        ("Участниками встречи с ветеранами стали 60 человек.", False),
        # a threshold, not a count
        ("Выплату дают семьям с доходом до 2 прожиточных минимумов.", False),
    ],
)
def test_people_helped_counted_in_words_or_named_after_the_count(dated: Matcher, text: str, helped: bool) -> None:
    assert ("people_helped" in explicit_formats(dated, text)) is helped


# ---- object built: verbs, improved territories, plans and organisations ----


@pytest.mark.parametrize(
    ("text", "built"),
    [
        ("В посёлке Мама возвели фельдшерский пункт из клееного бруса.", True),
        ("За лето благоустроены 12 дворовых территорий.", True),
        # a school that «откроет двери» is still ahead
        ("К сентябрю откроет двери новая школа на 600 учеников.", False),
        # an organisation opened is no building
        ("На базе аграрного техникума открыт образовательный кластер.", False),
        ("В районе создано три отраслевых кластера.", False),
    ],
)
def test_object_built_verbs_territories_plans_and_organisations(dated: Matcher, text: str, built: bool) -> None:
    assert ("object_built" in explicit_formats(dated, text)) is built


# ---- region changed: a tally of one kind of result is a list of objects ----


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("За шесть лет в районе построено пять школ и три детских сада.", False),
        ("За шесть лет в районе построено пять школ, новые места получили 900 детей.", True),
    ],
)
def test_a_tally_is_region_changed_only_with_objects_and_people_both(dated: Matcher, text: str, changed: bool) -> None:
    formats = explicit_formats(dated, text)
    assert "object_built" in formats
    assert ("region_changed" in formats) is changed


# ---- video: a TV correspondent, a signed report, clips on air ----


@pytest.mark.parametrize(
    ("text", "video"),
    [
        ("Олег Зимин, корреспондент ГТРК «Прибайкалье»:\n— В школе сегодня праздник.", True),
        ("Подробности у корреспондента телеканала «Город».", True),
        ("Из Киренска репортаж Елены Котовой.", True),
        ("В эфир вышли новые ролики о сельских учителях.", True),
        # a news agency's correspondent, a report in a newspaper's sense, a clip pupils watched
        ("Об этом сообщает корреспондент информационного агентства.", False),
        ("Репортаж из мастерской, где студенты собирают беспилотники.", False),
        ("Ролики о профессиях ребята посмотрели на классном часе.", False),
    ],
)
def test_a_tv_correspondent_a_signed_report_or_clips_on_air_are_video(dated: Matcher, text: str, video: bool) -> None:
    assert ("video" in explicit_formats(dated, text)) is video


# ---- before and after across sentences ----


@pytest.mark.parametrize(
    ("text", "both"),
    [
        ("Раньше в спортзале зимой было холодно. Подрядчик заменил окна и батареи. Теперь уроки идут в тепле.", True),
        ("Прежде библиотека ютилась в двух комнатах. Теперь у неё целый этаж.", True),
        # no state now
        ("Раньше занятия шли в актовом зале, а с осени кружок переедет в новый кабинет.", False),
        # «теперь» in another paragraph does not answer the «раньше»
        ("Раньше мы ездили на соревнования в город.\nТеперь о планах на лето.", False),
    ],
)
def test_before_and_after_across_sentences(dated: Matcher, text: str, both: bool) -> None:
    assert ("before_after" in explicit_formats(dated, text)) is both


# ---- implicit: nurseries and kindergartens ----


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # creating nurseries named as a task
        ("Глава региона назвал создание ясельных групп главной задачей года.", "implicit"),
        # a kindergarten «рассчитан на» its places, with nursery groups, still being built
        ("Детский сад в новом квартале рассчитан на 240 мест, из них три ясельные группы. Стройка идёт по графику.",
         "implicit"),
        # the kindergarten before its building verb
        ("Детский сад для малышей от полутора лет строился два года и в марте введён в эксплуатацию.", "implicit"),
        # no child under three: nothing to do with the nursery projects
        ("Детский сад строился два года и в марте введён в эксплуатацию.", "none"),
        ("В детском саду прошёл утренник для ясельной группы.", "none"),
    ],
)
def test_nurseries_created_and_kindergartens_being_built(dated: Matcher, text: str, label: str) -> None:
    assert dated.match("", text).label == label


def test_nurseries_created_before_2019_belong_to_no_national_project(dated: Matcher) -> None:
    text = "Мэр назвал создание ясельных групп главной задачей года."
    assert dated.match("", text, published="2016-04-01").label == "none"
    assert dated.match("", text, published="2024-04-01").label == "implicit"


# ---- implicit: a school built with federal money, said in other words ----


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Новую школу в селе построят по поручению президента.", "implicit"),
        ("Новую школу в селе построят по поручению губернатора.", "none"),
        # the money named in the sentence after the building's
        ("Возведение корпуса гимназии обошлось в 300 млн рублей. Средства выделены из федерального и областного "
         "бюджетов.", "implicit"),
        ("Возведение корпуса гимназии обошлось в 300 млн рублей. Средства выделены из областного бюджета.", "none"),
        # a school that «строится» with federal money
        ("Школа на 150 мест строится за счёт федеральных и республиканских средств.", "implicit"),
    ],
)
def test_a_school_built_by_the_presidents_order_or_with_federal_money_in_the_next_sentence(
    dated: Matcher, text: str, label: str
) -> None:
    assert dated.match("", text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the state programme pays for a family's house in another paragraph: the school stays implicit
        ("Лицей отремонтировали по федеральной программе.\nА многодетная семья получила дом по госпрограмме "
         "«Комплексное развитие сельских территорий».", "implicit"),
        # the state programme pays for the school itself, said in another paragraph
        ("Средства на ремонт пришли из федерального бюджета.\nЗдание школы отремонтировано по госпрограмме "
         "«Комплексное развитие сельских территорий».", "none"),
        # regional money in the same paragraph still refuses
        ("Лицей отремонтировали, деньги дал областной бюджет. Федеральный бюджет оплатил дорогу.", "none"),
        # another country or a party's project refuses from anywhere in the post
        ("Новости Казахстана за неделю.\nВ городе открылся детский сад с ясельными группами для детей от полутора лет.",
         "none"),
        ("Обзор недели по партпроекту «Крепкая семья».\nВ посёлке открыли ясельную группу для малышей до трёх лет.",
         "none"),
    ],
)
def test_a_state_programme_refuses_a_school_repair_only_when_it_speaks_of_the_school(
    dated: Matcher, text: str, label: str
) -> None:
    assert dated.match("", text).label == label



# ---- a national project called just «проект» or «направление» in a post about national projects ----


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("Что дали району национальные проекты? Начнём с беседы с куратором проекта «Культура».", ("Культура",)),
        ("Нацпроекты в цифрах. По направлению «Экология» район получил два мусоровоза.", ("Экология",)),
        # no national project in the post: a pupils' project named «Семья» stays theirs
        ("Четвероклассники защитили проект «Семья» о своих родословных.", ()),
        # the priority project's years: its «Проект «Образование»» is not today's
        ("В 2006 году стартовали приоритетные национальные проекты. Проект «Образование» дал школам компьютеры.", ()),
    ],
)
def test_a_national_project_called_a_project_or_an_area_in_a_post_about_national_projects(
    dated: Matcher, text: str, projects: tuple[str, ...]
) -> None:
    assert tuple(p for p in dated.match("", text).projects if p != "нацпроекты (в целом)") == projects
