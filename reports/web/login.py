"""Logging in and out. Failed attempts are limited per login and per client address."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from reports.users import authenticate
from reports.web import csrf
from reports.web.auth import log_in, log_out, session_user
from reports.web.core import WebState, render, safe_next
from reports.web.records import audit

MAX_LOGIN_FIELD = 200
MAX_PASSWORD_FIELD = 1000


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def login(request: Request) -> Response:
    state: WebState = request.app.state.web
    target = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        if await run_in_threadpool(session_user, state.store, request.session) is not None:
            return RedirectResponse(target, status_code=303)
        return render(request, state, "login.html", None, next=target, error="", login="")
    form = await request.form(max_files=0, max_fields=10)
    if not csrf.valid(request.session, form.get(csrf.FIELD)):
        raise HTTPException(403, "Форма входа устарела; обновите страницу и войдите снова.")
    login_name = str(form.get("login") or "").strip()[:MAX_LOGIN_FIELD]
    password = str(form.get("password") or "")[:MAX_PASSWORD_FIELD]
    target = safe_next(form.get("next"))
    address = _address(request)
    limiter = state.limiter
    if limiter.blocked(login_name, address):
        return render(request, state, "login.html", None, status=429, next=target, login=login_name,
                      error=f"Слишком много неудачных попыток входа. Подождите {limiter.minutes_left()} минут "
                            "и попробуйте снова или обратитесь к оператору.")
    user = await run_in_threadpool(authenticate, state.store, login_name, password)
    if user is None:
        limiter.failed(login_name, address)
        await run_in_threadpool(audit, state.store, login_name or "—", "login_failed", None, None,
                                {"address": address})
        return render(request, state, "login.html", None, status=401, next=target, login=login_name,
                      error="Неверный логин или пароль, или учётная запись отключена.")
    limiter.succeeded(login_name)
    log_in(request.session, user)
    csrf.rotate(request.session)
    await run_in_threadpool(audit, state.store, user.display, "login", user.municipality_id, None,
                            {"address": address})
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    if not csrf.valid(request.session, form.get(csrf.FIELD)):
        raise HTTPException(403, "Форма устарела; обновите страницу.")
    log_out(request.session)
    return RedirectResponse("/login", status_code=303)


__all__ = ["login", "logout"]
