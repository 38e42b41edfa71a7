"""The date a post speaks from decides what counts: its publication date, else the years it names, else today."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from matching import Matcher
from matching.dates import publication_date

PUSHKIN = "Оформите Пушкинскую карту и приходите на спектакль всем классом."


@pytest.mark.parametrize(
    ("published", "label"),
    [
        (date(2024, 12, 31), "none"),
        (date(2025, 1, 10), "implicit"),
        (datetime(2025, 5, 1, 9, 30, tzinfo=timezone.utc), "implicit"),
        ("2023-09-01T10:00:00+08:00", "none"),
        ("2025-09-01", "implicit"),
        ("01.09.2025", "implicit"),
    ],
)
def test_pushkin_card_counts_from_2025_by_publication_date(dated: Matcher, published: object, label: str) -> None:
    assert dated.match("", PUSHKIN, published=published).label == label  # type: ignore[arg-type]


def test_publication_date_outweighs_years_in_the_text(dated: Matcher) -> None:
    text = "В 2025 году карту можно будет потратить и на кино. Оформите Пушкинскую карту!"
    assert dated.match("", text).label == "implicit"
    assert dated.match("", text, published="2024-11-20").label == "none"


def test_without_a_date_the_years_in_the_text_decide_else_today() -> None:
    assert Matcher(today=date(2026, 3, 1)).match("", "Пушкинская карта в 2023 году: итоги.").label == "none"
    assert Matcher(today=date(2026, 3, 1)).match("", PUSHKIN).label == "implicit"
    assert Matcher(today=date(2024, 3, 1)).match("", PUSHKIN).label == "none"
    # a year still to come is a plan, not the post's date
    assert Matcher(today=date(2024, 3, 1)).match("", "Пушкинскую карту в 2030 году ждут перемены.").label == "none"


def test_a_national_project_before_2018_is_the_priority_project(dated: Matcher) -> None:
    text = "Школа получила миллион рублей по национальному проекту «Образование»."
    old = dated.match("", text, published="2009-04-15")
    assert old.label == "none"
    assert any(e.kind == "false_friend" and "2006–2018" in e.target for e in old.evidence)
    assert dated.match("", text, published="2020-04-15").label == "explicit"
    assert dated.match("", text).label == "explicit"


def test_without_a_date_a_year_just_before_the_words_decides(dated: Matcher) -> None:
    assert dated.match("", "В 2008 году по национальному проекту «Образование» школа получила компьютеры.").label == "none"
    # a year elsewhere in the sentence is about something else
    text = "Книги закуплены по национальному проекту «Образование», а часть подарили выпускники 2004 года."
    assert dated.match("", text).label == "explicit"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01", date(2025, 3, 1)),
        ("2025-03-01T23:10:00Z", date(2025, 3, 1)),
        ("1.3.2025", date(2025, 3, 1)),
        ("вчера", None),
        ("2025-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_publication_date_reading(value: str | None, expected: date | None) -> None:
    assert publication_date(value) == expected


def test_a_date_refusal_is_listed_as_evidence(dated: Matcher) -> None:
    m = dated.match("", PUSHKIN, published="2023-05-01")
    assert m.label == "none"
    assert [e.phrase for e in m.evidence if e.kind == "false_friend"] == ["Пушкинскую карту"]
