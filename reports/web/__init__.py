"""The web app: coordinators review their municipality's drafts, the regional centre watches all.

Server-rendered Starlette pages with Jinja2 (autoescape on, no scripts), sessions kept in the
store (the signed cookie carries only a random id), CSRF tokens on every form, a login throttle
in the store, and role and municipality checks on every route.
"""

from __future__ import annotations

from reports.web.app import create_app
from reports.web.core import WebConfig

__all__ = ["create_app", "WebConfig"]
