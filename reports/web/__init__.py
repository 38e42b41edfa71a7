"""The web app: coordinators review their municipality's drafts, the regional centre watches all.

Server-rendered Starlette pages with Jinja2 (autoescape on, no scripts), signed session
cookies, CSRF tokens on every form, and role and municipality checks on every route.
"""

from __future__ import annotations

from reports.web.app import create_app
from reports.web.core import WebConfig

__all__ = ["create_app", "WebConfig"]
