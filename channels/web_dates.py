"""Publication dates as Russian school sites write them, as timezone-aware datetimes.

Pure: "сегодня" and "вчера" are relative to the `now` the caller passes, and dates
without a zone are local to the region (`tz`).
"""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timedelta, timezone, tzinfo

MIN_YEAR = 1995  # school sites did not exist before; a smaller year is a phone number or an id
FUTURE_SLACK = timedelta(days=2)  # a date without a year further ahead than this is last year's
MONTHS = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
          "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
RELATIVE_DAYS = {"сегодня": 0, "вчера": 1, "позавчера": 2}
AGO_UNITS = {"мин": "minutes", "час": "hours", "дн": "days", "ден": "days", "сек": "seconds"}

_TIME = r"(?:\s*(?:г\.?|года)?\s*(?:[,|/–-]|\bв\b)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                    r"\s*(Z|[+-]\d{2}:?\d{2})?)?(?!\d)")
NUMERIC_RE = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?![\d])\.?" + _TIME)
WORDS_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(январ[ьяе]|феврал[ьяе]|марта?|апрел[ьяе]|ма[йя]|июн[ьяе]|июл[ьяе]|августа?|"
    r"сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]|янв|фев|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)"
    r"(?![а-яё])\.?(?:\s*,?\s*(\d{4}))?" + _TIME, re.I)
RELATIVE_RE = re.compile(r"(позавчера|сегодня|вчера)(?:\s*,?\s*(?:в\s*)?(\d{1,2}):(\d{2}))?", re.I)
AGO_RE = re.compile(r"(\d+)\s*(мин\w*|час\w*|дн\w*|дней|сек\w*)\s+назад", re.I)
RFC822_RE = re.compile(r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s*)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|"
                       r"Aug|Sep|Oct|Nov|Dec)[a-z]*\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*([+-]\d{4}|"
                       r"[A-Z]{1,4}))?")


def parse_date_ru(text: str | None, tz: tzinfo, now: datetime) -> datetime | None:
    """The first publication date found in `text`, aware in `tz` (or its own zone), or None.

    Understands «13 января 2025», «13.01.2025 10:15», «07.03.2018.», «сегодня», «вчера в 14:30»,
    «Сегодня, 16:04», «2 часа назад», ISO 8601 and RFC 822.
    """
    if not text:
        return None
    text = text.replace("\xa0", " ")
    now_local = now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)
    found: list[tuple[int, datetime]] = []
    for pattern, build in _PARSERS:
        for match in pattern.finditer(text):
            value = build(match, tz, now_local)
            if value is not None and MIN_YEAR <= value.year <= now_local.year + 1:
                found.append((match.start(), value))
                break
    if not found:
        return None
    return min(found, key=lambda pair: pair[0])[1]


def _time(match: re.Match[str], first: int) -> tuple[int, int, int]:
    hour, minute, second = match.group(first), match.group(first + 1), match.group(first + 2)
    return (int(hour) if hour else 0, int(minute) if minute else 0, int(second) if second else 0)


def _make(year: int, month: int, day: int, hms: tuple[int, int, int], tz: tzinfo) -> datetime | None:
    try:
        return datetime(year, month, day, *hms, tzinfo=tz)
    except ValueError:
        return None


def _iso(match: re.Match[str], tz: tzinfo, now: datetime) -> datetime | None:
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    value = _make(year, month, day, _time(match, 4), tz)
    zone = match.group(7)
    if value is None or not zone:
        return value
    if zone == "Z":
        offset = timedelta(0)
    else:
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        offset = -offset if zone[0] == "-" else offset

    return value.replace(tzinfo=timezone(offset)).astimezone(tz)


def _numeric(match: re.Match[str], tz: tzinfo, now: datetime) -> datetime | None:
    day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if year < 100:
        year += 2000
    return _make(year, month, day, _time(match, 4), tz)


def _words(match: re.Match[str], tz: tzinfo, now: datetime) -> datetime | None:
    day = int(match.group(1))
    word = match.group(2).lower()
    month = MONTHS.get(word[:3])
    if month is None:
        return None
    if match.group(3):
        return _make(int(match.group(3)), month, day, _time(match, 4), tz)
    value = _make(now.year, month, day, _time(match, 4), tz)
    if value is not None and value > now + FUTURE_SLACK:
        value = _make(now.year - 1, month, day, _time(match, 4), tz)
    return value


def _relative(match: re.Match[str], tz: tzinfo, now: datetime) -> datetime | None:
    day = (now - timedelta(days=RELATIVE_DAYS[match.group(1).lower()])).date()
    hour = int(match.group(2)) if match.group(2) else 0
    minute = int(match.group(3)) if match.group(3) else 0
    return _make(day.year, day.month, day.day, (hour, minute, 0), tz)


def _ago(match: re.Match[str], tz: tzinfo, now: datetime) -> datetime | None:
    word = match.group(2).lower()
    unit = next((name for prefix, name in AGO_UNITS.items() if word.startswith(prefix)), None)
    if unit is None:
        return None
    return now - timedelta(**{unit: int(match.group(1))})


def _rfc822(match: re.Match[str], tz: tzinfo, now: datetime) -> datetime | None:
    try:
        parsed = email.utils.parsedate_tz(match.group(0))
    except (TypeError, ValueError):
        return None
    if parsed is None:
        return None
    value = _make(parsed[0], parsed[1], parsed[2], (parsed[3], parsed[4], parsed[5]), tz)
    if value is None or not match.group(1):
        return value  # no zone written: local time of the region

    return value.replace(tzinfo=timezone(timedelta(seconds=parsed[9]))).astimezone(tz)


_PARSERS = ((ISO_RE, _iso), (RFC822_RE, _rfc822), (NUMERIC_RE, _numeric), (WORDS_RE, _words),
            (RELATIVE_RE, _relative), (AGO_RE, _ago))
