"""The Starlette application: routes, sessions, security headers and error pages."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from crawler.registry import Registry
from crawler.store import Store
from reports.web import account, files, history, login, manual, pages, posts
from reports.web.core import WebConfig, WebState, find_identity, page, render, templates

SESSION_COOKIE = "natmon_session"
MAX_BODY = 1024 * 1024
# No scripts at all: crawled text that slipped through escaping still could not run.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATUS_MESSAGES = {400: "Неверный запрос.", 401: "Войдите в систему.", 403: "Нет доступа.",
                   404: "Страница не найдена.", 405: "Так обратиться к странице нельзя.",
                   409: "Действие сейчас невозможно.", 413: "Слишком большой запрос."}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def error_page(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else ""
    message = detail if detail and any("а" <= ch.lower() <= "я" for ch in detail) else \
        STATUS_MESSAGES.get(status, "Ошибка.")
    state: WebState = request.app.state.web

    def page_for_error() -> Response:
        found = find_identity(request, state)
        return render(request, state, "error.html", found.user if found else None, status=status,
                      message=message, nav="")

    return await run_in_threadpool(page_for_error)


def routes() -> list[Route]:
    return [
        Route("/login", login.login, methods=["GET", "POST"], name="login"),
        Route("/logout", login.logout, methods=["POST"], name="logout"),
        page("/", pages.overview),
        page("/m/{municipality_id:int}", pages.municipality_page),
        page("/m/{municipality_id:int}/draft.xlsx", files.draft),
        page("/m/{municipality_id:int}/final.xlsx", files.final),
        page("/m/{municipality_id:int}/send", files.send, methods=("POST",)),
        page("/m/{municipality_id:int}/manual", manual.manual_form, methods=("GET", "POST")),
        page("/posts", posts.post_list),
        page("/posts/review-shown", posts.review_shown, methods=("POST",)),
        page("/posts/{post_id:int}", history.post_page),
        page("/posts/{post_id:int}/review", posts.review, methods=("POST",)),
        page("/audit", history.audit_page),
        page("/account", account.account_page),
        page("/account/password", account.change_password, methods=("POST",)),
        page("/account/end-sessions", account.end_sessions, methods=("POST",)),
        page("/account/messenger", account.change_messenger, methods=("POST",)),
    ]


def create_app(store: Store, registry: Registry, config: WebConfig) -> Starlette:
    """The web app over a store and registry; `config.secret_key` signs the session cookie.

    X-Forwarded-For and X-Forwarded-Proto are believed only from `config.trusted_proxies`
    (uvicorn's ProxyHeadersMiddleware); from anyone else they are ignored."""
    if not config.secret_key:
        raise ValueError("a secret key is required to sign sessions")
    proxies = [Middleware(ProxyHeadersMiddleware, trusted_hosts=list(config.trusted_proxies))] \
        if config.trusted_proxies else []
    app = Starlette(
        routes=routes(),
        middleware=[*proxies, Middleware(SecurityHeaders),
                    Middleware(SessionMiddleware, secret_key=config.secret_key, session_cookie=SESSION_COOKIE,
                               max_age=config.session_max_age, same_site="lax", https_only=config.secure_cookies)],
        exception_handlers={HTTPException: error_page},
        max_body_size=MAX_BODY,
    )
    app.state.web = WebState(store, registry, config, templates(registry.timezone))
    return app


__all__ = ["create_app", "SESSION_COOKIE", "SECURITY_HEADERS"]
