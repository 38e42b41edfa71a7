"""Everything a report needs about one campaign, read from the store once into DataFrames.

`CampaignData.posts` columns: post_id, channel_id, channel (website|vk|ok|telegram|max), address,
institution_id, institution, kind, municipality_id, municipality, url, title, text,
published_at (aware UTC), local_date (region-local date), views, likes, reposts, comments
(float, NaN when the source gives none), reactions (likes + reposts + comments where known),
label (explicit|implicit|none, "" when not matched yet), projects, federal_projects, formats,
evidence (lists), campaign (bool), decision (confirmed|rejected|None, the latest review),
review_who, review_comment, period (1-based period index, 0 outside every period),
relevant (explicit and not rejected, or confirmed by a person), near_miss (implicit, not
confirmed). Deleted posts are left out.

`institutions`: institution_id, municipality_id, municipality, institution, kind, and for
each channel kind `<kind>_configured` (the registry lists an enabled one).
`channels`: channel_id, institution_id, channel, address, enabled, last_success,
last_error, consecutive_failures, last_warning. `manual`: entry_id, municipality_id, municipality,
institution_id, institution, channel, url, description, published_on (date or None), who,
at, period, channel_kind (ok or max when the typed channel name means one, else other; see
reports.labels.manual_kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select

from crawler import schema as t
from crawler.registry import Campaign, Registry
from crawler.store import Store
from reports import ReportError
from reports.labels import manual_kind
from reports.periods import DEFAULT_RULE, BoundaryRule, Period, period_for, periods

CHANNEL_KINDS = ("website", "vk", "ok", "telegram", "max")
OTHER = "other"  # manual entries in channels natmon does not crawl (newspaper, TV, stand …)
EXPECTED_KINDS = ("website", "vk", "ok", "telegram")  # an institution without one is listed; MAX is optional
METRICS = ("views", "likes", "reposts", "comments")
LOAD_MARGIN = timedelta(days=1)  # UTC query window slack around local dates

POST_COLUMNS = ["post_id", "channel_id", "channel", "address", "institution_id", "institution", "kind",
                "municipality_id", "municipality", "url", "title", "text", "published_at", "local_date",
                *METRICS, "reactions", "label", "projects", "federal_projects", "formats", "evidence", "campaign",
                "decision", "review_who", "review_comment", "period", "relevant", "near_miss"]


@dataclass(slots=True)
class CampaignData:
    registry: Registry
    campaign: Campaign
    periods: list[Period]
    posts: pd.DataFrame
    institutions: pd.DataFrame
    channels: pd.DataFrame
    manual: pd.DataFrame

    def municipality_id(self, name: str) -> int:
        entry = self.registry.municipality(name)  # raises SourcesError with the known names
        rows = self.institutions[self.institutions["municipality"] == entry.name]
        if rows.empty:
            raise ReportError(f"Муниципалитет «{entry.name}» есть в реестре, но не в хранилище или без учреждений; "
                              "выполните natmon crawl (или синхронизацию реестра) и повторите")
        return int(rows["municipality_id"].iloc[0])


def load(store: Store, registry: Registry, campaign: Campaign, rule: BoundaryRule = DEFAULT_RULE) -> CampaignData:
    """Read posts, matches, reviews, channels, institutions and manual entries of a campaign."""
    all_periods = periods(campaign, rule)
    last_day = max(campaign.end, all_periods[-1].end_date)
    since = datetime.combine(campaign.start, time.min, registry.timezone) - LOAD_MARGIN
    until = datetime.combine(last_day, time.max, registry.timezone) + LOAD_MARGIN
    with store.engine.connect() as conn:
        institutions = _institutions(conn, registry)
        channels = pd.DataFrame(conn.execute(select(
            t.channels.c.id.label("channel_id"), t.channels.c.institution_id, t.channels.c.kind.label("channel"),
            t.channels.c.address, t.channels.c.enabled, t.channels.c.last_success, t.channels.c.last_error,
            t.channels.c.consecutive_failures, t.channels.c.last_warning).where(t.channels.c.in_registry)
            ).mappings().all(),
            columns=["channel_id", "institution_id", "channel", "address", "enabled", "last_success", "last_error",
                     "consecutive_failures", "last_warning"])
        channels = channels[channels["institution_id"].isin(institutions["institution_id"])]
        posts = _posts(conn, since, until)
        reviews = latest_reviews(conn)
        manual = _manual(conn)
    posts = _enrich_posts(posts, channels, institutions, reviews, registry, all_periods)
    manual = manual.merge(institutions[["municipality_id", "municipality"]].drop_duplicates(), on="municipality_id")
    names = dict(zip(institutions["institution_id"], institutions["institution"]))
    manual["institution"] = [names.get(i, "") if pd.notna(i) else "" for i in manual["institution_id"]]
    manual["period"] = [_period_index(all_periods, d) for d in manual["published_on"]]
    manual["channel_kind"] = [manual_kind(name) for name in manual["channel"]]
    return CampaignData(registry, campaign, all_periods, posts, institutions, channels.reset_index(drop=True), manual)


def _institutions(conn: Any, registry: Registry) -> pd.DataFrame:
    """Institutions of the registry (the store may keep ones since removed from it)."""
    rows = conn.execute(select(t.institutions.c.id, t.institutions.c.municipality_id, t.institutions.c.name,
                               t.municipalities.c.name.label("municipality"))
                        .join(t.municipalities, t.institutions.c.municipality_id == t.municipalities.c.id)).all()
    ids = {(row.municipality, row.name): (row.id, row.municipality_id) for row in rows}
    records = []
    for municipality in registry.municipalities:
        for institution in municipality.institutions:
            found = ids.get((municipality.name, institution.name))
            if found is None:
                continue
            kinds = {c.kind for c in institution.channels if c.enabled}
            records.append({"institution_id": found[0], "municipality_id": found[1],
                            "municipality": municipality.name, "institution": institution.name,
                            "kind": institution.kind,
                            **{f"{kind}_configured": kind in kinds for kind in CHANNEL_KINDS}})
    columns = ["institution_id", "municipality_id", "municipality", "institution", "kind",
               *(f"{kind}_configured" for kind in CHANNEL_KINDS)]
    return pd.DataFrame(records, columns=columns)


def _posts(conn: Any, since: datetime, until: datetime) -> pd.DataFrame:
    p, m = t.posts, t.matches
    query = (select(p.c.id.label("post_id"), p.c.channel_id, p.c.url, p.c.title, p.c.text, p.c.published_at,
                    *(p.c[name] for name in METRICS), m.c.label, m.c.projects, m.c.federal_projects, m.c.formats,
                    m.c.evidence, m.c.campaign)
             .outerjoin(m, m.c.post_id == p.c.id)
             .where(p.c.published_at >= since, p.c.published_at <= until, p.c.deleted.is_(False))
             .order_by(p.c.published_at, p.c.id))
    rows = [dict(row) for row in conn.execute(query).mappings()]
    return pd.DataFrame(rows, columns=["post_id", "channel_id", "url", "title", "text", "published_at", *METRICS,
                                       "label", "projects", "federal_projects", "formats", "evidence", "campaign"])


def latest_reviews(conn: Any, post_ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """post id → its latest review (decision, who, at, comment)."""
    r = t.reviews
    query = select(r.c.post_id, r.c.decision, r.c.who, r.c.at, r.c.comment).order_by(r.c.at, r.c.id)
    if post_ids is not None:
        query = query.where(r.c.post_id.in_(post_ids))
    return {row.post_id: dict(row._mapping) for row in conn.execute(query)}


def _manual(conn: Any) -> pd.DataFrame:
    e = t.manual_entries
    rows = [dict(row) for row in conn.execute(select(
        e.c.id.label("entry_id"), e.c.municipality_id, e.c.institution_id, e.c.channel, e.c.url, e.c.description,
        e.c.published_on, e.c.who, e.c.at).order_by(e.c.id)).mappings()]
    frame = pd.DataFrame(rows, columns=["entry_id", "municipality_id", "institution_id", "channel", "url",
                                        "description", "published_on", "who", "at"])
    frame["published_on"] = [_iso_date(value) for value in frame["published_on"]]
    return frame


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _period_index(all_periods: list[Period], day: date | None) -> int:
    found = period_for(all_periods, day) if day is not None else None
    return found.index if found else 0


def _enrich_posts(posts: pd.DataFrame, channels: pd.DataFrame, institutions: pd.DataFrame,
                  reviews: dict[int, dict[str, Any]], registry: Registry, all_periods: list[Period]) -> pd.DataFrame:
    frame = posts.merge(channels[["channel_id", "institution_id", "channel", "address"]], on="channel_id")
    frame = frame.merge(institutions[["institution_id", "institution", "kind", "municipality_id", "municipality"]],
                        on="institution_id")
    frame["local_date"] = [moment.astimezone(registry.timezone).date() for moment in frame["published_at"]]
    for name in METRICS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    known = frame[["likes", "reposts", "comments"]]
    frame["reactions"] = known.sum(axis=1, min_count=1)
    frame["label"] = frame["label"].fillna("").astype(object)
    for name in ("projects", "federal_projects", "formats", "evidence"):
        frame[name] = [list(value) if isinstance(value, list) else [] for value in frame[name]]
    frame["campaign"] = [bool(value) if pd.notna(value) else False for value in frame["campaign"]]
    latest = [reviews.get(int(pid)) for pid in frame["post_id"]]
    frame["decision"] = [r["decision"] if r else None for r in latest]
    frame["review_who"] = [r["who"] if r else "" for r in latest]
    frame["review_comment"] = [r["comment"] if r else "" for r in latest]
    frame["period"] = [_period_index(all_periods, day) for day in frame["local_date"]]
    confirmed = frame["decision"] == "confirmed"
    frame["relevant"] = ((frame["label"] == "explicit") & (frame["decision"] != "rejected")) | confirmed
    frame["near_miss"] = (frame["label"] == "implicit") & ~confirmed
    return frame[POST_COLUMNS].reset_index(drop=True)


__all__ = ["CampaignData", "load", "latest_reviews", "CHANNEL_KINDS", "EXPECTED_KINDS", "OTHER", "POST_COLUMNS"]
