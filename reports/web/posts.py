"""The post list with its filters, and the review actions (confirm, reject, comment, confirm all shown)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from starlette.exceptions import HTTPException
from starlette.responses import Response

from reports.web.common import campaign_data, choose
from reports.web.core import Ctx, safe_next
from reports.web.kinds import CRAWLED_KINDS, kind_labels
from reports.web.pages import with_id
from reports.web.records import (
    CONFIRMED,
    DECISIONS,
    PostOwner,
    ReviewItem,
    current_review,
    municipalities,
    post_owners,
    save_reviews,
)

LABELS = {"": "найденные (прямо и под вопросом)", "explicit": "прямо называют нацпроект",
          "implicit": "под вопросом", "none": "не о нацпроектах", "all": "все"}
STATUSES = {"": "любой", "pending": "не проверено", "confirmed": "подтверждено", "rejected": "отклонено"}
MAX_COMMENT = 2000
NO_SUCH_POST = "Такой публикации нет"
COMMENT = "comment"


@dataclass(slots=True)
class Filters:
    municipality: int | None
    institution: int | None
    channel: str
    label: str
    status: str
    project: str
    text: str

    def apply(self, posts: pd.DataFrame) -> pd.DataFrame:
        if self.municipality is not None:
            posts = posts[posts["municipality_id"] == self.municipality]
        if self.institution is not None:
            posts = posts[posts["institution_id"] == self.institution]
        if self.channel:
            posts = posts[posts["channel"] == self.channel]
        if self.label in ("explicit", "implicit", "none"):
            posts = posts[posts["label"].replace("", "none") == self.label]
        elif self.label != "all":
            posts = posts[posts["label"].isin(["explicit", "implicit"])]
        if self.status == "pending":
            posts = posts[posts["decision"].isna()]
        elif self.status in DECISIONS:
            posts = posts[posts["decision"] == self.status]
        if self.project:
            posts = posts[[self.project in projects for projects in posts["projects"]]]
        if self.text:
            needle = self.text.casefold()
            posts = posts[[needle in f"{title}\n{text}".casefold()
                           for title, text in zip(posts["title"], posts["text"], strict=True)]]
        return posts


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def filters(ctx: Ctx) -> Filters:
    q = ctx.query
    wanted = _int(q.get("municipality", ""))
    if not ctx.user.is_operator:
        if wanted is not None and wanted != ctx.user.municipality_id:
            raise HTTPException(403, "Нет доступа к этому муниципалитету")
        wanted = ctx.user.municipality_id
    return Filters(wanted, _int(q.get("institution", "")), q.get("channel", "") if q.get("channel") in CRAWLED_KINDS
                   else "", q.get("label", "") if q.get("label") in LABELS else "",
                   q.get("status", "") if q.get("status") in STATUSES else "", q.get("project", ""), q.get("q", ""))


def post_list(ctx: Ctx) -> Response:
    choice = choose(ctx)
    chosen = filters(ctx)
    data = campaign_data(ctx, choice)
    posts = data.posts(choice.period, chosen.municipality, matched_only=False)  # the list shows unmatched ones too
    posts = posts[posts["period"] == choice.period.index]
    found = chosen.apply(posts).sort_values(["published_at", "post_id"], ascending=False)
    shown = [with_id(row) for _, row in found.head(ctx.state.config.max_posts).iterrows()]
    names = municipalities(ctx.store)
    visible = {m_id: name for m_id, name in names.items() if ctx.user.may_see(m_id)}
    institutions = data.institutions
    if chosen.municipality is not None:
        institutions = institutions[institutions["municipality_id"] == chosen.municipality]
    projects = sorted({str(name) for values in posts["projects"] for name in values})
    here = "/posts" + (f"?{ctx.request.url.query}" if ctx.request.url.query else "")
    return ctx.render(
        "posts.html", nav="posts", choice=choice, filters=chosen, posts=shown, total=len(found),
        municipalities=visible,
        institutions=list(zip(institutions["institution_id"], institutions["institution"], strict=True)),
        channels=kind_labels(), labels=LABELS, statuses=STATUSES,
        projects=projects, here=here, show_municipality=ctx.user.is_operator,
        query_without_period=urlencode({k: v for k, v in ctx.query.items() if k not in ("period", "campaign")}))


def visible_owners(ctx: Ctx, post_ids: list[int]) -> dict[int, PostOwner]:
    """The posts' owners after checking each one is visible to the user. Another municipality's
    post answers exactly as a missing one (404), so its existence is not given away."""
    owners = post_owners(ctx.store, post_ids)
    for post_id in post_ids:
        owner = owners.get(post_id)
        if owner is None or not ctx.user.may_see(owner.municipality_id):
            raise HTTPException(404, NO_SUCH_POST)
    return owners


def review(ctx: Ctx) -> Response:
    """Confirm, reject or comment one post; the latest review of a post wins."""
    post_id = int(ctx.request.path_params["post_id"])
    owners = visible_owners(ctx, [post_id])
    action = ctx.field("decision")
    comment = ctx.field("comment")[:MAX_COMMENT]
    back = safe_next(ctx.field("next"), "/posts")
    if action == COMMENT:
        before = current_review(ctx.store, post_id)
        if before is None:
            ctx.flash("Комментарий сохраняется вместе с решением: сначала подтвердите или отклоните публикацию "
                      "(комментарий можно написать в том же поле).", "error")
            return ctx.redirect(back)
        action = before["decision"]
    if action not in DECISIONS:
        raise HTTPException(400, "Неизвестное решение; допустимо: подтвердить, отклонить, комментарий")
    added = save_reviews(ctx.store, [ReviewItem(post_id, action, comment)], owners, ctx.user.display)
    word = "подтверждена" if action == CONFIRMED else "отклонена"
    ctx.flash(f"Публикация {word}." if added else "Решение не изменилось.")
    return ctx.redirect(f"{back}#post-{post_id}")


def review_shown(ctx: Ctx) -> Response:
    """Confirm every post the list showed (their ids come with the form)."""
    ids = sorted({int(v) for v in ctx.fields("post_id") if v.isdigit()})
    back = safe_next(ctx.field("next"), "/posts")
    if not ids:
        ctx.flash("Нет публикаций для подтверждения.", "error")
        return ctx.redirect(back)
    owners = visible_owners(ctx, ids)
    added = save_reviews(ctx.store, [ReviewItem(post_id, CONFIRMED, None) for post_id in ids], owners,
                         ctx.user.display)
    ctx.flash(f"Подтверждено публикаций: {added} (из показанных {len(ids)}).")
    return ctx.redirect(back)


__all__ = ["post_list", "review", "review_shown", "visible_owners", "Filters", "LABELS", "STATUSES"]
