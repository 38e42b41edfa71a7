"""Logging in and out. Failed attempts slow down further ones, per login and per client address.

The client address is the connection's, or, when the connection comes from a proxy named in
`WebConfig.trusted_proxies` (NATMON_TRUSTED_PROXIES), the one that proxy forwarded: uvicorn's
ProxyHeadersMiddleware, set up in `reports.web.app`, has already put it in the request.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from reports.users import authenticate
from reports.web import csrf
from reports.web.auth import log_in, log_out
from reports.web.core import WebState, find_identity, render, safe_next
from reports.web.records import audit

MAX_LOGIN_FIELD = 200
MAX_PASSWORD_FIELD = 1000


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _seconds(value: int) -> str:
    if value % 10 == 1 and value % 100 != 11:
        return f"{value} секунду"
    if value % 10 in (2, 3, 4) and value % 100 not in (12, 13, 14):
        return f"{value} секунды"
    return f"{value} секунд"


async def login(request: Request) -> Response:
    state: WebState = request.app.state.web
    target = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        if await run_in_threadpool(find_identity, request, state) is not None:
            return RedirectResponse(target, status_code=303)
        return render(request, state, "login.html", None, next=target, error="", login="")
    form = await request.form(max_files=0, max_fields=10)
    if not csrf.valid(request.session, form.get(csrf.FIELD)):
        raise HTTPException(403, "Форма входа устарела; обновите страницу и войдите снова.")
    login_name = str(form.get("login") or "").strip()[:MAX_LOGIN_FIELD]
    password = str(form.get("password") or "")[:MAX_PASSWORD_FIELD]
    target = safe_next(form.get("next"))
    address = client_address(request)
    throttle = state.throttle
    wait = await run_in_threadpool(throttle.wait, login_name, address)
    if wait > 0:
        return render(request, state, "login.html", None, status=429, next=target, login=login_name,
                      error=f"Слишком много неудачных попыток входа. Подождите {_seconds(wait)} и попробуйте "
                            "снова; если пароль забыт, обратитесь к оператору.")
    user = await run_in_threadpool(authenticate, state.store, login_name, password)
    if user is None:
        await run_in_threadpool(throttle.failed, login_name, address)
        await run_in_threadpool(audit, state.store, login_name or "—", "login_failed", None, None,
                                {"address": address})
        return render(request, state, "login.html", None, status=401, next=target, login=login_name,
                      error="Неверный логин или пароль, или учётная запись отключена.")
    await run_in_threadpool(throttle.succeeded, login_name)
    await run_in_threadpool(log_in, state.store, request.session, user, address,
                            request.headers.get("user-agent", ""), state.config.session_max_age)
    await run_in_threadpool(audit, state.store, user.display, "login", user.municipality_id, None,
                            {"address": address})
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    state: WebState = request.app.state.web
    form = await request.form(max_files=0, max_fields=10)
    found = await run_in_threadpool(find_identity, request, state)
    if found is not None and not csrf.matches(found.session.csrf_token, form.get(csrf.FIELD)):
        raise HTTPException(403, "Форма устарела; обновите страницу.")
    await run_in_threadpool(log_out, state.store, request.session)
    return RedirectResponse("/login", status_code=303)


__all__ = ["login", "logout", "client_address"]
