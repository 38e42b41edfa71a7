"""The date a post speaks from: its publication date, else the years it mentions, else today.

Which programmes count depends on it: the Pushkin card belongs to a national project only
from 2025, and a «национальный проект» written before the national projects of 2019+ were
set (the May 2018 decree) is the 2006–2018 priority project.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# The decree that set the national projects of 2019+ (Указ № 204, 7 May 2018).
NATIONAL_PROJECTS_FROM = date(2018, 5, 7)
# National projects (and the federal projects and brands inside them) run from 2019.
PROGRAMMES_FROM_YEAR = 2019
_ISO_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_RU_RE = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})")

PublishedAt = date | datetime | str | None


def publication_date(value: PublishedAt) -> date | None:
    """A date from a date, a datetime or a string (ISO «2025-03-01…» or «01.03.2025»); None if unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = _ISO_RE.match(value)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _RU_RE.match(value)
        if not m:
            return None
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def reference_year(published: date | None, text_years: frozenset[int], today: date) -> int:
    """The year a post speaks from: published, else the latest year it mentions (not in the future), else today."""
    if published is not None:
        return published.year
    past = [y for y in text_years if y <= today.year]
    return max(past) if past else today.year


def before_national_projects(published: date | None, years_before: list[int]) -> bool:
    """A «национальный проект» written before the national projects of 2019+ existed is the priority one.

    With a publication date, the date decides. Without one, a year said just before the words
    («в 2008 году в рамках национального проекта») decides: years elsewhere in a post are often
    about something else («выпускники 2004 года»).
    """
    if published is not None:
        return published < NATIONAL_PROJECTS_FROM
    return bool(years_before) and max(years_before) < NATIONAL_PROJECTS_FROM.year
