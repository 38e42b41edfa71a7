"""Who is asking: the session's user, login attempts and their rate limit.

The session cookie (signed by Starlette's SessionMiddleware) holds only the user id and the
CSRF token; the user is re-read from the store on every request, so disabling someone takes
effect at once. Failed logins are counted per login and per client address in memory
(`natmon serve` is one process).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, MutableMapping

from crawler.store import Store
from reports.users import User, get_user

USER_KEY = "uid"
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


@dataclass(slots=True)
class LoginLimiter:
    """At most `max_failures` failed logins per login and per address within `window` seconds."""

    max_failures: int = MAX_FAILURES
    window: float = WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    @staticmethod
    def _keys(login: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("login", login.strip().casefold()), ("ip", address)

    def blocked(self, login: str, address: str) -> bool:
        now = self.clock()
        with self._lock:
            return any(len(self._recent(key, now)) >= self.max_failures for key in self._keys(login, address))

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(login, address):
                self._recent(key, now).append(now)

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(login, "")[0], None)

    def minutes_left(self) -> int:
        return max(1, round(self.window / 60))


def session_user(store: Store, session: MutableMapping[str, Any]) -> User | None:
    """The enabled user of this session, or None (and the session is emptied)."""
    user_id = session.get(USER_KEY)
    if not isinstance(user_id, int):
        return None
    user = get_user(store, user_id=user_id)
    if user is None or user.disabled:
        session.clear()
        return None
    return user


def log_in(session: MutableMapping[str, Any], user: User) -> None:
    session.clear()
    session[USER_KEY] = user.id


def log_out(session: MutableMapping[str, Any]) -> None:
    session.clear()


__all__ = ["LoginLimiter", "session_user", "log_in", "log_out", "USER_KEY", "MAX_FAILURES", "WINDOW_SECONDS"]
