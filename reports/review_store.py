"""The only writes reports make: review decisions and manual entries (never posts or matches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from crawler import schema as t
from reports.data import latest_reviews


@dataclass(slots=True, frozen=True)
class Decision:
    post_id: int
    decision: str  # confirmed | rejected
    comment: str


@dataclass(slots=True, frozen=True)
class ManualEntry:
    municipality_id: int
    institution_id: int | None
    channel: str
    url: str
    description: str
    published_on: date


def current_decisions(engine: Engine, post_ids: list[int]) -> dict[int, dict[str, Any]]:
    with engine.connect() as conn:
        return latest_reviews(conn, post_ids)


def save(engine: Engine, decisions: list[Decision], entries: list[ManualEntry], who: str,
         now: datetime) -> tuple[int, int]:
    """In one transaction: a review row per decision that differs from the latest one, and the
    manual entries not already stored. Returns (reviews added, entries added)."""
    reviews_added = entries_added = 0
    with engine.begin() as conn:
        latest = latest_reviews(conn, [d.post_id for d in decisions])
        for item in decisions:
            before = latest.get(item.post_id)
            if before and before["decision"] == item.decision and (before["comment"] or "") == item.comment:
                continue
            conn.execute(t.reviews.insert().values(post_id=item.post_id, decision=item.decision, who=who, at=now,
                                                   comment=item.comment))
            reviews_added += 1
        e = t.manual_entries
        for entry in entries:
            same = select(e.c.id).where(
                e.c.municipality_id == entry.municipality_id, e.c.channel == entry.channel, e.c.url == entry.url,
                e.c.description == entry.description, e.c.published_on == entry.published_on.isoformat(),
                e.c.institution_id.is_(None) if entry.institution_id is None else e.c.institution_id == entry.institution_id)
            if conn.execute(same).first() is not None:
                continue
            conn.execute(e.insert().values(municipality_id=entry.municipality_id, institution_id=entry.institution_id,
                                           channel=entry.channel, url=entry.url, description=entry.description,
                                           published_on=entry.published_on.isoformat(), who=who, at=now))
            entries_added += 1
    return reviews_added, entries_added


__all__ = ["Decision", "ManualEntry", "current_decisions", "save"]
