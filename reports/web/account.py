"""The user's own page: their open sessions, «Завершить все сеансы» and a password change."""

from __future__ import annotations

from starlette.responses import Response

from reports.users import UserError, authenticate, set_password
from reports.web import sessions
from reports.web.auth import log_in
from reports.web.core import Ctx
from reports.web.login import MAX_PASSWORD_FIELD, client_address
from reports.web.records import audit


def account_page(ctx: Ctx, errors: list[str] | None = None, status: int = 200) -> Response:
    rows = [{"session": found, "current": found.id_hash == ctx.session.id_hash}
            for found in sessions.of_user(ctx.store, ctx.user.id)]
    return ctx.render("account.html", status=status, nav="account", rows=rows, errors=errors or [])


def end_sessions(ctx: Ctx) -> Response:
    """End every session of this user, this one included (a stolen copy of this cookie too)."""
    ended = sessions.end_all(ctx.store, ctx.user.id)
    audit(ctx.store, ctx.user.display, "sessions_ended", ctx.user.municipality_id, None,
          {"address": client_address(ctx.request), "count": ended})
    ctx.request.session.clear()
    return ctx.redirect("/login")


def change_password(ctx: Ctx) -> Response:
    """The current password, then the new one twice; every session ends and this browser gets a new one."""
    current = ctx.field("current")[:MAX_PASSWORD_FIELD]
    new = ctx.field("new")[:MAX_PASSWORD_FIELD]
    if authenticate(ctx.store, ctx.user.login, current) is None:
        return account_page(ctx, ["Текущий пароль введён неверно."], status=400)
    if new != ctx.field("repeat")[:MAX_PASSWORD_FIELD]:
        return account_page(ctx, ["Новый пароль и повтор не совпадают; введите их ещё раз."], status=400)
    try:
        set_password(ctx.store, ctx.user.login, new)
    except UserError as exc:
        return account_page(ctx, [exc.message], status=400)
    audit(ctx.store, ctx.user.display, "password_changed", ctx.user.municipality_id, None,
          {"address": client_address(ctx.request)})
    started = log_in(ctx.store, ctx.request.session, ctx.user, client_address(ctx.request),
                     ctx.request.headers.get("user-agent", ""), ctx.state.config.session_max_age)
    sessions.add_flash(ctx.store, started.id_hash, "ok", "Пароль изменён; остальные сеансы завершены.")
    return ctx.redirect("/account")


__all__ = ["account_page", "end_sessions", "change_password"]
