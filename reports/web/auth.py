"""Who is asking: the session's user, read through the store on every request.

The signed cookie holds only `sid`, a random session id (and, before logging in, the login
form's CSRF token). The user and the session are re-read from the store on every request,
so logging out, a password change, disabling someone or «Завершить все сеансы» take effect
at once, whatever copies of the cookie exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, MutableMapping

from crawler.store import Store
from reports.users import User, get_user
from reports.web import sessions
from reports.web.sessions import WebSession

SESSION_ID_KEY = "sid"


@dataclass(slots=True, frozen=True)
class Identity:
    user: User
    session: WebSession


def identify(store: Store, cookie: MutableMapping[str, Any]) -> Identity | None:
    """The enabled user of this cookie's live session, or None (and the cookie is emptied)."""
    session_id = cookie.get(SESSION_ID_KEY)
    if not isinstance(session_id, str) or not session_id:
        return None
    found = sessions.find(store, session_id)
    user = get_user(store, user_id=found.user_id) if found is not None else None
    if found is None or user is None or user.disabled:
        if found is not None:
            sessions.end(store, found.id_hash)
        cookie.clear()
        return None
    return Identity(user, found)


def session_user(store: Store, cookie: MutableMapping[str, Any]) -> User | None:
    found = identify(store, cookie)
    return found.user if found else None


def log_in(store: Store, cookie: MutableMapping[str, Any], user: User, address: str, user_agent: str,
           max_age: int) -> WebSession:
    """A new server-side session with a new id (an id planted before login is never reused)."""
    old = cookie.get(SESSION_ID_KEY)
    if isinstance(old, str) and old:
        sessions.end(store, sessions.hash_id(old))
    cookie.clear()
    session_id, started = sessions.start(store, user.id, address, user_agent, max_age)
    cookie[SESSION_ID_KEY] = session_id
    return started


def log_out(store: Store, cookie: MutableMapping[str, Any]) -> None:
    session_id = cookie.get(SESSION_ID_KEY)
    if isinstance(session_id, str) and session_id:
        sessions.end(store, sessions.hash_id(session_id))
    cookie.clear()


__all__ = ["Identity", "identify", "session_user", "log_in", "log_out", "SESSION_ID_KEY"]
