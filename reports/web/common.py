"""Helpers every page uses: the chosen campaign and period, the campaign's data, a municipality."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException

from crawler.registry import Campaign, SourcesError
from reports import ReportError
from reports.api import resolve
from reports.data import CampaignData, load
from reports.periods import DATE_FORMAT, Period, periods
from reports.web.core import Ctx
from reports.web.records import municipalities


@dataclass(slots=True, frozen=True)
class Choice:
    campaign: Campaign
    period: Period
    all_periods: list[Period]

    def query(self) -> str:
        """The query string that selects this campaign and period again."""
        return f"campaign={self.campaign.id}&period={self.period.deadline.isoformat()}"


def choose(ctx: Ctx) -> Choice:
    """Campaign and period from the query (or the form of a POST); the current ones by default."""
    campaign_id = ctx.field("campaign") or ctx.query.get("campaign") or None
    deadline = ctx.field("period") or ctx.query.get("period") or None
    try:
        campaign, period = resolve(ctx.state.registry, campaign_id, deadline, today=ctx.state.today())
    except ReportError as exc:
        raise HTTPException(400, exc.message) from None
    except SourcesError as exc:
        raise HTTPException(400, exc.render()) from None
    return Choice(campaign, period, periods(campaign))


def campaign_data(ctx: Ctx, choice: Choice) -> CampaignData:
    return load(ctx.store, ctx.state.registry, choice.campaign)


def municipality(ctx: Ctx, municipality_id: int) -> str:
    """The municipality's name after checking the user may see it (403) and that it exists (404)."""
    ctx.require(municipality_id)
    name = municipalities(ctx.store).get(municipality_id)
    if name is None:
        raise HTTPException(404, "Такого муниципалитета нет")
    try:
        return ctx.state.registry.municipality(name).name
    except SourcesError:
        raise HTTPException(404, f"Муниципалитета «{name}» больше нет в реестре (sources.yaml)") from None


def period_label(period: Period) -> str:
    return f"{period.label} ({period.start_date:{DATE_FORMAT}} – {period.end_date:{DATE_FORMAT}})"


__all__ = ["Choice", "choose", "campaign_data", "municipality", "period_label"]
