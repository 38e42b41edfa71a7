"""Whether each report of a campaign has reached the regional centre: sent, late, failed, missing, not due.

A report is *sent* when its first successful sending happened on or before the deadline day
(in the region's timezone), *late* when after it; *failed* when every attempt failed;
*missing* when nothing was tried and the deadline day is over; *not_due* otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from crawler.registry import Campaign, Registry
from reports.mail_records import FAILED, SENT, SendingRecord, records
from reports.periods import DATE_FORMAT

TIME_FORMAT = f"{DATE_FORMAT} %H:%M"
REGION_LABEL = "Сводный отчёт региона"
STATE_WORDS = {"sent": "отправлен", "late": "отправлен с опозданием", "failed": "не удалось отправить",
               "missing": "не отправлен, срок прошёл", "not_due": "не отправлен, срок ещё не наступил"}


@dataclass(slots=True, frozen=True)
class StatusRow:
    """One report (a municipality's, or the region's when `municipality` is None) for one deadline."""

    municipality: str | None
    deadline: date
    state: str  # sent | late | failed | missing | not_due
    at: datetime | None  # the sending that decides the state (first success, else the last failure)
    recipient: str

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]

    def describe(self, tz: ZoneInfo) -> str:
        """«отправлен 23.01.2025 15:30 на centre@example.ru» (times in the region's timezone)."""
        if self.at is None:
            return self.words
        return f"{self.words} {self.at.astimezone(tz):{TIME_FORMAT}} на {self.recipient}"


def row_for(attempts: list[SendingRecord], municipality: str | None, deadline: date, today: date,
            tz: ZoneInfo) -> StatusRow:
    """The state of one report from its attempts (oldest first)."""
    sent = [r for r in attempts if r.status == SENT]
    failed = [r for r in attempts if r.status == FAILED]
    if sent:
        first = sent[0]
        state = "late" if first.at.astimezone(tz).date() > deadline else "sent"
        return StatusRow(municipality, deadline, state, first.at, first.recipient)
    if failed:
        return StatusRow(municipality, deadline, "failed", failed[-1].at, failed[-1].recipient)
    return StatusRow(municipality, deadline, "missing" if today > deadline else "not_due", None, "")


def status_rows(attempts: list[SendingRecord], registry: Registry, campaign: Campaign,
                today: date) -> list[StatusRow]:
    """Every municipality of the registry, then the region, for every deadline of the campaign."""
    by_report: dict[tuple[str | None, date], list[SendingRecord]] = {}
    for record in attempts:
        by_report.setdefault((record.municipality, record.deadline), []).append(record)
    names: list[str | None] = [m.name for m in registry.municipalities]
    return [row_for(by_report.get((name, deadline), []), name, deadline, today, registry.timezone)
            for deadline in campaign.deadlines for name in [*names, None]]


def report_state(engine: Engine, registry: Registry, campaign: Campaign, municipality: str | None,
                 deadline: date, today: date) -> StatusRow:
    """The state of one report (a municipality's, or the region's for None), read from the store."""
    attempts = [r for r in records(engine, campaign.id) if r.municipality == municipality and r.deadline == deadline]
    return row_for(attempts, municipality, deadline, today, registry.timezone)


def preview_block(row: StatusRow, tz: ZoneInfo) -> dict[str, str]:
    """What `reports.preview.render_municipality(…, sending=…)` shows: {"state", "text"}."""
    return {"state": row.state, "text": row.describe(tz)}


__all__ = ["StatusRow", "STATE_WORDS", "REGION_LABEL", "row_for", "status_rows", "report_state", "preview_block"]
