"""The record of report sendings (table `sendings`) and its audit trail (`audit_log`).

Every attempt is kept, successful or not, so the regional centre can be told what was sent,
when, to whom, what the mail server answered and which file (by its sha256) went out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, select

from crawler import schema as t
from reports import ReportError

SENT, FAILED = "sent", "failed"
AUDIT_ACTION = "send"


@dataclass(slots=True, frozen=True)
class SendingRecord:
    """One attempt to send a report; `municipality` None is the regional workbook."""

    id: int
    municipality: str | None
    deadline: date
    recipient: str
    status: str  # sent | failed
    at: datetime
    smtp_response: str
    file_name: str
    checksum: str


def municipality_id(conn: Connection, name: str | None) -> int | None:
    """The store's id of a municipality (None for the region); the store must know it."""
    if name is None:
        return None
    found = conn.execute(select(t.municipalities.c.id).where(t.municipalities.c.name == name)).scalar()
    if found is None:
        raise ReportError(f"Муниципалитета «{name}» нет в хранилище; выполните natmon crawl и повторите")
    return int(found)


def _query(campaign_id: str) -> Select[Any]:
    s, m = t.sendings, t.municipalities
    return (select(s, m.c.name.label("municipality")).outerjoin(m, s.c.municipality_id == m.c.id)
            .where(s.c.campaign == campaign_id).order_by(s.c.at, s.c.id))


def _record(row: Mapping[str, Any]) -> SendingRecord:
    return SendingRecord(int(row["id"]), row["municipality"], date.fromisoformat(row["deadline"]), row["recipient"],
                         row["status"], row["at"], row["smtp_response"], row["file_name"], row["checksum"])


def records(engine: Engine, campaign_id: str) -> list[SendingRecord]:
    """All attempts of a campaign, oldest first."""
    with engine.connect() as conn:
        return [_record(row) for row in conn.execute(_query(campaign_id)).mappings()]


def first_sent(engine: Engine, campaign_id: str, deadline: date, municipality: str | None) -> SendingRecord | None:
    """The first successful sending of this report, if any."""
    s = t.sendings
    with engine.connect() as conn:
        m_id = municipality_id(conn, municipality)
        query = _query(campaign_id).where(s.c.deadline == deadline.isoformat(), s.c.status == SENT,
                                          s.c.municipality_id.is_(None) if m_id is None
                                          else s.c.municipality_id == m_id)
        row = conn.execute(query).mappings().first()
    return _record(row) if row else None


def save(engine: Engine, campaign_id: str, deadline: date, municipality: str | None, who: str, at: datetime,
         recipient: str, status: str, smtp_response: str, file_name: str, checksum: str) -> SendingRecord:
    """Record one attempt and its audit row in one transaction."""
    with engine.begin() as conn:
        m_id = municipality_id(conn, municipality)
        sending_id = int(conn.execute(t.sendings.insert().values(
            campaign=campaign_id, deadline=deadline.isoformat(), municipality_id=m_id, who=who, at=at,
            recipient=recipient, status=status, smtp_response=smtp_response, file_name=file_name,
            checksum=checksum)).inserted_primary_key[0])
        conn.execute(t.audit_log.insert().values(
            at=at, who=who, action=AUDIT_ACTION, municipality_id=m_id,
            details={"sending_id": sending_id, "campaign": campaign_id, "deadline": deadline.isoformat(),
                     "region": municipality is None, "recipient": recipient, "status": status,
                     "smtp_response": smtp_response, "file_name": file_name, "checksum": checksum}))
    return SendingRecord(sending_id, municipality, deadline, recipient, status, at, smtp_response, file_name,
                         checksum)


__all__ = ["SendingRecord", "SENT", "FAILED", "records", "first_sent", "save", "municipality_id"]
