"""Coverage of a period: who published what, per municipality and for the whole region.

Numbers are built from `reports.data.CampaignData`, one municipality and one period at a time: the
period's posts are fetched, the running totals and the posts per day are counted by the database. A post is
*relevant* when it is `explicit` and not rejected by a person, or confirmed by a person; a
*near miss* is `implicit` and not confirmed. An institution is *silent* in a period when it
has no relevant post in it; *near miss only* when silent but with at least one near miss.

Each channel kind natmon crawls (`reports.data.CHANNEL_KINDS`: website, vk, ok, telegram,
max) is counted on its own; a manual entry counts under `ok` or `max` when the person named
that channel (reports.labels.manual_kind), otherwise under «другие каналы» (`other`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from reports.data import CHANNEL_KINDS, DAILY_COLUMNS, EXPECTED_KINDS, OTHER, CampaignData
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
    posts: dict[str, int]  # relevant posts in the period per channel (website, vk, ok, telegram, max, other)
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
    institutions = data.institutions_of(m_id)
    name = institutions["municipality"].iloc[0]
    posts = data.posts(period, m_id)  # the period's matched posts; the page shows their text
    in_period = posts[posts["period"] == period.index]
    running = data.running(period, m_id)
    manual = data.manual[data.manual["municipality_id"] == m_id]
    channels = data.channels_of(m_id)
    relevant = in_period[in_period["relevant"]]
    near = in_period[in_period["near_miss"]]
    manual_period = manual[manual["period"] == period.index]
    failing_rows = _failing_rows(channels)
    grid = _institution_grid(institutions, in_period, running, manual, failing_rows, period)
    failing = _failing(failing_rows, institutions)
    unconfigured = [(row.institution, [k for k in EXPECTED_KINDS if not getattr(row, f"{k}_configured")])
                    for row in institutions.itertuples()
                    if not all(getattr(row, f"{k}_configured") for k in EXPECTED_KINDS)]
    return MunicipalityCoverage(
        municipality=name, period=period, totals=_totals(institutions, in_period, running, manual, period),
        institutions=grid, silent=list(grid.loc[grid["silent"], "institution"]),
        near_miss_only=list(grid.loc[grid["near_miss_only"], "institution"]),
        failing=failing, unconfigured=unconfigured, posts=relevant.reset_index(drop=True),
        near_misses=near.reset_index(drop=True), manual=manual_period.reset_index(drop=True),
        daily=_daily(data.daily(period, m_id), manual, period))


def region_coverage(data: CampaignData, period: Period,
                    coverages: Iterable[MunicipalityCoverage] | None = None) -> RegionCoverage:
    """Every municipality's coverage, one municipality at a time; the region's figures are their sums.

    `coverages` gives the municipalities' coverages already computed (for instance while their
    pages are written, so each is computed once); it is consumed one at a time and not kept.
    """
    rows = []
    parts: list[Totals] = []
    daily = _daily(pd.DataFrame([], columns=DAILY_COLUMNS), data.manual.iloc[0:0], period)
    if coverages is None:
        coverages = (municipality_coverage(data, name, period) for name in data.municipality_names())
    for cov in coverages:
        municipality = cov.municipality
        totals = cov.totals
        rows.append({"municipality": municipality, "institutions_total": totals.institutions_total,
                     "institutions_covering": totals.institutions_covering,
                     "institutions_covering_cumulative": totals.institutions_covering_cumulative,
                     **totals.posts, "posts_total": totals.posts_total, "views": totals.views,
                     "silent": len(cov.silent), "near_miss_only": len(cov.near_miss_only),
                     "failing": len(cov.failing), "unreviewed": totals.unreviewed, "share": totals.share})
        parts.append(totals)
        daily = daily + cov.daily
    return RegionCoverage(data.registry.region, period, _sum_totals(parts),
                          pd.DataFrame(rows, columns=MUNICIPALITY_COLUMNS), daily)


def _sum_totals(parts: list[Totals]) -> Totals:
    """The region's figures from its municipalities' (each institution belongs to one municipality)."""
    def known(values: list[int | None]) -> int | None:
        found = [value for value in values if value is not None]
        return sum(found) if found else None

    by_kind: Counter[str] = Counter()
    for part in parts:
        by_kind.update(part.institutions_by_kind)
    return Totals(
        institutions_total=sum(p.institutions_total for p in parts), institutions_by_kind=dict(sorted(by_kind.items())),
        institutions_covering=sum(p.institutions_covering for p in parts),
        institutions_covering_cumulative=sum(p.institutions_covering_cumulative for p in parts),
        posts={kind: sum(p.posts[kind] for p in parts) for kind in POST_CHANNELS},
        posts_cumulative={kind: sum(p.posts_cumulative[kind] for p in parts) for kind in POST_CHANNELS},
        views=known([p.views for p in parts]), reactions=known([p.reactions for p in parts]),
        views_cumulative=known([p.views_cumulative for p in parts]),
        near_misses=sum(p.near_misses for p in parts), unreviewed=sum(p.unreviewed for p in parts))


def _cumulative(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    return frame[(frame["period"] >= 1) & (frame["period"] <= period.index)]


def _totals(institutions: pd.DataFrame, posts: pd.DataFrame, running: pd.DataFrame, manual: pd.DataFrame,
            period: Period) -> Totals:
    """`posts`: the period's posts; `running`: relevant posts since the campaign start (RUNNING_COLUMNS).
    Counted over plain lists: a municipality's frames are small, and pandas' cost per operation was most of it."""
    now = posts[posts["relevant"]]
    manual_now = manual[manual["period"] == period.index] if len(manual) else manual
    manual_upto = _cumulative(manual, period) if len(manual) else manual
    ids = set(institutions["institution_id"].tolist())

    def covering(found: Iterable[int], extra: pd.DataFrame) -> int:
        found = set(found) | {int(i) for i in extra["institution_id"].dropna()}
        return len(found & ids)

    upto = [(institution, kind, count, views, known) for institution, kind, count, views, known in zip(
        running["institution_id"].tolist(), running["channel"].tolist(), running["posts"].tolist(),
        running["views"].tolist(), running["views_known"].tolist())]
    known_views = [views for *_, views, known in upto if known > 0]
    return Totals(
        institutions_total=len(institutions),
        institutions_by_kind={str(k): v for k, v in sorted(Counter(institutions["kind"].tolist()).items())},
        institutions_covering=covering(now["institution_id"].tolist(), manual_now),
        institutions_covering_cumulative=covering((row[0] for row in upto if row[2] > 0), manual_upto),
        posts=per_channel(now, manual_now), posts_cumulative=_running_per_channel(upto, manual_upto),
        views=_known_sum(now["views"]), reactions=_known_sum(now["reactions"]),
        views_cumulative=int(sum(known_views)) if known_views else None,
        near_misses=int(sum(posts["near_miss"].tolist())),
        unreviewed=sum(1 for decision in now["decision"].tolist() if decision is None))


def per_channel(posts: pd.DataFrame, manual: pd.DataFrame) -> dict[str, int]:
    """Posts per channel kind, manual entries counted under the kind their channel name means."""
    found = Counter(posts["channel"].tolist())
    typed = Counter(manual["channel_kind"].tolist())
    counts = {kind: found[kind] + typed[kind] for kind in CHANNEL_KINDS}
    counts[OTHER] = typed[OTHER]
    return counts


def _running_per_channel(upto: list[tuple[int, str, int, float, int]], manual: pd.DataFrame) -> dict[str, int]:
    """per_channel for the database's running counts (RUNNING_COLUMNS rows as tuples)."""
    found: Counter[str] = Counter()
    for _, kind, count, _, _ in upto:
        found[kind] += count
    typed = Counter(manual["channel_kind"].tolist())
    counts = {kind: found[kind] + typed[kind] for kind in CHANNEL_KINDS}
    counts[OTHER] = typed[OTHER]
    return counts


