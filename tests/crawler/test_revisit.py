"""Which Telegram (OK, MAX) channels a night visits: by posting rate, never too far apart, all before a deadline."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.revisit import History, interval_nights, is_due

TZ = ZoneInfo("Asia/Irkutsk")
TODAY = date(2026, 3, 10)
ADDRESSES = [f"school_{i:03d}" for i in range(300)]


def visited(nights_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=nights_ago), time(2, 30), tzinfo=TZ)


def due(address: str, history: History | None, today: date = TODAY, deadlines=(), max_days: int = 3) -> bool:
    return is_due("telegram", address, history, today=today, tz=TZ, window_days=30, max_days=max_days,
                  deadlines=deadlines)


@pytest.mark.parametrize(("posts", "nights"), [(60, 1), (30, 1), (21, 1), (20, 2), (15, 2), (12, 2), (10, 3), (8, 3), (1, 3), (0, 3)])
def test_the_interval_follows_the_posting_rate_and_is_capped(posts, nights):
    assert interval_nights(posts, 30, 3) == nights


def test_a_setting_of_one_night_visits_every_channel_every_night():
    assert all(due(address, History(visited(1), 0), max_days=1) for address in ADDRESSES)


def test_a_channel_never_crawled_is_visited():
    assert due("new_channel", None) and due("new_channel", History(None, 0))


def test_a_channel_whose_last_crawl_failed_is_tried_again_the_next_night():
    assert all(due(address, History(visited(2), 1, failed=True)) for address in ADDRESSES)
    assert not all(due(address, History(visited(2), 1)) for address in ADDRESSES)


def test_a_daily_channel_is_visited_every_night():
    assert all(due(address, History(visited(1), 45)) for address in ADDRESSES)


def test_a_rerun_the_same_day_visits_everything():
    assert all(due(address, History(visited(0), 0)) for address in ADDRESSES)


def test_a_quiet_channel_is_never_left_longer_than_the_cap():
    # over many nights, each channel crawled only when due: the gap never exceeds 3 nights
    for address in ADDRESSES[:60]:
        last = TODAY
        gaps = []
        for offset in range(1, 40):
            night = TODAY + timedelta(days=offset)
            history = History(datetime.combine(last, time(2, 0), tzinfo=TZ), 0)
            if due(address, history, today=night):
                gaps.append((night - last).days)
                last = night
        assert gaps and max(gaps) <= 3


def test_channels_of_one_rate_spread_over_the_nights_after_a_first_crawl():
    # every channel crawled last night (a first crawl) posting every other day: about half come back
    # tonight and the other half tomorrow, not all of them on one night
    tonight = [due(address, History(visited(1), 15)) for address in ADDRESSES]
    assert 0.35 < sum(tonight) / len(tonight) < 0.65
    # the half skipped tonight is overdue tomorrow, the half visited tonight is not due tomorrow
    tomorrow = TODAY + timedelta(days=1)
    for address, went in zip(ADDRESSES, tonight):
        last = visited(0) if went else visited(1)
        assert due(address, History(last, 15), today=tomorrow) is (not went)


def test_every_channel_is_visited_on_the_night_before_a_deadline_and_on_its_night():
    deadline = TODAY + timedelta(days=1)
    assert all(due(address, History(visited(1), 1), deadlines=[deadline]) for address in ADDRESSES)
    assert all(due(address, History(visited(1), 1), today=deadline, deadlines=[deadline]) for address in ADDRESSES)
    # two nights before it, the rate decides again
    earlier = [due(address, History(visited(1), 1), deadlines=[TODAY + timedelta(days=2)]) for address in ADDRESSES]
    assert not all(earlier)


def test_the_night_is_counted_in_the_region_s_time_zone():
    # 23:30 in Moscow is already the next day in Irkutsk: a crawl at 02:00 Irkutsk time that day is a rerun
    late = datetime.combine(TODAY - timedelta(days=1), time(23, 30), tzinfo=ZoneInfo("Europe/Moscow"))
    assert all(due(address, History(late, 0)) for address in ADDRESSES)
