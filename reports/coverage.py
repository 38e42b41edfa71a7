"""Coverage of a period: who published what, per municipality and for the whole region.

Numbers are built from `reports.data.CampaignData` (loaded once per campaign). A post is
*relevant* when it is `explicit` and not rejected by a person, or confirmed by a person; a
*near miss* is `implicit` and not confirmed. An institution is *silent* in a period when it
has no relevant post in it; *near miss only* when silent but with at least one near miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from reports.data import CHANNEL_KINDS, OTHER, CampaignData
from reports.periods import Period

POST_CHANNELS = (*CHANNEL_KINDS, OTHER)

# MunicipalityCoverage.institutions columns, one row per institution of the municipality.
INSTITUTION_COLUMNS = ["institution_id", "institution", "kind", *POST_CHANNELS, "total", "total_cumulative",
                       "near_misses", "last_post", "silent", "near_miss_only", "missing_channels", "failing_channels"]
# failing channels: one row per channel that failed on its last attempts.
FAILING_COLUMNS = ["institution", "channel", "address", "last_error", "consecutive_failures", "last_success"]
# RegionCoverage.municipalities columns, one row per municipality.
MUNICIPALITY_COLUMNS = ["municipality", "institutions_total", "institutions_covering", "institutions_covering_cumulative",
                        *POST_CHANNELS, "posts_total", "views", "silent", "near_miss_only", "failing", "unreviewed",
                        "share"]


@dataclass(slots=True)
class Totals:
    """Headline figures of a municipality or of the region for one period (+ running totals)."""

    institutions_total: int
    institutions_by_kind: dict[str, int]
    institutions_covering: int  # with at least one relevant post in the period
    institutions_covering_cumulative: int  # … since the campaign start
    posts: dict[str, int]  # relevant posts in the period per channel (website, vk, telegram, other)
    posts_cumulative: dict[str, int]
    views: int | None  # None when no source gave views
    reactions: int | None
    views_cumulative: int | None
    near_misses: int
    unreviewed: int  # relevant posts of the period without a person's decision

    @property
    def posts_total(self) -> int:
        return sum(self.posts.values())

    @property
    def posts_total_cumulative(self) -> int:
        return sum(self.posts_cumulative.values())

    @property
    def share(self) -> float:
        """Share of institutions covering the national projects in the period (0..1)."""
        return self.institutions_covering / self.institutions_total if self.institutions_total else 0.0


@dataclass(slots=True)
class MunicipalityCoverage:
    municipality: str
    period: Period
    totals: Totals
    institutions: pd.DataFrame  # INSTITUTION_COLUMNS
    silent: list[str]
    near_miss_only: list[str]
    failing: pd.DataFrame  # FAILING_COLUMNS
    unconfigured: list[tuple[str, list[str]]]  # institution, channel kinds it has none of
    posts: pd.DataFrame  # relevant posts of the period (reports.data.POST_COLUMNS)
    near_misses: pd.DataFrame  # near misses of the period
    manual: pd.DataFrame  # manual entries of the period
    daily: pd.DataFrame  # local_date × POST_CHANNELS counts of relevant posts, campaign start → period end


@dataclass(slots=True)
class RegionCoverage:
    region: str
    period: Period
    totals: Totals
    municipalities: pd.DataFrame  # MUNICIPALITY_COLUMNS
    daily: pd.DataFrame


def municipality_coverage(data: CampaignData, municipality: str, period: Period) -> MunicipalityCoverage:
    m_id = data.municipality_id(municipality)
    name = data.institutions.loc[data.institutions["municipality_id"] == m_id, "municipality"].iloc[0]
    institutions = data.institutions[data.institutions["municipality_id"] == m_id]
    posts = data.posts[data.posts["municipality_id"] == m_id]
    manual = data.manual[data.manual["municipality_id"] == m_id]
    channels = data.channels[data.channels["institution_id"].isin(institutions["institution_id"])]
    in_period = posts[posts["period"] == period.index]
    relevant = in_period[in_period["relevant"]]
    near = in_period[in_period["near_miss"]]
    manual_period = manual[manual["period"] == period.index]
    grid = _institution_grid(institutions, posts, manual, channels, period)
    failing = _failing(channels, institutions)
    unconfigured = [(row.institution, [k for k in CHANNEL_KINDS if not getattr(row, f"{k}_configured")])
                    for row in institutions.itertuples()
                    if not all(getattr(row, f"{k}_configured") for k in CHANNEL_KINDS)]
    return MunicipalityCoverage(
        municipality=name, period=period, totals=_totals(institutions, posts, manual, period), institutions=grid,
        silent=list(grid.loc[grid["silent"], "institution"]),
        near_miss_only=list(grid.loc[grid["near_miss_only"], "institution"]),
        failing=failing, unconfigured=unconfigured, posts=relevant.reset_index(drop=True),
        near_misses=near.reset_index(drop=True), manual=manual_period.reset_index(drop=True),
        daily=_daily(posts, manual, period))


def region_coverage(data: CampaignData, period: Period) -> RegionCoverage:
    rows = []
    for municipality in data.institutions["municipality"].drop_duplicates():
        cov = municipality_coverage(data, municipality, period)
        totals = cov.totals
        rows.append({"municipality": municipality, "institutions_total": totals.institutions_total,
                     "institutions_covering": totals.institutions_covering,
                     "institutions_covering_cumulative": totals.institutions_covering_cumulative,
                     **totals.posts, "posts_total": totals.posts_total, "views": totals.views,
                     "silent": len(cov.silent), "near_miss_only": len(cov.near_miss_only),
                     "failing": len(cov.failing), "unreviewed": totals.unreviewed, "share": totals.share})
    return RegionCoverage(data.registry.region, period,
                          _totals(data.institutions, data.posts, data.manual, period),
                          pd.DataFrame(rows, columns=MUNICIPALITY_COLUMNS), _daily(data.posts, data.manual, period))


def _cumulative(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    return frame[(frame["period"] >= 1) & (frame["period"] <= period.index)]


def _totals(institutions: pd.DataFrame, posts: pd.DataFrame, manual: pd.DataFrame, period: Period) -> Totals:
    relevant = posts[posts["relevant"]]
    now = relevant[relevant["period"] == period.index]
    upto = _cumulative(relevant, period)
    manual_now = manual[manual["period"] == period.index]
    manual_upto = _cumulative(manual, period)

    def per_channel(frame: pd.DataFrame, extra: pd.DataFrame) -> dict[str, int]:
        counts = {kind: int((frame["channel"] == kind).sum()) for kind in CHANNEL_KINDS}
        counts[OTHER] = len(extra)
        return counts

    def covering(frame: pd.DataFrame, extra: pd.DataFrame) -> int:
        ids = set(frame["institution_id"]) | {int(i) for i in extra["institution_id"].dropna()}
        return len(ids & set(institutions["institution_id"]))

    return Totals(
        institutions_total=len(institutions),
        institutions_by_kind={str(k): int(v) for k, v in institutions["kind"].value_counts().sort_index().items()},
        institutions_covering=covering(now, manual_now),
        institutions_covering_cumulative=covering(upto, manual_upto),
        posts=per_channel(now, manual_now), posts_cumulative=per_channel(upto, manual_upto),
        views=_known_sum(now["views"]), reactions=_known_sum(now["reactions"]),
        views_cumulative=_known_sum(upto["views"]),
        near_misses=int((posts["near_miss"] & (posts["period"] == period.index)).sum()),
        unreviewed=int(now["decision"].isna().sum()))


def _known_sum(values: pd.Series) -> int | None:
    known = values.dropna()
    return int(known.sum()) if len(known) else None


def _institution_grid(institutions: pd.DataFrame, posts: pd.DataFrame, manual: pd.DataFrame,
                      channels: pd.DataFrame, period: Period) -> pd.DataFrame:
    relevant = posts[posts["relevant"]]
    now = relevant[relevant["period"] == period.index]
    upto = _cumulative(relevant, period)
    manual_now = manual[manual["period"] == period.index]
    near = posts[posts["near_miss"] & (posts["period"] == period.index)]
    failing = _failing_mask(channels)
    rows = []
    for inst in institutions.itertuples():
        mine = now[now["institution_id"] == inst.institution_id]
        counts = {kind: int((mine["channel"] == kind).sum()) for kind in CHANNEL_KINDS}
        counts[OTHER] = int((manual_now["institution_id"] == inst.institution_id).sum())
        total = sum(counts.values())
        dates = list(upto.loc[upto["institution_id"] == inst.institution_id, "local_date"])
        near_count = int((near["institution_id"] == inst.institution_id).sum())
        rows.append({"institution_id": inst.institution_id, "institution": inst.institution, "kind": inst.kind,
                     **counts, "total": total,
                     "total_cumulative": len(dates) + int(
                         (_cumulative(manual, period)["institution_id"] == inst.institution_id).sum()),
                     "near_misses": near_count, "last_post": max(dates) if dates else None,
                     "silent": total == 0, "near_miss_only": total == 0 and near_count > 0,
                     "missing_channels": [k for k in CHANNEL_KINDS if not getattr(inst, f"{k}_configured")],
                     "failing_channels": int((failing & (channels["institution_id"] == inst.institution_id)).sum())})
    return pd.DataFrame(rows, columns=INSTITUTION_COLUMNS)


def _failing_mask(channels: pd.DataFrame) -> pd.Series:
    errors = channels["last_error"].fillna("").astype(str).str.len() > 0
    return channels["enabled"].astype(bool) & (errors | (channels["consecutive_failures"].fillna(0) > 0))


def _failing(channels: pd.DataFrame, institutions: pd.DataFrame) -> pd.DataFrame:
    rows = channels[_failing_mask(channels)].merge(institutions[["institution_id", "institution"]],
                                                   on="institution_id")
    rows = rows.assign(last_error=rows["last_error"].fillna("причина не записана"))
    return rows[FAILING_COLUMNS].reset_index(drop=True)


def _daily(posts: pd.DataFrame, manual: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Relevant posts per local day and channel from the campaign start to the end of the period."""
    days = pd.date_range(period.campaign_start, period.end_date, freq="D").date
    frame = pd.DataFrame(0, index=pd.Index(days, name="local_date"), columns=list(POST_CHANNELS))
    relevant = _cumulative(posts[posts["relevant"]], period)
    for (day, kind), count in relevant.groupby(["local_date", "channel"]).size().items():
        if kind in frame.columns:  # a kind the reports do not count yet stays out of the chart
            frame.loc[day, kind] = int(count)
    for day, count in _cumulative(manual, period).groupby("published_on").size().items():
        if isinstance(day, date):
            frame.loc[day, OTHER] += int(count)
    return frame


__all__ = ["Totals", "MunicipalityCoverage", "RegionCoverage", "municipality_coverage", "region_coverage",
           "POST_CHANNELS", "INSTITUTION_COLUMNS", "FAILING_COLUMNS", "MUNICIPALITY_COLUMNS"]
