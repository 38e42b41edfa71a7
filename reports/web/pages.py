"""The region overview and the municipality page (the reports' live preview plus actions)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from starlette.exceptions import HTTPException
from starlette.responses import Response

from reports import ReportError
from reports.chart import posts_chart
from reports.coverage import (
    MunicipalityCoverage,
    municipality_coverage,
    region_coverage,
)
from reports.highlight import safe_href
from reports.labels import channel_label, join_labels
from reports.preview import post_view
from reports.web.common import campaign_data, choose, municipality
from reports.web.core import Ctx
from reports.web.files import sending_state
from reports.web.records import municipalities

# Sortable columns of the overview: query value -> (column, heading).
SORT_COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("municipality", "Муниципалитет"),
    "institutions": ("institutions_total", "Учреждений"),
    "covering": ("institutions_covering", "С публикациями"),
    "share": ("share", "Доля"),
    "website": ("website", "Сайт"),
    "vk": ("vk", "ВКонтакте"),
    "telegram": ("telegram", "Telegram"),
    "other": ("other", "Другие"),
    "views": ("views", "Просмотры"),
    "silent": ("silent", "Без публикаций"),
    "failing": ("failing", "Каналы с ошибками"),
    "unreviewed": ("unreviewed", "Не проверено"),
}
DEFAULT_SORT = "name"


def overview(ctx: Ctx) -> Response:
    """Operators: every municipality's coverage for the period. Coordinators go to their own page."""
    if not ctx.user.is_operator:
        suffix = f"?{ctx.request.url.query}" if ctx.request.url.query else ""
        return ctx.redirect(f"/m/{ctx.user.municipality_id}{suffix}")
    choice = choose(ctx)
    data = campaign_data(ctx, choice)
    cov = region_coverage(data, choice.period)
    sort = ctx.query.get("sort", DEFAULT_SORT)
    if sort not in SORT_COLUMNS:
        sort = DEFAULT_SORT
    descending = ctx.query.get("order") == "desc"
    frame = cov.municipalities.sort_values(SORT_COLUMNS[sort][0], ascending=not descending, kind="stable",
                                           na_position="last", key=_sort_key)
    ids = {name: m_id for m_id, name in municipalities(ctx.store).items()}
    rows = [{**dict(row), "id": ids.get(row["municipality"])} for _, row in frame.iterrows()]
    chart = posts_chart(cov.daily, cov.period.start_date, f"Публикации о нацпроектах по дням: {cov.region}")
    return ctx.render("overview.html", nav="overview", cov=cov, totals=cov.totals, rows=rows, chart=chart,
                      choice=choice, columns=SORT_COLUMNS, sort=sort, descending=descending)


def _sort_key(values: pd.Series) -> pd.Series:
    """Names alphabetically regardless of case; figures as numbers, unknown ones (no views) last."""
    if values.name == "municipality":
        return values.astype(str).str.casefold()
    return pd.to_numeric(values, errors="coerce")


def municipality_context(cov: MunicipalityCoverage) -> dict[str, Any]:
    """What the reports' municipality template needs (as `reports.preview.render_municipality`
    builds it), with each post's id so the page can offer review buttons."""
    grid = [dict(row) for _, row in cov.institutions.iterrows()]
    for row in grid:
        row["missing"] = join_labels(row["missing_channels"], {k: channel_label(k) for k in row["missing_channels"]})
    return {
        "cov": cov, "totals": cov.totals, "grid": grid,
        "chart": posts_chart(cov.daily, cov.period.start_date, f"Публикации о нацпроектах по дням: {cov.municipality}"),
        "failing": [dict(row) for _, row in cov.failing.iterrows()],
        "manual": [{**dict(row), "href": safe_href(row["url"])} for _, row in cov.manual.iterrows()],
        "posts": [with_id(row) for _, row in cov.posts.iterrows()],
        "near": [with_id(row) for _, row in cov.near_misses.iterrows()],
        "unconfigured": [(name, join_labels(kinds, {k: channel_label(k) for k in kinds}))
                         for name, kinds in cov.unconfigured],
    }


def with_id(row: Any) -> dict[str, Any]:
    """The preview's view of a post plus what the review buttons need."""
    return {**post_view(row), "post_id": int(row["post_id"]), "decision": row["decision"],
            "municipality_id": int(row["municipality_id"]), "label": row["label"]}


def municipality_page(ctx: Ctx) -> Response:
    m_id = int(ctx.request.path_params["municipality_id"])
    name = municipality(ctx, m_id)
    choice = choose(ctx)
    data = campaign_data(ctx, choice)
    try:
        cov = municipality_coverage(data, name, choice.period)
    except ReportError as exc:
        raise HTTPException(404, exc.message) from None
    return ctx.render("municipality_page.html", nav="municipality", region=ctx.state.registry.region,
                      campaign=choice.campaign.name, choice=choice, municipality_id=m_id,
                      back=f"/m/{m_id}?{choice.query()}", sending=sending_state(ctx, name, choice),
                      **municipality_context(cov))


__all__ = ["overview", "municipality_page", "municipality_context", "SORT_COLUMNS"]
