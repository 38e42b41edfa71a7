"""Which single-host channels (Telegram, OK, MAX) a night visits, by their recent posting rate.

t.me, api.ok.ru and the MAX API are one host each for a whole region, so their channels queue
for it and set the night's length. A channel that posts once a week need not be fetched every
night: its visits are spaced by its recent posting rate (from the posts already stored), never
more than `max_days` apart, and every channel is visited on the night before each report deadline
(and the night of it), so a report misses nothing; a post of a rarely visited channel only reaches
the preview a night or two later. Pure logic: the store gives the history, the job the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from crawler.shares import stable_hash

RATE_WINDOW_DAYS = 30  # how far back the posting rate is counted


@dataclass(slots=True, frozen=True)
class History:
    """What the store knows of a channel: its last successful visit and its posts in the rate window."""

    last_success: datetime | None
    recent_posts: int
    failed: bool = False  # the last crawl of the channel failed: tried again the next night


def interval_nights(recent_posts: int, window_days: float, max_days: int) -> int:
    """Nights between visits: the mean time between two posts rounded to whole nights, at least 1, at most
    `max_days` (a channel posting every other day is visited every other night)."""
    if max_days <= 1 or window_days <= 0:
        return 1
    if recent_posts <= 0:
        return max_days
    return max(1, min(max_days, round(window_days / recent_posts)))


def deadline_near(today: date, deadlines: Iterable[date]) -> bool:
    """The night before a deadline or the deadline's own night (a crawl after midnight)."""
    return any(0 <= (deadline - today).days <= 1 for deadline in deadlines)


def is_due(kind: str, address: str, history: History | None, *, today: date, tz: ZoneInfo, window_days: float,
           max_days: int, deadlines: Iterable[date] = ()) -> bool:
    """Whether tonight's crawl visits the channel.

    A channel never crawled successfully, whose last crawl failed, crawled again the same day (a rerun by hand), overdue by its
    interval or near a deadline is visited. Otherwise it is visited on its own nights: a channel with an
    interval of k nights has a fixed phase among k nights (a stable hash), so the channels of one
    interval spread evenly over the nights instead of all coming back together after a first crawl.
    """
    if history is None or history.last_success is None or history.failed:
        return True
    if deadline_near(today, deadlines):
        return True
    nights = (today - history.last_success.astimezone(tz).date()).days
    interval = interval_nights(history.recent_posts, window_days, max_days)
    if nights <= 0 or nights >= interval:
        return True
    return (today.toordinal() + stable_hash("revisit", kind, address)) % interval == 0


__all__ = ["History", "RATE_WINDOW_DAYS", "interval_nights", "deadline_near", "is_due"]
