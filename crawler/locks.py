"""The crawl lock: one per share of the registry, so shares run side by side and a share never twice.

On SQLite it is a row of the `locks` table named after the share (`crawl`, `crawl:2/4`), with the
heartbeat and the dead-process takeover the store has always had; a share's row is refused while
a row that overlaps it (the same share, the whole registry, a share of another N) is alive.

On PostgreSQL the crawl hosts are different machines, so a dead process cannot be seen from another
host: the lock is an advisory lock held on a connection kept open for the whole crawl, which the
server releases the moment that connection ends (the process died, the host went away). A share
holds the whole registry's key shared and its own key exclusively; a crawl of the whole registry
holds the whole registry's key exclusively. The lock row is still written, so a refused crawl can
say who holds the lock.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crawler.shares import Share, lock_name, overlaps, share_of_lock, stable_hash
from crawler.store import Store, StoreError

log = logging.getLogger("natmon.crawl")


def advisory_key(name: str) -> int:
    """A signed 64-bit advisory lock key for a lock name (the same on every host)."""
    value = stable_hash("natmon-lock", "crawl", name)
    return value - (1 << 64) if value >= 1 << 63 else value


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
            raise StoreError(f"Не удалось подключиться к хранилищу {self.store.name}: {exc}") from exc
        try:
            whole = advisory_key(lock_name(None))
            if self.share is None:
                taken = [conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": whole}).scalar()]
            else:
                taken = [conn.execute(text("SELECT pg_try_advisory_lock_shared(:k)"), {"k": whole}).scalar(),
                         conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                      {"k": advisory_key(self.name)}).scalar()]
            conn.commit()  # session locks outlive the transaction; the connection keeps them
        except SQLAlchemyError as exc:
            conn.close()
            raise StoreError(f"Не удалось взять блокировку обхода в хранилище {self.store.name}: {exc}") from exc
        if not all(taken):
            _unlock(conn)
            holders = self.store.lock_holders(lambda other: other == self.name or self._conflicts(other))
            return "; ".join(holders) or "другой процесс"
        self._conn = conn
        # The row only says who holds the lock; the advisory lock decides.
        self.store.acquire_lock_unless(self.name, -1.0, lambda other: False)  # any older row is stale
        return None

    def heartbeat(self) -> None:
        self.store.heartbeat(self.name)

    def release(self) -> None:
        try:
            self.store.release_lock(self.name)
        finally:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                _unlock(conn)


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
