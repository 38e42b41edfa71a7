"""The login throttle: failed logins per account and per address, kept in the store.

A few failures cost nothing; after them each further attempt must wait a delay that
doubles with every failure up to a ceiling. The ceiling is short for an account (a
stranger guessing a known login cannot keep its owner out for more than a minute) and
longer for an address (one machine guessing many logins is slowed down hard). Attempts
refused for waiting are not counted, so hammering does not lengthen the wait. The counts
survive a restart and are forgotten an hour after the last failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import case, delete, select

from crawler import schema as t
from crawler.store import Store, upsert


@dataclass(slots=True, frozen=True)
class Rule:
    free: int  # failures before any delay
    base: float  # seconds of the first delay
    ceiling: float  # the longest delay, in seconds


ACCOUNT = Rule(free=3, base=2.0, ceiling=60.0)
ADDRESS = Rule(free=5, base=2.0, ceiling=15 * 60.0)
FORGET_AFTER = timedelta(hours=1)
MAX_KEY = 200


def delay(rule: Rule, failures: int) -> float:
    """Seconds to wait after `failures` failures."""
    if failures < rule.free:
        return 0.0
    return min(rule.ceiling, rule.base * 2 ** min(failures - rule.free, 30))


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(slots=True)
class LoginThrottle:
    store: Store
    clock: Callable[[], datetime] = field(default=_utcnow)

    @staticmethod
    def _keys(login: str, address: str) -> dict[str, Rule]:
        return {f"login:{login.strip().casefold()}"[:MAX_KEY]: ACCOUNT, f"ip:{address}"[:MAX_KEY]: ADDRESS}

    def wait(self, login: str, address: str) -> int:
        """Whole seconds before this login may be tried from this address (0: now)."""
        now = self.clock()
        keys = self._keys(login, address)
        f = t.login_failures
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(f).where(f.c.key.in_(list(keys)))).all()
        left = 0.0
        for row in rows:
            if now - row.last_failure >= FORGET_AFTER:
                continue
            until = row.last_failure + timedelta(seconds=delay(keys[row.key], row.failures))
            left = max(left, (until - now).total_seconds())
        return math.ceil(left)

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        f = t.login_failures
        counted = case((f.c.last_failure <= now - FORGET_AFTER, 1), else_=f.c.failures + 1)
        with self.store.engine.begin() as conn:  # one statement a key: failures at once all count
            for key in self._keys(login, address):
                conn.execute(upsert(conn, f, {"key": key}, {"failures": 1, "last_failure": now},
                                    update_with={"failures": counted, "last_failure": now}))

    def succeeded(self, login: str) -> None:
        """The account's count is cleared; the address's is not (a known password of one's own
        account must not reset the count of guesses at others)."""
        key = next(iter(self._keys(login, "")))
        with self.store.engine.begin() as conn:
            conn.execute(delete(t.login_failures).where(t.login_failures.c.key == key))


__all__ = ["LoginThrottle", "Rule", "ACCOUNT", "ADDRESS", "delay", "FORGET_AFTER"]