def _known_sum(values: pd.Series) -> int | None:
    known = [value for value in values.tolist() if not math.isnan(value)]
    return int(sum(known)) if known else None


def _institution_grid(institutions: pd.DataFrame, posts: pd.DataFrame, running: pd.DataFrame, manual: pd.DataFrame,
                      failing_rows: pd.DataFrame, period: Period) -> pd.DataFrame:
    """One row per institution; every count is looked up in a table counted once (not filtered per row).
    `failing_rows`: the municipality's failing channels."""
    relevant_mask = posts["relevant"].tolist()
    post_ids, post_kinds = posts["institution_id"].tolist(), posts["channel"].tolist()
    relevant = Counter(key for key, keep in zip(zip(post_ids, post_kinds), relevant_mask) if keep)
    near = Counter(key for key, keep in zip(post_ids, posts["near_miss"].tolist()) if keep)
    typed_now: dict[tuple[int, str], int] = {}
    manual_upto: dict[int, int] = {}
    if len(manual):
        manual_now = manual[manual["period"] == period.index]
        typed = manual_now.dropna(subset=["institution_id"]).groupby(["institution_id", "channel_kind"]).size()
        typed_now = {(int(i), kind): n for (i, kind), n in typed.items()}
        manual_upto = _cumulative(manual, period)["institution_id"].dropna().astype(int).value_counts().to_dict()
    failing = Counter(failing_rows["institution_id"].tolist())
    upto_posts: dict[int, int] = {}
    last_days: dict[int, date] = {}
    for key, count, day in zip(running["institution_id"].tolist(), running["posts"].tolist(),
                               running["last_day"].tolist()):
        upto_posts[key] = upto_posts.get(key, 0) + count
        last_days[key] = max(last_days[key], day) if key in last_days else day
    rows = []
    configured = [institutions[f"{k}_configured"].tolist() for k in EXPECTED_KINDS]
    for key, name, kind, *flags in zip(institutions["institution_id"].tolist(), institutions["institution"].tolist(),
                                       institutions["kind"].tolist(), *configured):
        counts = {channel: int(relevant.get((key, channel), 0)) + int(typed_now.get((key, channel), 0))
                  for channel in CHANNEL_KINDS}
        counts[OTHER] = int(typed_now.get((key, OTHER), 0))
        total = sum(counts.values())
        near_count = int(near.get(key, 0))
        rows.append({"institution_id": key, "institution": name, "kind": kind,
                     **counts, "total": total,
                     "total_cumulative": int(upto_posts.get(key, 0)) + int(manual_upto.get(key, 0)),
                     "near_misses": near_count, "last_post": last_days.get(key),
                     "silent": total == 0, "near_miss_only": total == 0 and near_count > 0,
                     "missing_channels": [k for k, flag in zip(EXPECTED_KINDS, flags) if not flag],
                     "failing_channels": int(failing.get(key, 0))})
    return pd.DataFrame(rows, columns=INSTITUTION_COLUMNS)


