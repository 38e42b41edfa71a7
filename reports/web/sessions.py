"""Server-side web sessions, kept in the store's `sessions` table.

The cookie carries only a random session id (signed by Starlette's SessionMiddleware); the
store keeps its sha256, the user, the CSRF token and the last few flash messages. Ending a
session deletes its row, so a copied cookie stops working at once: on logout, on a password
change, when a user is disabled, and when a user ends all their sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, update

from crawler import schema as t
from crawler.store import Store

SESSION_ID_BYTES = 32
CSRF_BYTES = 32
MAX_FLASHES = 5  # the newest ones; a client that never follows redirects cannot grow a session
MAX_FLASH_TEXT = 500
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often
MAX_USER_AGENT = 300


@dataclass(slots=True, frozen=True)
class WebSession:
    id_hash: str
    user_id: int
    created_at: datetime
    last_seen: datetime
    expires_at: datetime
    address: str
    user_agent: str
    csrf_token: str
    flashes: tuple[tuple[str, str], ...]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def hash_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _session(row: object) -> WebSession:
    return WebSession(row.id_hash, int(row.user_id), row.created_at, row.last_seen,  # type: ignore[attr-defined]
                      row.expires_at, row.address, row.user_agent, row.csrf_token,  # type: ignore[attr-defined]
                      tuple((str(k), str(v)) for k, v in (row.flashes or [])))  # type: ignore[attr-defined]


def start(store: Store, user_id: int, address: str, user_agent: str, max_age: int,
          now: datetime | None = None) -> tuple[str, WebSession]:
    """A new session for the user: its id (for the cookie) and its row. Expired rows are swept here."""
    now = now or utcnow()
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    values = {"id_hash": hash_id(session_id), "user_id": user_id, "created_at": now, "last_seen": now,
              "expires_at": now + timedelta(seconds=max_age), "address": address,
              "user_agent": user_agent[:MAX_USER_AGENT], "csrf_token": secrets.token_urlsafe(CSRF_BYTES),
              "flashes": []}
    with store.engine.begin() as conn:
        conn.execute(delete(t.sessions).where(t.sessions.c.expires_at < now))
        conn.execute(t.sessions.insert().values(**values))
    return session_id, WebSession(**{**values, "flashes": ()})


def find(store: Store, session_id: str, now: datetime | None = None) -> WebSession | None:
    """The live session with this id (None when unknown, ended or expired); notes it was seen."""
    now = now or utcnow()
    id_hash = hash_id(session_id)
    with store.engine.connect() as conn:
        row = conn.execute(select(t.sessions).where(t.sessions.c.id_hash == id_hash)).first()
    if row is None:
        return None
    found = _session(row)
    if found.expires_at <= now:
        end(store, id_hash)
        return None
    if now - found.last_seen >= TOUCH_EVERY:
        with store.engine.begin() as conn:
            conn.execute(update(t.sessions).where(t.sessions.c.id_hash == id_hash).values(last_seen=now))
    return found


def end(store: Store, id_hash: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(t.sessions).where(t.sessions.c.id_hash == id_hash))


def end_all(store: Store, user_id: int, keep: str | None = None) -> int:
    """End every session of the user (but `keep`, a session's hash); returns how many ended."""
    query = delete(t.sessions).where(t.sessions.c.user_id == user_id)
    if keep is not None:
        query = query.where(t.sessions.c.id_hash != keep)
    with store.engine.begin() as conn:
        return int(conn.execute(query).rowcount or 0)


def of_user(store: Store, user_id: int, now: datetime | None = None) -> list[WebSession]:
    """The user's live sessions, newest first."""
    now = now or utcnow()
    s = t.sessions
    with store.engine.connect() as conn:
        rows = conn.execute(select(s).where(s.c.user_id == user_id).order_by(s.c.created_at.desc())).all()
    return [found for found in map(_session, rows) if found.expires_at > now]


def add_flash(store: Store, id_hash: str, kind: str, text: str) -> None:
    """Keep a message for the next page; only the newest MAX_FLASHES are kept."""
    with store.engine.begin() as conn:
        current = conn.execute(select(t.sessions.c.flashes).where(t.sessions.c.id_hash == id_hash)).scalar()
        if current is None:
            return
        kept = [*current, [kind, text[:MAX_FLASH_TEXT]]][-MAX_FLASHES:]
        conn.execute(update(t.sessions).where(t.sessions.c.id_hash == id_hash).values(flashes=kept))


def take_flashes(store: Store, session: WebSession) -> list[tuple[str, str]]:
    """The session's messages, removed from it (they are shown once)."""
    if not session.flashes:
        return []
    with store.engine.begin() as conn:
        current = conn.execute(select(t.sessions.c.flashes).where(t.sessions.c.id_hash == session.id_hash)).scalar()
        conn.execute(update(t.sessions).where(t.sessions.c.id_hash == session.id_hash).values(flashes=[]))
    return [(str(k), str(v)) for k, v in (current or [])]


__all__ = ["WebSession", "start", "find", "end", "end_all", "of_user", "add_flash", "take_flashes", "hash_id",
           "MAX_FLASHES"]
