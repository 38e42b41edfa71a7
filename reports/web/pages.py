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
from reports.data import TEXT_NONE, CampaignData
from reports.highlight import safe_href
from reports.labels import join_labels
from reports.mail_records import records
from reports.mail_status import status_rows
from reports.preview import post_view
from reports.web.common import Choice, campaign_data, choose, municipality
from reports.web.core import Ctx
from reports.web.files import sending_state
from reports.web.kinds import CRAWLED_KINDS, kind_label
from reports.web.records import municipalities

# Sortable columns of the overview: query value -> (column, heading). Every crawled channel kind
# (Одноклассники and MAX included) has a column of its own; «Другие» is what people typed in.
KIND_COLUMNS = (*CRAWLED_KINDS, "other")
SORT_COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("municipality", "Муниципалитет"),
    "institutions": ("institutions_total", "Учреждений"),
    "covering": ("institutions_covering", "С публикациями"),
    "share": ("share", "Доля"),
    **{kind: (kind, "Сайт" if kind == "website" else kind_label(kind)) for kind in CRAWLED_KINDS},
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
    frame = with_kind_columns(cov.municipalities, data, choice)
    frame = frame.sort_values(SORT_COLUMNS[sort][0], ascending=not descending, kind="stable",
                                           na_position="last", key=_sort_key)
    ids = {name: m_id for m_id, name in municipalities(ctx.store).items()}
    rows = [{**dict(row), "id": ids.get(row["municipality"])} for _, row in frame.iterrows()]
    chart = posts_chart(cov.daily, cov.period.start_date, f"Публикации о нацпроектах по дням: {cov.region}")
    return ctx.render("overview.html", nav="overview", cov=cov, totals=cov.totals, rows=rows, chart=chart,
                      choice=choice, columns=SORT_COLUMNS, sort=sort, descending=descending, kinds=KIND_COLUMNS)


def with_kind_columns(frame: pd.DataFrame, data: CampaignData, choice: Choice) -> pd.DataFrame:
    """The overview's rows with a count for every crawled kind. A kind reports.coverage does not count
    yet gets the same figure it counts for the others: relevant posts of the period."""
    missing = [kind for kind in CRAWLED_KINDS if kind not in frame.columns]
    if not missing:
        return frame
    posts = data.posts(choice.period, text=TEXT_NONE)
    posts = posts[posts["relevant"] & (posts["period"] == choice.period.index)]
    frame = frame.copy()
    for kind in missing:
        counts = posts[posts["channel"] == kind].groupby("municipality").size()
        frame[kind] = [int(counts.get(name, 0)) for name in frame["municipality"]]
    return frame


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
        row["missing"] = join_labels(row["missing_channels"], {k: kind_label(k) for k in row["missing_channels"]})
    return {
        "cov": cov, "totals": cov.totals, "grid": grid,
        "chart": posts_chart(cov.daily, cov.period.start_date, f"Публикации о нацпроектах по дням: {cov.municipality}"),
        "failing": [dict(row) for _, row in cov.failing.iterrows()],
        "manual": [{**dict(row), "href": safe_href(row["url"])} for _, row in cov.manual.iterrows()],
        "posts": [with_id(row) for _, row in cov.posts.iterrows()],
        "near": [with_id(row) for _, row in cov.near_misses.iterrows()],
        "unconfigured": [(name, join_labels(kinds, {k: kind_label(k) for k in kinds}))
                         for name, kinds in cov.unconfigured],
    }


def with_id(row: Any) -> dict[str, Any]:
    """The preview's view of a post plus what the review buttons need."""
    return {**post_view(row), "channel": kind_label(row["channel"]), "post_id": int(row["post_id"]),
            "decision": row["decision"],
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
                      deadlines=campaign_periods(ctx, data, name, choice), **municipality_context(cov))


def campaign_periods(ctx: Ctx, data: CampaignData, name: str, choice: Choice) -> list[dict[str, Any]]:
    """«Все сроки кампании»: each period's coverage (reports.coverage) and whether its report reached
    the regional centre, and when (reports.mail_status)."""
    today = ctx.state.today()
    sent = {row.deadline: row for row in status_rows(records(ctx.store.engine, choice.campaign.id),
                                                     ctx.state.registry, choice.campaign, today)
            if row.municipality == name}
    rows = []
    for period in choice.all_periods:
        totals = municipality_coverage(data, name, period).totals
        state = sent.get(period.deadline)
        rows.append({"period": period, "covering": totals.institutions_covering,
                     "institutions": totals.institutions_total, "posts": totals.posts_total,
                     "unreviewed": totals.unreviewed, "current": period.index == choice.period.index,
                     "state": state.state if state else "not_due",
                     "sending": state.describe(ctx.state.registry.timezone) if state else "",
                     "started": period.start_date <= today})
    return rows


__all__ = ["overview", "municipality_page", "municipality_context", "SORT_COLUMNS"]
