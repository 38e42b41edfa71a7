"""The user's own page: their open sessions, «Завершить все сеансы», a password change and where
their notifications go (Telegram or MAX, and their MAX id)."""

from __future__ import annotations

from starlette.responses import Response

from reports.users import MAX, MESSENGERS, UserError, authenticate, set_messenger, set_password
from reports.web import sessions
from reports.web.auth import log_in
from reports.web.core import Ctx
from reports.web.login import MAX_PASSWORD_FIELD, client_address
from reports.web.records import audit

MAX_ID_FIELD = 40  # characters of the MAX id field read (users.max_user_id is String(40))


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


def change_messenger(ctx: Ctx) -> Response:
    """The user's own choice of messenger for `natmon notify`, and their MAX user id."""
    via = ctx.field("via")
    if via not in MESSENGERS:
        return account_page(ctx, ["Выберите, куда присылать уведомления: Telegram или MAX."], status=400)
    max_user = ctx.field("max_user")[:MAX_ID_FIELD]
    try:
        changed = set_messenger(ctx.store, ctx.user.login, via, max_user_id=max_user)
    except UserError as exc:
        return account_page(ctx, [exc.message], status=400)
    audit(ctx.store, ctx.user.display, "messenger_changed", ctx.user.municipality_id, None,
          {"via": via, "max_user_id": changed.max_user_id, "address": client_address(ctx.request)})
    if changed.recipient is None:
        where = "ID в MAX" if via == MAX else "чат Telegram (его указывает оператор)"
        ctx.flash(f"Сохранено, но {where} не указан: уведомления не придут, пока его нет.", "error")
    else:
        ctx.flash(f"Уведомления будут приходить в {'MAX' if via == MAX else 'Telegram'}.")
    return ctx.redirect("/account")


__all__ = ["account_page", "end_sessions", "change_password", "change_messenger"]
