"""The HTML preview: one self-contained page per municipality and one for the region.

Jinja2 with autoescape on; post text is escaped piece by piece with evidence marked
(`reports.highlight`); links are only http(s); the chart is inline SVG; CSS is inline.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from reports.chart import posts_chart
from reports.coverage import POST_CHANNELS, MunicipalityCoverage, RegionCoverage
from reports.highlight import highlight_field, phrases, safe_href
from reports.labels import (
    FORMAT_LABELS,
    channel_label,
    join_labels,
    kind_label,
    status_label,
)

MAX_TEXT = 3000  # characters of a post shown in the preview
DATE_FORMAT = "%d.%m.%Y"


def environment() -> Environment:
    """A new environment (the web app adds its own loader and filters to one)."""
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["kinds"] = POST_CHANNELS  # the channel columns of every table, OK and MAX included
    env.filters["num"] = _num
    env.filters["day"] = _day
    env.filters["channel"] = channel_label
    env.filters["kind"] = kind_label
    env.filters["percent"] = lambda value: f"{value * 100:.0f} %"
    return env


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{int(value):,}".replace(",", "\u00a0")


def _day(value: date | datetime | None) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return value.strftime(DATE_FORMAT)


def post_view(row: Any) -> dict[str, Any]:
    """What the page shows of one post (all text still untrusted; the template escapes it)."""
    text = str(row["text"] or "")[:MAX_TEXT]
    title = str(row["title"] or "")
    return {"href": safe_href(row["url"]), "url": str(row["url"]), "date": row["local_date"],
            "channel": channel_label(row["channel"]), "institution": row["institution"],
            "title": highlight_field(title, row["evidence"], "title") if title else None,
            "text": highlight_field(text, row["evidence"], "text"), "truncated": len(str(row["text"])) > MAX_TEXT,
            "projects": [str(v) for v in row["projects"]], "formats": join_labels(row["formats"], FORMAT_LABELS),
            "phrases": phrases(row["evidence"]), "views": None if pd.isna(row["views"]) else row["views"],
            "status": status_label(row["decision"]), "comment": row["review_comment"]}


@cache
def _pages() -> Environment:
    """The preview's own environment, made once, so a template is compiled once however many pages are written."""
    return environment()


def render_municipality(cov: MunicipalityCoverage, region: str, campaign_name: str, today: date, *,
                        sending: dict[str, str] | None = None) -> str:
    """The municipality page; `sending` ({"state", "text"}, see reports.mail.preview_sending) adds
    whether the report has been sent to the regional centre."""
    grid = cov.institutions.to_dict("records")
    for row in grid:
        row["missing"] = join_labels(row["missing_channels"], {k: channel_label(k) for k in row["missing_channels"]})
    failing = [dict(row) for _, row in cov.failing.iterrows()]
    manual = [{**dict(row), "href": safe_href(row["url"])} for _, row in cov.manual.iterrows()]
    chart = posts_chart(cov.daily, cov.period.start_date,
                        f"Публикации о нацпроектах по дням: {cov.municipality}")
    return _pages().get_template("municipality.html").render(
        cov=cov, totals=cov.totals, region=region, campaign=campaign_name, today=today, chart=chart, grid=grid,
        failing=failing, manual=manual, posts=[post_view(row) for row in cov.posts.to_dict("records")],
        sending=sending, near=[post_view(row) for row in cov.near_misses.to_dict("records")],
        unconfigured=[(name, join_labels(kinds, {k: channel_label(k) for k in kinds}))
                      for name, kinds in cov.unconfigured])


def render_region(cov: RegionCoverage, campaign_name: str, links: dict[str, str], today: date) -> str:
    rows = [{**dict(row), "link": links.get(row["municipality"])} for _, row in cov.municipalities.iterrows()]
    chart = posts_chart(cov.daily, cov.period.start_date, f"Публикации о нацпроектах по дням: {cov.region}")
    return _pages().get_template("region.html").render(
        cov=cov, totals=cov.totals, campaign=campaign_name, rows=rows, chart=chart, today=today)


def save(html: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


__all__ = ["environment", "render_municipality", "render_region", "post_view", "save"]