def _warning(channels: pd.DataFrame) -> pd.Series:
    """«страница не разобрана: …» of channels whose last crawl read nothing it should have ("" when none)."""
    if "last_warning" not in channels:
        return pd.Series("", index=channels.index)
    return channels["last_warning"].fillna("").astype(str)


def _failing_rows(channels: pd.DataFrame) -> pd.DataFrame:
    """The rows of `channels` that are enabled and failed or warned on their last attempts."""
    errors = channels["last_error"].fillna("").astype(str).str.len() > 0
    problems = errors | (channels["consecutive_failures"].fillna(0) > 0) | (_warning(channels).str.len() > 0)
    return channels[channels["enabled"].astype(bool) & problems]


def failing_channels(data: CampaignData, municipality_id: int) -> pd.DataFrame:
    """Channels of a municipality that failed on their last attempts (FAILING_COLUMNS)."""
    channels = data.channels_of(municipality_id)
    return _failing(_failing_rows(channels), data.institutions_of(municipality_id))


def _failing(failing_rows: pd.DataFrame, institutions: pd.DataFrame) -> pd.DataFrame:
    """FAILING_COLUMNS of the failing channels `failing_rows` (rows of `channels`)."""
    names = dict(zip(institutions["institution_id"].tolist(), institutions["institution"].tolist()))
    rows = failing_rows[failing_rows["institution_id"].isin(names)].reset_index(drop=True)  # as an inner join
    rows = rows.assign(institution=[names[i] for i in rows["institution_id"].tolist()])
    warning = _warning(rows)
    reason = ("Предупреждение: " + warning).where(warning != "", "причина не записана")
    rows = rows.assign(last_error=rows["last_error"].fillna(reason))
    return rows[FAILING_COLUMNS].reset_index(drop=True)


def _daily(counts: pd.DataFrame, manual: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Relevant posts per local day and channel from the campaign start to the end of the period
    (`counts`: CampaignData.daily's rows), manual entries added under the kind their channel means."""
    days = pd.date_range(period.campaign_start, period.end_date, freq="D").date
    row_of = {day: n for n, day in enumerate(days)}
    column_of = {kind: n for n, kind in enumerate(POST_CHANNELS)}
    table = np.zeros((len(days), len(POST_CHANNELS)), dtype="int64")
    found = list(zip(counts["local_date"].tolist(), counts["channel"].tolist(), counts["posts"].tolist()))
    manual = _cumulative(manual, period) if len(manual) else manual
    if len(manual):
        manual = manual[manual["published_on"].map(lambda day: isinstance(day, date)).astype(bool)]
        found += [(day, kind, n) for (day, kind), n in manual.groupby(["published_on", "channel_kind"]).size().items()]
    for day, kind, n in found:  # days and kinds outside the chart are left out
        if day in row_of and kind in column_of:
            table[row_of[day], column_of[kind]] += int(n)
    return pd.DataFrame(table, index=pd.Index(days, name="local_date"), columns=list(POST_CHANNELS))


__all__ = ["Totals", "MunicipalityCoverage", "RegionCoverage", "municipality_coverage", "region_coverage",
           "per_channel", "failing_channels",
           "POST_CHANNELS", "INSTITUTION_COLUMNS", "FAILING_COLUMNS", "MUNICIPALITY_COLUMNS"]
