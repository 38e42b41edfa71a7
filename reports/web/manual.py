"""The form for publications in channels natmon does not crawl (газета, ТВ, радио, стенд …)."""

from __future__ import annotations

from datetime import date

from starlette.responses import Response

from reports.data import load
from reports.highlight import safe_href
from reports.review_store import ManualEntry
from reports.web.common import choose, municipality
from reports.web.core import Ctx
from reports.web.records import add_manual_entry, institutions

CHANNEL_SUGGESTIONS = ("газета", "телевидение", "радио", "информационный стенд",
                       "сайт администрации", "другое")
MAX_CHANNEL = 100
MAX_URL = 2000
MAX_DESCRIPTION = 4000


def manual_form(ctx: Ctx) -> Response:
    m_id = int(ctx.request.path_params["municipality_id"])
    name = municipality(ctx, m_id)
    choice = choose(ctx)
    values = {"institution_id": "", "channel": "", "url": "", "description": "",
              "published_on": ctx.state.today().isoformat()}
    errors: list[str] = []
    status = 200
    if ctx.request.method == "POST":
        values = {key: ctx.field(key) for key in values}
        entry, errors = _entry(ctx, m_id, values)
        if entry is not None:
            add_manual_entry(ctx.store, entry, ctx.user.display)
            ctx.flash(f"Запись о публикации («{entry.channel}», {entry.published_on:%d.%m.%Y}) добавлена.")
            return ctx.redirect(f"/m/{m_id}/manual?{choice.query()}")
        status = 400
    data = load(ctx.store, ctx.state.registry, choice.campaign)
    entries = data.manual[data.manual["municipality_id"] == m_id].sort_values("entry_id", ascending=False)
    return ctx.render("manual.html", status=status, nav="municipality", municipality=name, municipality_id=m_id,
                      choice=choice, values=values, errors=errors, institutions=institutions(ctx.store, m_id),
                      suggestions=CHANNEL_SUGGESTIONS, entries=[dict(row) for _, row in entries.iterrows()],
                      back=f"/m/{m_id}?{choice.query()}")


def _entry(ctx: Ctx, m_id: int, values: dict[str, str]) -> tuple[ManualEntry | None, list[str]]:
    """The entry from the form, or the Russian reasons it cannot be saved."""
    errors = []
    institution_id: int | None = None
    if values["institution_id"]:
        known = institutions(ctx.store, m_id)
        if not values["institution_id"].isdigit() or int(values["institution_id"]) not in known:
            errors.append("Выберите учреждение из списка этого муниципалитета")
        else:
            institution_id = int(values["institution_id"])
    if not values["channel"]:
        errors.append("Укажите канал: например, газета, телевидение, стенд")
    elif len(values["channel"]) > MAX_CHANNEL:
        errors.append(f"Название канала длиннее {MAX_CHANNEL} символов")
    if not values["url"] and not values["description"]:
        errors.append("Укажите ссылку на публикацию или опишите её")
    if len(values["url"]) > MAX_URL or len(values["description"]) > MAX_DESCRIPTION:
        errors.append("Ссылка или описание слишком длинные")
    elif values["url"] and safe_href(values["url"]) is None:
        errors.append("Ссылка должна начинаться с http:// или https:// (например, https://angarsk-gazeta.ru/"
                      "news/12); другие ссылки не принимаются. Если ссылки нет, опишите публикацию в поле "
                      "«Описание».")
    published: date | None = None
    try:
        published = date.fromisoformat(values["published_on"])
    except ValueError:
        errors.append("Дата публикации: выберите дату в календаре (ГГГГ-ММ-ДД)")
    if published is not None and published > ctx.state.today():
        errors.append("Дата публикации ещё не наступила")
    if errors or published is None:
        return None, errors
    return ManualEntry(m_id, institution_id, values["channel"], values["url"], values["description"], published), []


__all__ = ["manual_form"]
