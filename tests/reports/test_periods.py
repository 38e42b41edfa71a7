from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.registry import Campaign
from reports import ReportError
from reports.periods import (BoundaryRule, current_period, find_period, local_date, open_period, period_for,
                             periods)

IRKUTSK = ZoneInfo("Asia/Irkutsk")
CAMPAIGN = Campaign("itogi-np-2025", "Итоги реализации нацпроектов", date(2025, 1, 10), date(2025, 3, 31),
                    (date(2025, 1, 13), date(2025, 1, 24), date(2025, 2, 10), date(2025, 2, 21), date(2025, 3, 10),
                     date(2025, 3, 24)), "Центр", "", (), ())


def test_first_period_starts_at_campaign_start_and_each_ends_on_its_deadline() -> None:
    result = periods(CAMPAIGN)
    assert [(p.start_date, p.end_date) for p in result[:3]] == [
        (date(2025, 1, 10), date(2025, 1, 13)), (date(2025, 1, 14), date(2025, 1, 24)),
        (date(2025, 1, 25), date(2025, 2, 10))]
    assert [p.label for p in result] == ["по 13.01.2025", "по 24.01.2025", "по 10.02.2025", "по 21.02.2025",
                                         "по 10.03.2025", "по 24.03.2025"]
    assert [p.index for p in result] == [1, 2, 3, 4, 5, 6]


def test_deadline_day_can_open_the_next_period_instead() -> None:
    result = periods(CAMPAIGN, BoundaryRule.DEADLINE_STARTS_NEXT)
    assert (result[0].start_date, result[0].end_date) == (date(2025, 1, 10), date(2025, 1, 12))
    assert (result[1].start_date, result[1].end_date) == (date(2025, 1, 13), date(2025, 1, 23))


@pytest.mark.parametrize(("utc_time", "rule", "expected"), [
    ("2025-01-24T15:59:00", BoundaryRule.INCLUDE_DEADLINE, "по 24.01.2025"),  # 23:59 on the deadline, Irkutsk
    ("2025-01-24T16:01:00", BoundaryRule.INCLUDE_DEADLINE, "по 10.02.2025"),  # 00:01 next day, Irkutsk
    ("2025-01-24T15:59:00", BoundaryRule.DEADLINE_STARTS_NEXT, "по 10.02.2025"),
    ("2025-01-23T15:59:00", BoundaryRule.DEADLINE_STARTS_NEXT, "по 24.01.2025"),
    ("2025-01-23T16:01:00", BoundaryRule.DEADLINE_STARTS_NEXT, "по 10.02.2025"),
])
def test_posts_around_midnight_fall_by_their_irkutsk_date(utc_time: str, rule: BoundaryRule, expected: str) -> None:
    moment = datetime.fromisoformat(utc_time).replace(tzinfo=timezone.utc)
    found = period_for(periods(CAMPAIGN, rule), local_date(moment, IRKUTSK))
    assert found is not None and found.label == expected


def test_dates_outside_the_campaign_are_in_no_period() -> None:
    all_periods = periods(CAMPAIGN)
    assert period_for(all_periods, date(2025, 1, 9)) is None
    assert period_for(all_periods, date(2025, 3, 25)) is None


@given(st.dates(min_value=date(2025, 1, 10), max_value=date(2025, 3, 24)), st.sampled_from(list(BoundaryRule)))
def test_every_campaign_day_up_to_the_last_deadline_is_in_exactly_one_period(day: date, rule: BoundaryRule) -> None:
    found = [p for p in periods(CAMPAIGN, rule) if p.contains(day)]
    assert len(found) == (0 if rule is BoundaryRule.DEADLINE_STARTS_NEXT and day == date(2025, 3, 24) else 1)


def test_current_period_is_the_next_report_due() -> None:
    assert current_period(CAMPAIGN, date(2025, 1, 20)).label == "по 24.01.2025"
    assert current_period(CAMPAIGN, date(2025, 1, 24)).label == "по 24.01.2025"
    assert current_period(CAMPAIGN, date(2025, 1, 24), BoundaryRule.DEADLINE_STARTS_NEXT).label == "по 10.02.2025"
    assert current_period(CAMPAIGN, date(2024, 12, 1)).index == 1
    assert current_period(CAMPAIGN, date(2025, 6, 1)).index == 6


def test_no_period_is_open_once_the_last_one_is_over() -> None:
    assert open_period(CAMPAIGN, date(2025, 3, 24)).label == "по 24.03.2025"
    assert open_period(CAMPAIGN, date(2025, 3, 25)) is None
    assert open_period(CAMPAIGN, date(2025, 3, 24), BoundaryRule.DEADLINE_STARTS_NEXT) is None
    assert open_period(CAMPAIGN, date(2024, 12, 1)).index == 1  # before the start: the first report is due


@pytest.mark.parametrize("text", ["24.01.2025", "2025-01-24", "24.01", " 24.01.2025 "])
def test_a_deadline_is_understood_in_the_usual_spellings(text: str) -> None:
    assert find_period(CAMPAIGN, text, date(2025, 3, 1)).deadline == date(2025, 1, 24)


def test_an_unknown_deadline_is_refused_with_the_list_of_deadlines() -> None:
    with pytest.raises(ReportError, match="нет срока отчёта 25.01.2025; сроки: 13.01.2025, 24.01.2025"):
        find_period(CAMPAIGN, "25.01.2025", date(2025, 3, 1))
    with pytest.raises(ReportError, match="Не понимаю срок"):
        find_period(CAMPAIGN, "завтра", date(2025, 3, 1))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2025, 1, 24, 12, 0) - timedelta(0), IRKUTSK)
