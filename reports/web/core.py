"""The web app's plumbing: its state, the per-request context and the route wrapper.

Every route goes through `page()`: it finds the session's user (or sends to the login
page), checks the CSRF token of every POST before the handler runs, and runs the handler,
which is plain synchronous code (SQLAlchemy, pandas), in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from crawler.registry import Registry
from crawler.store import Store
from reports.api import today_in
from reports.preview import environment
from reports.users import User
from reports.web import csrf, sessions
from reports.web.auth import Identity, identify
from reports.web.kinds import kind_label
from reports.web.sessions import WebSession
from reports.web.throttle import LoginThrottle

MAX_FORM_FIELDS = 2000  # «confirm all shown» posts one field per post
SESSION_MAX_AGE = 12 * 3600
MAX_POSTS_SHOWN = 200
IDENTITY = "natmon_identity"  # request.state attribute: the Identity found for this request
TIME_FORMAT = "%d.%m.%Y %H:%M:%S"


@dataclass(slots=True)
class WebConfig:
    secret_key: str
    secure_cookies: bool = False
    session_max_age: int = SESSION_MAX_AGE
    max_posts: int = MAX_POSTS_SHOWN
    today: Callable[[], date] | None = None  # tests pin the day; otherwise the region's today
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For is believed


@dataclass(slots=True)
class WebState:
    store: Store
    registry: Registry
    config: WebConfig
    templates: Jinja2Templates
    throttle: LoginThrottle = field(init=False)

    def __post_init__(self) -> None:
        self.throttle = LoginThrottle(self.store)

    def today(self) -> date:
        return self.config.today() if self.config.today else today_in(self.registry)


def local_time(moment: datetime | None, zone: ZoneInfo) -> str:
    """A stored (UTC) moment in the region's time, e.g. «22.01.2025 18:30:00»."""
    return "—" if moment is None else moment.astimezone(zone).strftime(TIME_FORMAT)


def zone_name(zone: ZoneInfo, moment: datetime | None = None) -> str:
    """The zone as people read it: «Asia/Irkutsk, UTC+08:00»."""
    offset = (moment or datetime.now(zone)).astimezone(zone).strftime("%z")
    return f"{zone.key}, UTC{offset[:3]}:{offset[3:]}"


def templates(zone: ZoneInfo | None = None) -> Jinja2Templates:
    """The reports' environment (filters, autoescape, StrictUndefined) with the web's templates first,
    so the preview's own templates render inside the app's layout. `local` shows a stored moment in
    the region's time; `channel` knows every kind the web app lists; every page gets `zone_name`."""
    env: Environment = environment()
    env.loader = ChoiceLoader([PackageLoader("reports.web", "templates"), env.loader])  # type: ignore[list-item]
    region_zone = zone or ZoneInfo("UTC")
    env.filters["local"] = lambda moment: local_time(moment, region_zone)
    env.filters["channel"] = kind_label
    return Jinja2Templates(env=env)


@dataclass(slots=True)
class Ctx:
    """One request as a handler sees it."""

    request: Request
    state: WebState
    user: User
    session: WebSession
    form: FormData | None = None

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def query(self) -> dict[str, str]:
        return {key: value.strip() for key, value in self.request.query_params.items()}

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name) if self.form is not None else None
        return value.strip() if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        return [v for v in self.form.getlist(name) if isinstance(v, str)] if self.form is not None else []

    def flash(self, text: str, kind: str = "ok") -> None:
        """A message for the next page, kept with the session in the store (the newest few only)."""
        sessions.add_flash(self.store, self.session.id_hash, kind, text)

    def render(self, name: str, status: int = 200, **context: Any) -> Response:
        return render(self.request, self.state, name, self.user, status, **context)

    def redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def require(self, municipality_id: int | None) -> None:
        """403 unless the user may see (and change) this municipality."""
        if not self.user.may_see(municipality_id):
            raise HTTPException(403, "Нет доступа к этому муниципалитету")


def known_identity(request: Request) -> Identity | None:
    """The identity `page()` found for this request, if it ran."""
    return getattr(request.state, IDENTITY, None)


def find_identity(request: Request, state: WebState) -> Identity | None:
    """The request's identity, looked up once (call from a worker thread: it reads the store)."""
    found = known_identity(request)
    if found is None and "session" in request.scope:
        found = identify(state.store, request.session)
        setattr(request.state, IDENTITY, found)
    return found


def render(request: Request, state: WebState, name: str, user: User | None, status: int = 200,
           **context: Any) -> Response:
    """A page; a signed-in user's CSRF token and flash messages come from their session in the store."""
    found = known_identity(request) if user is not None else None
    if found is not None:
        token, flashes = found.session.csrf_token, sessions.take_flashes(state.store, found.session)
    else:
        cookie = request.scope.get("session")
        token, flashes = csrf.token(cookie if cookie is not None else {}), []
    base = {"user": user, "csrf_token": token, "flashes": flashes, "today": state.today(),
            "zone_name": zone_name(state.registry.timezone), "nav": context.pop("nav", "")}
    return state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def safe_next(value: object, default: str = "/") -> str:
    """A redirect target inside this site only (no scheme, no host, no `//`)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 32 for ch in value):
        return default
    return value


Handler = Callable[[Ctx], Response]


def page(path: str, handler: Handler, methods: tuple[str, ...] = ("GET",), name: str | None = None) -> Route:
    """A route for signed-in users; POSTs need the session's CSRF token."""

    async def endpoint(request: Request) -> Response:
        state: WebState = request.app.state.web
        found = await run_in_threadpool(find_identity, request, state)
        form: FormData | None = None
        if request.method == "POST":
            form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
            if found is None:
                raise HTTPException(401, "Войдите в систему")
            if not csrf.matches(found.session.csrf_token, form.get(csrf.FIELD)):
                raise HTTPException(403, "Форма устарела или отправлена не с этой страницы (нет CSRF-токена). "
                                         "Обновите страницу и повторите.")
        if found is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return await run_in_threadpool(handler, Ctx(request, state, found.user, found.session, form))

    return Route(path, endpoint, methods=list(methods), name=name or handler.__name__)


__all__ = ["WebConfig", "WebState", "Ctx", "page", "render", "safe_next", "templates", "find_identity",
           "local_time", "zone_name", "MAX_POSTS_SHOWN"]
