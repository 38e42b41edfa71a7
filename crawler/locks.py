"""The crawl lock: one per share of the registry, so shares run side by side and a share never twice.

On SQLite it is a row of the `locks` table named after the share (`crawl`, `crawl:2/4`), with the
heartbeat and the dead-process takeover the store has always had; a share's row is refused while
a row that overlaps it (the same share, the whole registry, a share of another N) is alive.

On PostgreSQL the crawl hosts are different machines, so a dead process cannot be seen from another
host: each crawl holds the advisory lock of its own row's name (`crawl`, `crawl:2/4`) on a connection
kept open for the whole crawl, which the server releases the moment that connection ends (the process
died, the host went away). Taking a lock is one transaction under a short advisory mutex: it reads the
lock rows, judges each overlapping row by the same rule as SQLite (crawler/shares.py `overlaps`: the
same share, the whole registry, a share of another N), and a row is alive while its advisory lock is
held; dead rows are removed, and the new row is written before the mutex is let go. The rows also say
who holds the lock when a crawl is refused.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.exc import SQLAlchemyError

from crawler import schema as t
from crawler.shares import Share, lock_name, overlaps, share_of_lock, stable_hash
from crawler.store import Store, StoreError, explain, this_process, utcnow

log = logging.getLogger("natmon.crawl")


def advisory_key(name: str) -> int:
    """A signed 64-bit advisory lock key for a lock name (the same on every host)."""
    value = stable_hash("natmon-lock", "crawl", name)
    return value - (1 << 64) if value >= 1 << 63 else value


MUTEX_KEY = advisory_key("natmon-crawl-locks")  # held while one crawl judges the lock rows and writes its own


class CrawlLock:
    """The lock of one crawl (`share` None: the whole registry)."""

    def __init__(self, store: Store, share: Share | None, stale_after: float) -> None:
        self.store = store
        self.share = share
        self.name = lock_name(share)
        self.stale_after = stale_after
        self._conn: Any = None  # PostgreSQL: the connection holding the advisory locks

    def _conflicts(self, other_name: str) -> bool:
        other = share_of_lock(other_name)
        return other is not False and overlaps(self.share, other)  # type: ignore[arg-type]

    def acquire(self) -> str | None:
        """Take the lock; returns who holds it when another crawl does."""
        if self.store.engine.dialect.name != "postgresql":
            return self.store.acquire_lock_unless(self.name, self.stale_after, self._conflicts)
        try:
            conn = self.store.engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(explain(exc, self.store.name)) from exc
        try:
            alive = self._take_on_postgres(conn)
        except SQLAlchemyError as exc:
            conn.invalidate()  # really closed: the server drops any advisory lock this session took
            conn.close()
            raise StoreError(explain(exc, self.store.name)) from exc  # read-only, full, gone: said in Russian
        if alive:
            _unlock(conn)
            holders = self.store.lock_holders(lambda other: other in alive)
            return "; ".join(holders) or "другой процесс"
        self._conn = conn
        return None

    def _take_on_postgres(self, conn: Any) -> set[str]:
        """Under the mutex (one transaction): the names of the live locks that refuse this crawl, or an empty
        set once its advisory lock is held (session-level, kept by `conn` until `release`) and its row written."""
        lk = t.locks
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MUTEX_KEY})
        if not _try_lock(conn, self.name):  # the same share runs (its row may be being removed right now)
            conn.rollback()
            return {self.name}
        alive: set[str] = set()
        gone = [self.name]  # a row of our own name left by a dead crawl: we hold its advisory lock now
        for name in conn.execute(select(lk.c.name)).scalars().all():
            if name == self.name or not self._conflicts(name):
                continue
            if _try_lock(conn, name):  # nobody holds it: the crawl that wrote the row is gone
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(name)})
                gone.append(name)
            else:
                alive.add(name)
        if alive:
            conn.rollback()  # the mutex goes with the transaction; `_unlock` lets our own key go
            return alive
        now = utcnow()
        conn.execute(delete(lk).where(lk.c.name.in_(gone)))
        conn.execute(lk.insert().values(name=self.name, owner=this_process(),
                                        acquired_at=now, heartbeat=now))
        conn.commit()
        return set()

    def heartbeat(self) -> None:
        self.store.heartbeat(self.name)

    def release(self) -> None:
        try:
            self.store.release_lock(self.name)
        finally:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                _unlock(conn)


def _try_lock(conn: Any, name: str) -> bool:
    """Take the session advisory lock of a lock name if free; a session already holding it gets it again."""
    return bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": advisory_key(name)}).scalar())


def _unlock(conn: Any) -> None:
    """Release every advisory lock of the connection before it goes back to the pool, then close it."""
    try:
        conn.execute(text("SELECT pg_advisory_unlock_all()"))
        conn.commit()
    except SQLAlchemyError:  # the connection is gone, and the server released its locks with it
        log.warning("advisory locks released with a lost connection")
    finally:
        conn.close()


__all__ = ["CrawlLock", "advisory_key"]
