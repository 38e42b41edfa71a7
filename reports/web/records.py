"""What the web app reads and writes in the store besides the reports' own data.

Each write is one short transaction holding the decision (a `reviews` or `manual_entries`
row) and its `audit_log` row together, so the nightly crawl writing posts at the same time
waits a moment (SQLite busy timeout) instead of losing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

from sqlalchemy import Connection, select

from crawler import schema as t
from crawler.store import Store
from reports.data import latest_reviews
from reports.review_store import ManualEntry

CONFIRMED, REJECTED = "confirmed", "rejected"
DECISIONS = (CONFIRMED, REJECTED)
AUDIT_LIMIT = 500


@dataclass(slots=True, frozen=True)
class PostOwner:
    post_id: int
    municipality_id: int
    municipality: str


@dataclass(slots=True, frozen=True)
class ReviewItem:
    post_id: int
    decision: str  # confirmed | rejected
    comment: str | None  # None keeps the latest review's comment


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def municipalities(store: Store) -> dict[int, str]:
    """Store id → name of every municipality."""
    with store.engine.connect() as conn:
        return {int(row.id): str(row.name) for row in conn.execute(
            select(t.municipalities.c.id, t.municipalities.c.name).order_by(t.municipalities.c.name))}


def institutions(store: Store, municipality_id: int) -> dict[int, str]:
    with store.engine.connect() as conn:
        return {int(row.id): str(row.name) for row in conn.execute(
            select(t.institutions.c.id, t.institutions.c.name)
            .where(t.institutions.c.municipality_id == municipality_id).order_by(t.institutions.c.name))}


def post_owners(store: Store, post_ids: Sequence[int]) -> dict[int, PostOwner]:
    """The municipality each post belongs to (through its channel and institution)."""
    p, c, i, m = t.posts, t.channels, t.institutions, t.municipalities
    query = (select(p.c.id, m.c.id.label("m_id"), m.c.name).join(c, c.c.id == p.c.channel_id)
             .join(i, i.c.id == c.c.institution_id).join(m, m.c.id == i.c.municipality_id)
             .where(p.c.id.in_(list(post_ids))))
    with store.engine.connect() as conn:
        return {int(row.id): PostOwner(int(row.id), int(row.m_id), str(row.name)) for row in conn.execute(query)}


def _audit(conn: Connection, who: str, action: str, municipality_id: int | None, post_id: int | None,
           details: dict[str, Any], now: datetime) -> None:
    conn.execute(t.audit_log.insert().values(at=now, who=who, action=action, municipality_id=municipality_id,
                                             post_id=post_id, details=details))


def audit(store: Store, who: str, action: str, municipality_id: int | None = None, post_id: int | None = None,
          details: dict[str, Any] | None = None, now: datetime | None = None) -> None:
    with store.engine.begin() as conn:
        _audit(conn, who, action, municipality_id, post_id, details or {}, now or utcnow())


def save_reviews(store: Store, items: Sequence[ReviewItem], owners: dict[int, PostOwner], who: str,
                 now: datetime | None = None) -> int:
    """A review row and an audit row per item (the latest review of a post wins); returns rows added.

    An item equal to the post's latest decision and comment adds nothing.
    """
    now = now or utcnow()
    added = 0
    with store.engine.begin() as conn:
        latest = latest_reviews(conn, [item.post_id for item in items])
        for item in items:
            before = latest.get(item.post_id)
            comment = item.comment if item.comment is not None else ((before or {}).get("comment") or "")
            if before and before["decision"] == item.decision and (before["comment"] or "") == comment:
                continue
            conn.execute(t.reviews.insert().values(post_id=item.post_id, decision=item.decision, who=who, at=now,
                                                   comment=comment))
            _audit(conn, who, "review", owners[item.post_id].municipality_id, item.post_id,
                   {"decision": item.decision, "comment": comment,
                    "before": before["decision"] if before else None}, now)
            added += 1
    return added


def current_review(store: Store, post_id: int) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        return latest_reviews(conn, [post_id]).get(post_id)


def add_manual_entry(store: Store, entry: ManualEntry, who: str, now: datetime | None = None) -> int:
    now = now or utcnow()
    with store.engine.begin() as conn:
        result = conn.execute(t.manual_entries.insert().values(
            municipality_id=entry.municipality_id, institution_id=entry.institution_id, channel=entry.channel,
            url=entry.url, description=entry.description, published_on=entry.published_on.isoformat(), who=who,
            at=now))
        entry_id = int(result.inserted_primary_key[0])
        _audit(conn, who, "manual_entry", entry.municipality_id, None,
               {"entry_id": entry_id, "channel": entry.channel, "url": entry.url,
                "description": entry.description, "published_on": entry.published_on.isoformat()}, now)
    return entry_id


def audit_rows(store: Store, municipality_id: int | None, limit: int = AUDIT_LIMIT) -> list[dict[str, Any]]:
    """The newest audit rows, of one municipality or (None) of all."""
    a, m = t.audit_log, t.municipalities
    query = (select(a.c.id, a.c.at, a.c.who, a.c.action, a.c.post_id, a.c.details, a.c.municipality_id,
                    m.c.name.label("municipality")).outerjoin(m, m.c.id == a.c.municipality_id)
             .order_by(a.c.at.desc(), a.c.id.desc()).limit(limit))
    if municipality_id is not None:
        query = query.where(a.c.municipality_id == municipality_id)
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


__all__ = ["PostOwner", "ReviewItem", "DECISIONS", "CONFIRMED", "REJECTED", "municipalities", "institutions",
           "post_owners", "save_reviews", "current_review", "add_manual_entry", "audit", "audit_rows"]
