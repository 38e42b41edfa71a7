"""Russian publication dates as school sites write them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from channels.web_dates import parse_date_ru

IRK = ZoneInfo("Asia/Irkutsk")
NOW = datetime(2026, 9, 15, 18, 0, tzinfo=IRK)


@pytest.mark.parametrize(("text", "expected"), [
    ("13 января 2025", datetime(2025, 1, 13, tzinfo=IRK)),
    ("13.01.2025 10:15", datetime(2025, 1, 13, 10, 15, tzinfo=IRK)),
    ("07.03.2018.", datetime(2018, 3, 7, tzinfo=IRK)),
    ("сегодня", datetime(2026, 9, 15, tzinfo=IRK)),
    ("вчера в 14:30", datetime(2026, 9, 14, 14, 30, tzinfo=IRK)),
    ("Сегодня, 16:04", datetime(2026, 9, 15, 16, 4, tzinfo=IRK)),
    ("15 сентября 2026 16:04", datetime(2026, 9, 15, 16, 4, tzinfo=IRK)),
    ("2026-09-15 16:04:27", datetime(2026, 9, 15, 16, 4, 27, tzinfo=IRK)),
    ("Опубликовано: 13 мая 2025 г. в 9:05", datetime(2025, 5, 13, 9, 5, tzinfo=IRK)),
    ("13 янв. 2025", datetime(2025, 1, 13, tzinfo=IRK)),
    ("2 часа назад", NOW - timedelta(hours=2)),
])
def test_russian_forms_are_local_to_the_region(text: str, expected: datetime) -> None:
    assert parse_date_ru(text, IRK, NOW) == expected


def test_zoned_dates_keep_their_instant() -> None:
    found = parse_date_ru("2025-01-13T10:15:00+03:00", IRK, NOW)
    assert found == datetime(2025, 1, 13, 7, 15, tzinfo=timezone.utc)
    assert parse_date_ru("Tue, 3 Jan 2006 19:57:00 +0300", IRK, NOW) == datetime(2006, 1, 3, 16, 57,
                                                                                 tzinfo=timezone.utc)


def test_a_day_without_year_in_the_future_is_last_year() -> None:
    assert parse_date_ru("31 декабря", IRK, NOW) == datetime(2025, 12, 31, tzinfo=IRK)
    assert parse_date_ru("5 марта", IRK, NOW) == datetime(2026, 3, 5, tzinfo=IRK)


def test_today_follows_the_given_now_not_the_clock() -> None:
    assert parse_date_ru("Сегодня, 09:00", IRK, datetime(2020, 2, 29, 12, tzinfo=IRK)) == \
        datetime(2020, 2, 29, 9, tzinfo=IRK)


@pytest.mark.parametrize("text", ["", "Телефон 12.34.5678", "31.02.2025", "Кабинет 205", "1 сентября 1812",
                                  None])
def test_no_date_is_none(text: str | None) -> None:
    assert parse_date_ru(text, IRK, NOW) is None


def test_first_date_in_text_wins() -> None:
    assert parse_date_ru("ПРАЗДНИК 07.03.2018.\n концерт 8 марта", IRK, NOW) == datetime(2018, 3, 7, tzinfo=IRK)
