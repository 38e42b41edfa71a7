"""Several national projects named in one list after the general word (examples in our own words)."""

from __future__ import annotations

import pytest

from matching import Matcher

GENERAL = "нацпроекты (в целом)"


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("Лицей вошёл в нацпроекты «Образование»; «Демография» — по ним закуплены тренажёры.",
         ("Образование", "Демография")),
        ("При поддержке национальных проектов «Культура» и «Образование», а также «Демография» обновили клуб.",
         ("Культура", "Образование", "Демография")),
        ("Наш сад участвует в национальных проектах:\n1. «Образование»\n2. «Демография»\n3. «Культура»",
         ("Образование", "Демография", "Культура")),
    ],
)
def test_every_name_of_a_list_is_a_project(dated: Matcher, text: str, projects: tuple[str, ...]) -> None:
    m = dated.match("", text, published="2024-04-10")
    assert (m.label, m.projects) == ("explicit", projects)
    assert {e.target for e in m.evidence} >= set(projects)  # each name is shown as evidence


def test_a_numbered_item_that_ends_its_sentence_keeps_the_next_item_apart(dated: Matcher) -> None:
    text = "Планы на неделю:\n1. Классный час о нацпроектах.\n2. Спектакль «Семья» в актовом зале."
    m = dated.match("", text, published="2025-04-10")
    assert (m.label, m.projects) == ("explicit", (GENERAL,))


def test_a_number_with_a_period_inside_a_line_still_ends_a_sentence(dated: Matcher) -> None:
    text = "Говорили о нацпроектах в 10 классе в 2025. «Семья» — так назвали выставку рисунков."
    m = dated.match("", text, published="2025-04-10")
    assert m.projects == (GENERAL,)


def test_a_semicolon_before_a_name_outside_the_project_list_adds_nothing(dated: Matcher) -> None:
    text = "Школа — участник нацпроекта «Образование»; «Весёлые старты» прошли в спортзале."
    m = dated.match("", text, published="2024-04-10")
    assert m.projects == ("Образование",)
