"""CSRF tokens: one random token per session, required in every POST form.

A signed-in user's token lives with their session in the store (reports.web.sessions); the
login form's token, before there is a session, in the signed cookie. Each form echoes it as
`csrf_token`; a POST whose field differs (or is missing) is refused with 403 before its
handler runs.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any, MutableMapping

FIELD = "csrf_token"
SESSION_KEY = "csrf"
TOKEN_BYTES = 32


def token(session: MutableMapping[str, Any]) -> str:
    """The session's token, created on first use."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(TOKEN_BYTES)
        session[SESSION_KEY] = value
    return value


def matches(expected: object, submitted: object) -> bool:
    if not isinstance(expected, str) or not expected or not isinstance(submitted, str):
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


def valid(session: MutableMapping[str, Any], submitted: object) -> bool:
    """The login form's token (kept in the cookie) matches."""
    return matches(session.get(SESSION_KEY), submitted)


__all__ = ["FIELD", "token", "matches", "valid"]
