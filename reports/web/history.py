"""Who decided what and when: the audit log page and one post with its review history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.responses import Response

from crawler import schema as t
from reports.labels import status_label
from reports.web.common import campaign_data, choose
from reports.web.core import Ctx
from reports.web.pages import with_id
from reports.web.posts import visible_owners
from reports.web.records import audit_rows, municipalities

ACTIONS = {"review": "решение по публикации", "manual_entry": "запись о другом канале", "login": "вход",
           "login_failed": "неудачный вход", "password_changed": "смена пароля",
           "sessions_ended": "завершение всех сеансов", "send": "отправка отчёта", "import": "загрузка черновика"}
DETAIL_LABELS = {"decision": "решение", "before": "было", "comment": "комментарий", "channel": "канал",
                 "url": "ссылка", "description": "описание", "published_on": "дата публикации",
                 "address": "адрес", "deadline": "срок", "campaign": "кампания", "status": "итог",
                 "message": "сообщение", "entry_id": "запись №", "count": "сколько"}
DECISION_WORDS = ("decision", "before")


def _details(details: Any) -> list[tuple[str, str]]:
    if not isinstance(details, dict):
        return []
    order = list(DETAIL_LABELS)
    shown = []
    for key in sorted(details, key=lambda k: order.index(k) if k in order else len(order)):
        value = details[key]
        if key in DECISION_WORDS:
            shown.append((DETAIL_LABELS[key], status_label(value)))
        elif value not in (None, ""):
            shown.append((DETAIL_LABELS.get(key, str(key)), str(value)))
    return shown


def audit_page(ctx: Ctx) -> Response:
    """Operators see every municipality (or one, chosen); coordinators their own only."""
    wanted = ctx.query.get("municipality", "")
    if ctx.user.is_operator:
        m_id = int(wanted) if wanted.isdigit() else None
    else:
        if wanted.isdigit() and int(wanted) != ctx.user.municipality_id:
            raise HTTPException(403, "Нет доступа к этому муниципалитету")
        m_id = ctx.user.municipality_id
    rows = [{**row, "action_label": ACTIONS.get(row["action"], row["action"]), "items": _details(row["details"])}
            for row in audit_rows(ctx.store, m_id)]
    visible = {k: v for k, v in municipalities(ctx.store).items() if ctx.user.may_see(k)}
    return ctx.render("audit.html", nav="audit", rows=rows, municipalities=visible, chosen=m_id)


def post_page(ctx: Ctx) -> Response:
    """One post as the lists show it, with every review it has had."""
    post_id = int(ctx.request.path_params["post_id"])
    owner = visible_owners(ctx, [post_id])[post_id]
    choice = choose(ctx)
    data = campaign_data(ctx, choice)
    found = data.post(post_id)
    r = t.reviews
    with ctx.store.engine.connect() as conn:
        reviews = [dict(row) for row in conn.execute(
            select(r.c.decision, r.c.who, r.c.at, r.c.comment).where(r.c.post_id == post_id)
            .order_by(r.c.at.desc(), r.c.id.desc())).mappings()]
    return ctx.render("post.html", nav="posts", post=with_id(found.iloc[0]) if len(found) else None,
                      reviews=[{**row, "status": status_label(row["decision"])} for row in reviews],
                      owner=owner, here=f"/posts/{post_id}")


__all__ = ["audit_page", "post_page", "ACTIONS"]
