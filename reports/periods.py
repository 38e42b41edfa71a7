"""Reporting periods of a campaign, derived from its deadlines.

The report due on a deadline covers the posts whose LOCAL publication date (the region's
timezone) falls after the previous deadline, up to and including the deadline itself; the
first period starts on the campaign's start date. Running totals count from the start.

Where the deadline day itself belongs is a `BoundaryRule`:

* ``BoundaryRule.INCLUDE_DEADLINE`` (default): the deadline day closes its own period,
  e.g. 14.01–24.01 for the deadline 24.01;
* ``BoundaryRule.DEADLINE_STARTS_NEXT``: the deadline day opens the next period (the report
  is written on that day), e.g. 13.01–23.01 for the deadline 24.01.

Posts after the period of the last deadline (or before the campaign start) are in no period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Sequence
from zoneinfo import ZoneInfo

from crawler.registry import Campaign
from reports import ReportError

DATE_FORMAT = "%d.%m.%Y"
ONE_DAY = timedelta(days=1)


class BoundaryRule(str, Enum):
    """Which period the deadline day belongs to."""

    INCLUDE_DEADLINE = "include"  # the deadline day closes the period ending on it
    DEADLINE_STARTS_NEXT = "next"  # the deadline day opens the next period


DEFAULT_RULE = BoundaryRule.INCLUDE_DEADLINE


@dataclass(slots=True, frozen=True)
class Period:
    """One reporting period: dates are local and both ends are inclusive."""

    index: int  # 1-based
    start_date: date
    end_date: date
    deadline: date
    label: str  # «по 24.01.2025»
    campaign_start: date  # running totals count from here

    def contains(self, local_date: date) -> bool:
        return self.start_date <= local_date <= self.end_date

    @property
    def span(self) -> str:
        """«14.01.2025 – 24.01.2025» for headers."""
        return f"{self.start_date:{DATE_FORMAT}} – {self.end_date:{DATE_FORMAT}}"


def label_for(deadline: date) -> str:
    return f"по {deadline:{DATE_FORMAT}}"


def periods(campaign: Campaign, rule: BoundaryRule = DEFAULT_RULE) -> list[Period]:
    """The campaign's periods in deadline order."""
    result: list[Period] = []
    start = campaign.start
    for index, deadline in enumerate(campaign.deadlines, start=1):
        end = deadline if rule is BoundaryRule.INCLUDE_DEADLINE else deadline - ONE_DAY
        if end < start:  # a deadline on the start day under DEADLINE_STARTS_NEXT: an empty period
            end = start - ONE_DAY
        result.append(Period(index, start, end, deadline, label_for(deadline), campaign.start))
        start = end + ONE_DAY
    return result


def period_for(all_periods: Sequence[Period], local_date: date) -> Period | None:
    """The period a local date falls in, or None (before the start or after the last deadline)."""
    for period in all_periods:
        if period.contains(local_date):
            return period
    return None


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The region-local calendar day of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(tz).date()


def current_period(campaign: Campaign, today: date, rule: BoundaryRule = DEFAULT_RULE) -> Period:
    """The period whose report is due next: the first not yet over; the last one after the campaign."""
    all_periods = periods(campaign, rule)
    for period in all_periods:
        if today <= period.end_date:
            return period
    return all_periods[-1]


def open_period(campaign: Campaign, today: date, rule: BoundaryRule = DEFAULT_RULE) -> Period | None:
    """The period a report is being collected for today; None once the last period is over.

    Unlike `current_period` (the default period of a report, the last one after the campaign),
    this is what a person may call «текущий»."""
    found = current_period(campaign, today, rule)
    return found if today <= found.end_date else None


def find_period(campaign: Campaign, deadline: str | date | None, today: date,
                rule: BoundaryRule = DEFAULT_RULE) -> Period:
    """The period for a deadline given as a date, «24.01.2025», «2025-01-24» or «24.01»; None → current."""
    if deadline is None or deadline == "":
        return current_period(campaign, today, rule)
    wanted = deadline if isinstance(deadline, date) else parse_deadline(deadline, campaign)
    for period in periods(campaign, rule):
        if period.deadline == wanted:
            return period
    known = ", ".join(f"{d:{DATE_FORMAT}}" for d in campaign.deadlines)
    raise ReportError(f"У кампании «{campaign.id}» нет срока отчёта {wanted:{DATE_FORMAT}}; сроки: {known}")


def parse_deadline(text: str, campaign: Campaign) -> date:
    value = text.strip()
    for pattern in ("%Y-%m-%d", DATE_FORMAT):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            pass
    try:  # «24.01»: the year of the campaign deadline with that day and month
        day_month = datetime.strptime(value, "%d.%m")
    except ValueError:
        raise ReportError(f"Не понимаю срок «{text}»; укажите дату как 24.01.2025 или 2025-01-24") from None
    for deadline in campaign.deadlines:
        if (deadline.day, deadline.month) == (day_month.day, day_month.month):
            return deadline
    return date(campaign.start.year, day_month.month, day_month.day)


__all__ = ["BoundaryRule", "DEFAULT_RULE", "Period", "periods", "period_for", "current_period", "open_period",
           "find_period", "local_date", "label_for", "parse_deadline"]
