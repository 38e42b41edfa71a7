"""CSRF tokens: one random token per session, required in every POST form.

The token lives in the signed session cookie and is echoed by each form as `csrf_token`;
a POST whose field differs (or is missing) is refused with 403 before its handler runs.
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


def rotate(session: MutableMapping[str, Any]) -> str:
    """A fresh token (after logging in)."""
    session[SESSION_KEY] = secrets.token_urlsafe(TOKEN_BYTES)
    return str(session[SESSION_KEY])


def valid(session: MutableMapping[str, Any], submitted: object) -> bool:
    expected = session.get(SESSION_KEY)
    if not isinstance(expected, str) or not expected or not isinstance(submitted, str):
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


__all__ = ["FIELD", "token", "rotate", "valid"]
