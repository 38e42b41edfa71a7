"""Plain functions behind `natmon report …` (also called by the demo and the web app).

The xlsx machinery (reports.form, reports.region_report: openpyxl) is imported by the functions that
write workbooks, so the HTML preview does not load it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from crawler.registry import Campaign, Registry
from crawler.store import Store
from reports import ReportError
from reports.coverage import MunicipalityCoverage, municipality_coverage, region_coverage
from reports.data import CampaignData, load
from reports.labels import channel_label, slug
from reports.mail_status import preview_block, report_state
from reports.periods import DATE_FORMAT, DEFAULT_RULE, BoundaryRule, Period, find_period
from reports.preview import render_municipality, render_region, save
from reports.workers import each_municipality

PeriodArg = Period | date | str | None
CampaignArg = Campaign | str | None


def today_in(registry: Registry) -> date:
    return datetime.now(registry.timezone).date()


def resolve(registry: Registry, campaign: CampaignArg, period: PeriodArg, today: date | None = None,
            rule: BoundaryRule = DEFAULT_RULE) -> tuple[Campaign, Period]:
    """The campaign (object, id or the current one) and the period (object, deadline or the current one)."""
    today = today or today_in(registry)
    found = campaign if isinstance(campaign, Campaign) else registry.campaign(campaign, today)
    return found, period if isinstance(period, Period) else find_period(found, period, today, rule)


def file_name(kind: str, municipality: str | None, period: Period, ext: str) -> str:
    """«draft-g-irkutsk-2025-01-24.xlsx»."""
    who = slug(municipality) if municipality else "region"
    return f"{kind}-{who}-{period.deadline.isoformat()}.{ext}"


def write_preview(store: Store, registry: Registry, campaign: CampaignArg, municipality: str, period: PeriodArg,
                  path: str | Path, *, data: CampaignData | None = None, rule: BoundaryRule = DEFAULT_RULE,
                  coverage: MunicipalityCoverage | None = None) -> Path:
    """The municipality's HTML preview for a period (`coverage`: its coverage, when already computed)."""
    found, period = resolve(registry, campaign, period, rule=rule)
    name = registry.municipality(municipality).name
    if coverage is None:
        coverage = municipality_coverage(data or load(store, registry, found, rule), municipality, period)
    sending = report_state(store.engine, registry, found, name, period.deadline, today_in(registry))
    html = render_municipality(coverage, registry.region, found.name,
                               today_in(registry), sending=preview_block(sending, registry.timezone))
    return save(html, Path(path))


def write_region_preview(store: Store, registry: Registry, campaign: CampaignArg, period: PeriodArg,
                         path: str | Path, *, links: dict[str, str] | None = None,
                         rule: BoundaryRule = DEFAULT_RULE) -> Path:
    """The region page at `path`, linking each municipality to `links[name]` (a relative href).

    Without `links`, each municipality's page is written next to it (preview-<name>-<deadline>.html)
    and linked; `write_region_pages` returns all those paths.
    """
    return write_region_pages(store, registry, campaign, period, path, links=links, rule=rule)[0]


def write_region_pages(store: Store, registry: Registry, campaign: CampaignArg, period: PeriodArg,
                       path: str | Path, *, links: dict[str, str] | None = None,
                       rule: BoundaryRule = DEFAULT_RULE, workers: int = 1) -> list[Path]:
    """The region page and (without `links`) the municipality pages it links to; region page first.
    `workers`: processes computing the municipalities side by side (reports.workers)."""
    found, period = resolve(registry, campaign, period, rule=rule)
    data = load(store, registry, found, rule)
    path = Path(path)
    written: list[Path] = []
    names = data.municipality_names()
    write_pages = links is None

    def municipality(name: str) -> tuple[Path | None, MunicipalityCoverage]:
        """Its coverage, computed once, and (without `links`) its page written from it."""
        coverage = municipality_coverage(data, name, period)
        if not write_pages:
            return None, coverage
        page = path.parent / file_name("preview", name, period, "html")
        return write_preview(store, registry, found, name, period, page, rule=rule, coverage=coverage), coverage

    def coverages() -> Iterator[MunicipalityCoverage]:
        """Each municipality's coverage in turn, for the region's sums (not kept)."""
        done = each_municipality(names, municipality, workers, store)
        for name, (status, result) in zip(names, done):
            if status == "failed":
                raise ReportError(f"{name}: {result}")
            page, coverage = result
            if page is not None:
                written.append(page)
            yield coverage

    if links is None:
        links = {name: file_name("preview", name, period, "html") for name in names}
    region = region_coverage(data, period, coverages())
    html = render_region(region, found.name, links, today_in(registry))
    return [save(html, path), *written]


def write_draft(store: Store, registry: Registry, campaign: CampaignArg, municipality: str, period: PeriodArg,
                path: str | Path, template: str | Path | None = None, *, data: CampaignData | None = None,
                rule: BoundaryRule = DEFAULT_RULE) -> Path:
    """The draft form (xlsx) for a person to check."""
    from reports.form import draft_content, write_form

    found, period = resolve(registry, campaign, period, rule=rule)
    data = data or load(store, registry, found, rule)
    content = draft_content(data, municipality, period)
    return write_form(content, data, Path(path), "draft", today_in(registry), Path(template) if template else None,
                      rule)


class PendingRows(ReportError):
    """The final form is refused while pre-filled rows are unreviewed; `rows` lists them."""

    def __init__(self, message: str, rows: list[str]) -> None:
        super().__init__(message)
        self.rows = rows


def write_final(store: Store, registry: Registry, campaign: CampaignArg, municipality: str, period: PeriodArg,
                path: str | Path, template: str | Path | None = None, *, allow_pending: bool = False,
                data: CampaignData | None = None, rule: BoundaryRule = DEFAULT_RULE) -> Path:
    """The final form: confirmed publications and manual entries only."""
    from reports.form import final_content, write_form

    found, period = resolve(registry, campaign, period, rule=rule)
    data = data or load(store, registry, found, rule)
    content, pending = final_content(data, municipality, period)
    if len(pending) and not allow_pending:
        rows = [f"{row['institution']}, {channel_label(row['channel'])}, {row['local_date']:{DATE_FORMAT}}: {row['url']}"
                for row in pending.to_dict("records")]
        raise PendingRows(f"{content.municipality}, {period.label}: не проверено публикаций: {len(rows)}. "
                          "Отметьте их в черновике и импортируйте (natmon report import) "
                          "или добавьте --allow-pending, чтобы сформировать отчёт только из подтверждённых", rows)
    return write_form(content, data, Path(path), "final", today_in(registry), Path(template) if template else None,
                      rule)


def write_region(store: Store, registry: Registry, campaign: CampaignArg, period: PeriodArg, path: str | Path, *,
                 rule: BoundaryRule = DEFAULT_RULE) -> Path:
    """The regional centre's consolidated workbook (summary + a sheet per municipality)."""
    from reports.region_report import write_region_report

    found, period = resolve(registry, campaign, period, rule=rule)
    return write_region_report(load(store, registry, found, rule), period, Path(path), today_in(registry))


__all__ = ["resolve", "file_name", "write_preview", "write_region_preview", "write_region_pages", "write_draft", "write_final",
           "PendingRows", "today_in", "write_region"]
