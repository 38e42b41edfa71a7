"""What a report needs about one campaign, read from the store as the report asks for it.

`load` finds the municipalities to report on and reads the manual entries. A municipality's
institutions and channels are read when a report asks for that municipality
(`CampaignData.institutions_of`, `channels_of`; the last one read is kept), so a report of every
municipality holds one municipality's rows at a time, and with a packed registry
(crawler.registry.load(packed=True)) one municipality's records; the whole region's tables
(`institutions`, `channels`) are read only when asked for (the web app). Posts are never all read:
`CampaignData.posts(period, municipality_id)` fetches one period's posts (matched ones only unless
asked; full text only when asked), and the running totals since the campaign start
(`CampaignData.running`) and the relevant posts per local day (`CampaignData.daily`) are counted by
the database in one GROUP BY, so memory stays flat however many posts the store holds. Period bounds are local dates turned into UTC moments in Python and
compared with the stored UTC text (crawler.schema.UtcDateTime), which works on SQLite and
PostgreSQL alike.

Post frames (`POST_COLUMNS`): post_id, channel_id, channel (website|vk|ok|telegram|max), address,
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

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.sql import Select

from crawler import schema as t
from crawler.registry import Campaign, MunicipalityEntry, Registry
from crawler.store import Store
from reports import ReportError
from reports.labels import manual_kind
from reports.periods import DEFAULT_RULE, BoundaryRule, Period, period_for, periods

CHANNEL_KINDS = ("website", "vk", "ok", "telegram", "max")
OTHER = "other"  # manual entries in channels natmon does not crawl (newspaper, TV, stand …)
EXPECTED_KINDS = ("website", "vk", "ok", "telegram")  # an institution without one is listed; MAX is optional
METRICS = ("views", "likes", "reposts", "comments")
MATCHED_LABELS = ("explicit", "implicit")
ONE_DAY = timedelta(days=1)

# Which post text a query brings: all of it, only that of implicit posts (the draft's near-miss
# sheet shows an excerpt), or none (the final form and the region report show no text).
TEXT_ALL, TEXT_NEAR, TEXT_NONE = "all", "near", "none"

POST_COLUMNS = ["post_id", "channel_id", "channel", "address", "institution_id", "institution", "kind",
                "municipality_id", "municipality", "url", "title", "text", "published_at", "local_date",
                *METRICS, "reactions", "label", "projects", "federal_projects", "formats", "evidence", "campaign",
                "decision", "review_who", "review_comment", "period", "relevant", "near_miss"]
# CampaignData.running: relevant posts from the campaign start to a period's end, per institution
# and channel kind; views is NaN when no post there has a view count; last_day is a local date.
RUNNING_COLUMNS = ["institution_id", "channel", "posts", "views", "views_known", "last_day"]
# CampaignData.daily: relevant posts per local day, institution and channel kind.
DAILY_COLUMNS = ["local_date", "institution_id", "channel", "posts"]


@dataclass(slots=True)
class _Rows:
    """One municipality's rows of the tables (`institutions`, `channels`) and its channels' owners."""

    municipality_id: int
    institutions: pd.DataFrame
    channels: pd.DataFrame
    owners: pd.DataFrame


@dataclass(slots=True)
class CampaignData:
    registry: Registry
    campaign: Campaign
    periods: list[Period]
    manual: pd.DataFrame
    store: Store
    ids_by_name: dict[str, int]  # municipality name → id, for those with registry institutions in the store
    current: _Rows | None = None  # the municipality read last
    # the registry channels' ids and their institutions' (int32 arrays, in id order: 0.6 MB at 70,000 channels),
    # so a municipality's channels are read by id rather than by a scan of the channels table for each
    channel_owners: tuple[Any, Any] | None = None
    counted: tuple[tuple[Period, int], tuple[pd.DataFrame, pd.DataFrame]] | None = None  # see _counted
    region: _Rows | None = None  # the whole region's tables, read only when asked for

    @property
    def institutions(self) -> pd.DataFrame:
        """The whole region's institutions (read on first use; a report of one municipality at a time
        uses `institutions_of`)."""
        return self._region().institutions

    @property
    def channels(self) -> pd.DataFrame:
        """The whole region's channels (see `institutions`)."""
        return self._region().channels

    def municipality_names(self) -> list[str]:
        """The municipalities in registry order that have institutions in the store (what a report of
        every municipality goes through)."""
        return list(self.ids_by_name)

    def municipality_id(self, name: str) -> int:
        entry = self.registry.municipality(name)  # raises SourcesError with the known names
        if entry.name not in self.ids_by_name:
            raise ReportError(f"Муниципалитет «{entry.name}» есть в реестре, но не в хранилище или без учреждений; "
                              "выполните natmon crawl (или синхронизацию реестра) и повторите")
        return self.ids_by_name[entry.name]

    def institutions_of(self, municipality_id: int) -> pd.DataFrame:
        """The municipality's rows of `institutions` (as a filter on municipality_id gives them)."""
        return self._rows(municipality_id).institutions

    def channels_of(self, municipality_id: int) -> pd.DataFrame:
        """The rows of `channels` belonging to the municipality's institutions."""
        return self._rows(municipality_id).channels

    def _rows(self, municipality_id: int) -> _Rows:
        m_id = int(municipality_id)
        if self.current is None or self.current.municipality_id != m_id:
            entry = next((self.registry.municipality(name) for name, known in self.ids_by_name.items()
                          if known == m_id), None)
            with self.store.engine.connect() as conn:
                if self.channel_owners is None:
                    self.channel_owners = _channel_owners(conn)
                institutions = _institutions(conn, [] if entry is None else [(entry, m_id)])
                ids, owners = self.channel_owners
                channels = _channels(conn, ids[np.isin(owners, institutions["institution_id"].to_numpy())].tolist())
            self.current = _Rows(m_id, institutions, channels, _owners(channels, institutions))
        return self.current

    def _region(self) -> _Rows:
        if self.region is None:
            municipalities = [(self.registry.municipality(name), m_id) for name, m_id in self.ids_by_name.items()]
            with self.store.engine.connect() as conn:
                institutions = _institutions(conn, municipalities)
                channels = _channels(conn, None)
            channels = channels[channels["institution_id"].isin(institutions["institution_id"])].reset_index(drop=True)
            self.region = _Rows(0, institutions, channels, _owners(channels, institutions))
        return self.region

    def posts(self, period: Period, municipality_id: int | None = None, *, matched_only: bool = True,
              text: str = TEXT_ALL) -> pd.DataFrame:
        """The posts published in the period (local dates), of one municipality or of the region.

        `matched_only`: only posts the matcher labelled explicit or implicit, or a person reviewed
        (the only ones a report shows); the web app's post list asks for all. `text`: TEXT_ALL,
        TEXT_NEAR (implicit posts' text only) or TEXT_NONE."""
        query = _post_query(text).where(*self._window(period.start_date, period.end_date))
        if municipality_id is not None:
            query = query.where(self._of(municipality_id))
        if matched_only:
            query = query.where(or_(t.matches.c.label.in_(MATCHED_LABELS), _LATEST.c.post_id.is_not(None)))
        return self._frame(query, self._region() if municipality_id is None else self._rows(municipality_id))

    def post(self, post_id: int) -> pd.DataFrame:
        """One post (a frame of one row, or none when its channel or institution left the registry)."""
        return self._frame(_post_query(TEXT_ALL).where(t.posts.c.id == post_id), self._region())

    def stored_posts(self) -> Container[int]:
        """`post_id in data.stored_posts()`: the store has that post, published during the campaign (asked
        one id at a time, so no list of every post is held)."""
        return _CampaignPosts(self)

    def running(self, period: Period, municipality_id: int) -> pd.DataFrame:
        """Relevant posts from the campaign start to the period's end, counted by the database per
        institution and channel kind (RUNNING_COLUMNS)."""
        return self._counted(period, municipality_id)[0]

    def daily(self, period: Period, municipality_id: int) -> pd.DataFrame:
        """Relevant posts per local day from the campaign start to the period's end, counted by the
        database per day, institution and channel kind (DAILY_COLUMNS)."""
        return self._counted(period, municipality_id)[1]

    def _counted(self, period: Period, municipality_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """`running` and `daily` from one query (both count the relevant posts from the campaign start to the
        period's end): the database counts per local day, institution and channel kind, with the views and
        the last moment; the running totals add a group's days up. Kept for the last period and municipality."""
        key = (period, int(municipality_id))
        if self.counted is None or self.counted[0] != key:
            self.counted = (key, self._count(period, int(municipality_id)))
        return self.counted[1]

    def _count(self, period: Period, municipality_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        days = list(pd.date_range(period.campaign_start, period.end_date, freq="D").date)
        if not days:
            return pd.DataFrame([], columns=RUNNING_COLUMNS), pd.DataFrame([], columns=DAILY_COLUMNS)
        p, c = t.posts, t.channels
        day = case(*((p.c.published_at < self._moment(d + ONE_DAY), n) for n, d in enumerate(days)))
        # Grouped outside: PostgreSQL does not see a select-list expression with bound parameters as the same
        # as the GROUP BY one.
        each = (_relevant_query(select(day.label("day"), c.c.institution_id, c.c.kind.label("channel"),
                                       p.c.views, p.c.published_at))
                .where(*self._window(days[0], days[-1]), self._of(municipality_id))
                .subquery("each"))
        query = (select(each.c.day, each.c.institution_id, each.c.channel, func.count().label("posts"),
                        func.sum(each.c.views).label("views"), func.count(each.c.views).label("views_known"),
                        func.max(each.c.published_at).label("last_at"))
                 .group_by(each.c.day, each.c.institution_id, each.c.channel))
        daily: list[tuple[int, Any, str, int]] = []
        running: dict[tuple[Any, str], list[Any]] = {}  # (institution, kind) → posts, views, views known, last
        with self.store.engine.connect() as conn:
            for row in conn.execute(query):
                daily.append((int(row.day), row.institution_id, row.channel, int(row.posts)))
                total = running.setdefault((row.institution_id, row.channel), [0, None, 0, row.last_at])
                total[0] += int(row.posts)
                if row.views is not None:
                    total[1] = (total[1] or 0) + int(row.views)
                total[2] += int(row.views_known)
                total[3] = max(total[3], row.last_at)
        mine = self.institutions_of(municipality_id)["institution_id"]
        daily.sort(key=lambda row: row[:3])
        frame = pd.DataFrame([(days[n], *rest) for n, *rest in daily], columns=DAILY_COLUMNS)
        per_day = frame[frame["institution_id"].isin(mine)].reset_index(drop=True)
        rows = [(institution, kind, posts, float("nan") if views is None else float(views), known,
                 last.astimezone(self.registry.timezone).date())
                for (institution, kind), (posts, views, known, last) in sorted(running.items())]
        frame = pd.DataFrame(rows, columns=RUNNING_COLUMNS)
        return frame[frame["institution_id"].isin(mine)].reset_index(drop=True), per_day

    def _of(self, municipality_id: int) -> Any:
        """Condition: a post of the municipality's channels. Named by id, so the database reads those
        channels' posts (the posts' (channel, external id) index) rather than the whole period's."""
        ids = [int(i) for i in self.channels_of(municipality_id)["channel_id"]]
        return t.posts.c.channel_id.in_(ids)

    def _moment(self, day: date) -> datetime:
        """The UTC moment a local day begins."""
        return datetime.combine(day, time.min, self.registry.timezone)

    def _window(self, first: date, last: date) -> tuple[Any, Any]:
        """Conditions: published on a local day from `first` to `last`, both included."""
        return t.posts.c.published_at >= self._moment(first), t.posts.c.published_at < self._moment(last + ONE_DAY)

    def _frame(self, query: Select[Any], rows: _Rows) -> pd.DataFrame:
        # Sorted here, not by ORDER BY: asked for that order, SQLite walks the whole period's posts in the
        # published_at index instead of reading only the municipality's channels' posts and sorting those.
        with self.store.engine.connect() as conn:
            found = [dict(row) for row in conn.execute(query).mappings()]
        found.sort(key=lambda row: (row["published_at"], row["post_id"]))  # UTC ISO text in the store: same order
        return _enrich_posts(found, rows.owners, self.registry, self.periods)


@dataclass(slots=True, frozen=True)
class _CampaignPosts:
    data: CampaignData

    def __contains__(self, post_id: object) -> bool:
        if not isinstance(post_id, int):
            return False
        data = self.data
        last_day = max(data.campaign.end, data.periods[-1].end_date)
        query = select(t.posts.c.id).where(t.posts.c.id == post_id, t.posts.c.deleted.is_(False),
                                           *data._window(data.campaign.start, last_day))
        with data.store.engine.connect() as conn:
            return conn.execute(query).first() is not None


def load(store: Store, registry: Registry, campaign: Campaign, rule: BoundaryRule = DEFAULT_RULE) -> CampaignData:
    """Find the municipalities with institutions in the store and read the manual entries; institutions,
    channels and posts are read per municipality on demand."""
    all_periods = periods(campaign, rule)
    with store.engine.connect() as conn:
        ids_by_name = _municipality_ids(conn, registry)
        manual = _manual(conn)
        known = pd.DataFrame({"municipality_id": list(ids_by_name.values()), "municipality": list(ids_by_name)})
        manual = manual.merge(known, on="municipality_id")
        names = _institution_names(conn, registry, {int(i) for i in manual["institution_id"].dropna()})
    manual["institution"] = [names.get(i, "") if pd.notna(i) else "" for i in manual["institution_id"]]
    manual["period"] = [_period_index(all_periods, d) for d in manual["published_on"]]
    manual["channel_kind"] = [manual_kind(name) for name in manual["channel"]]
    return CampaignData(registry, campaign, all_periods, manual, store, ids_by_name)


def _latest_reviews() -> Any:
    """Each reviewed post's latest review (the greatest (at, id)), as a subquery."""
    r, newer = t.reviews.alias("r"), t.reviews.alias("newer")
    later = select(newer.c.id).where(newer.c.post_id == r.c.post_id,
                                     or_(newer.c.at > r.c.at, and_(newer.c.at == r.c.at, newer.c.id > r.c.id)))
    return select(r.c.post_id, r.c.decision, r.c.who, r.c.comment).where(~later.exists()).subquery("latest")


_LATEST = _latest_reviews()
_FETCHED = ["post_id", "channel_id", "url", "title", "text", "published_at", *METRICS, "label", "projects",
            "federal_projects", "formats", "evidence", "campaign", "decision", "review_who", "review_comment"]


def _joined(query: Select[Any]) -> Select[Any]:
    """Posts with their channel (in the registry), institution, match and latest review; not deleted."""
    p, c, i, m = t.posts, t.channels, t.institutions, t.matches
    return (query.select_from(p.join(c, c.c.id == p.c.channel_id).join(i, i.c.id == c.c.institution_id)
                              .outerjoin(m, m.c.post_id == p.c.id).outerjoin(_LATEST, _LATEST.c.post_id == p.c.id))
            .where(p.c.deleted.is_(False), c.c.in_registry.is_(True)))


def _post_query(text: str) -> Select[Any]:
    p, m = t.posts, t.matches
    shown = {TEXT_ALL: p.c.text, TEXT_NEAR: case((m.c.label == "implicit", p.c.text), else_=literal("")),
             TEXT_NONE: literal("")}[text]
    return _joined(select(p.c.id.label("post_id"), p.c.channel_id, p.c.url, p.c.title, shown.label("text"),
                          p.c.published_at, *(p.c[name] for name in METRICS), m.c.label, m.c.projects,
                          m.c.federal_projects, m.c.formats, m.c.evidence, m.c.campaign, _LATEST.c.decision,
                          _LATEST.c.who.label("review_who"), _LATEST.c.comment.label("review_comment")))


def _relevant_query(query: Select[Any]) -> Select[Any]:
    """Only relevant posts: explicit and not rejected by a person, or confirmed by one."""
    decision = _LATEST.c.decision
    return _joined(query).where(or_(and_(t.matches.c.label == "explicit", func.coalesce(decision, "") != "rejected"),
                                    decision == "confirmed"))


def _store_institutions(conn: Any, municipality_id: int) -> dict[str, int]:
    """The store's institutions of a municipality: name → id (the store may keep ones since removed from the
    registry)."""
    i = t.institutions
    return {row.name: row.id for row in conn.execute(select(i.c.id, i.c.name).where(i.c.municipality_id == municipality_id))}


def _municipality_ids(conn: Any, registry: Registry) -> dict[str, int]:
    """Registry municipality name → store id, in registry order, for each with at least one of its registry
    institutions in the store (one municipality's rows read at a time)."""
    m = t.municipalities
    ids_of = {row.name: row.id for row in conn.execute(select(m.c.id, m.c.name))}
    found: dict[str, int] = {}
    for municipality in registry.municipalities:
        m_id = ids_of.get(municipality.name)
        if m_id is None or municipality.name in found:
            continue
        stored = _store_institutions(conn, m_id)
        if any(institution.name in stored for institution in municipality.all_institutions()):
            found[municipality.name] = m_id
    return found


def _institution_names(conn: Any, registry: Registry, ids: set[int]) -> dict[int, str]:
    """id → name of those of `ids` whose institution is in the registry."""
    if not ids:
        return {}
    i, m = t.institutions, t.municipalities
    rows = conn.execute(select(i.c.id, i.c.name, m.c.name.label("municipality"))
                        .join(m, i.c.municipality_id == m.c.id).where(i.c.id.in_(sorted(ids)))).all()
    entries = {municipality.name: municipality for municipality in registry.municipalities}
    names: dict[int, str] = {}
    for row in rows:
        entry = entries.get(row.municipality)
        if entry is not None and any(institution.name == row.name for institution in entry.all_institutions()):
            names[row.id] = row.name
    return names


def _institutions(conn: Any, municipalities: list[tuple[MunicipalityEntry, int]]) -> pd.DataFrame:
    """The registry's institutions of these municipalities (entry, store id) found in the store, in registry
    order (the store may keep ones since removed from the registry)."""
    columns: dict[str, list[Any]] = {name: [] for name in ("institution_id", "municipality_id", "municipality",
                                                           "institution", "kind",
                                                           *(f"{kind}_configured" for kind in CHANNEL_KINDS))}
    for municipality, m_id in municipalities:  # filled column by column: a dict per row took 1 KB each
        stored = _store_institutions(conn, m_id)
        for institution in municipality.all_institutions():
            found = stored.get(institution.name)
            if found is None:
                continue
            kinds = {c.kind for c in institution.channels if c.enabled}
            for name, value in (("institution_id", found), ("municipality_id", m_id),
                                ("municipality", municipality.name), ("institution", institution.name),
                                ("kind", institution.kind)):
                columns[name].append(value)
            for kind in CHANNEL_KINDS:
                columns[f"{kind}_configured"].append(kind in kinds)
    return pd.DataFrame(columns)


_CHANNEL_COLUMNS = ("channel_id", "institution_id", "channel", "address", "enabled", "last_success", "last_error",
                    "consecutive_failures", "last_warning")


def _channel_owners(conn: Any) -> tuple[Any, Any]:
    """The registry channels' ids and their institutions' ids, in id order."""
    c = t.channels
    ids, owners = [], []
    for row in conn.execute(select(c.c.id, c.c.institution_id).where(c.c.in_registry).order_by(c.c.id)):
        ids.append(row[0])
        owners.append(row[1])
    return np.asarray(ids, dtype=np.int32), np.asarray(owners, dtype=np.int32)


def _channels(conn: Any, channel_ids: list[int] | None) -> pd.DataFrame:
    """The registry's channels of these ids (None: all), read row by row into columns (a region's 70,000 rows
    held at once as row objects took more than the frame); each kind is one shared string."""
    c = t.channels
    columns: tuple[list[Any], ...] = tuple([] for _ in _CHANNEL_COLUMNS)
    kinds: dict[str, str] = {}
    query = select(c.c.id, c.c.institution_id, c.c.kind, c.c.address, c.c.enabled, c.c.last_success,
                   c.c.last_error, c.c.consecutive_failures, c.c.last_warning).where(c.c.in_registry)
    if channel_ids is not None:
        query = query.where(c.c.id.in_(channel_ids)).order_by(c.c.id)
    for row in conn.execute(query):
        for column, value in zip(columns, row):
            column.append(value)
        columns[2][-1] = kinds.setdefault(row[2], row[2])
    return pd.DataFrame(dict(zip(_CHANNEL_COLUMNS, columns)))


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


_CHANNEL_FIELDS = ("institution_id", "channel", "address")
_OWNER_FIELDS = (*_CHANNEL_FIELDS, "institution", "kind", "municipality_id", "municipality")


def _owners(channels: pd.DataFrame, institutions: pd.DataFrame) -> pd.DataFrame:
    """Each registry channel's institution and municipality (`_OWNER_FIELDS`), indexed by channel id: a
    post frame takes its rows by position instead of joining the whole channel and institution tables."""
    where = pd.Index(institutions["institution_id"]).get_indexer(channels["institution_id"])
    kept = where >= 0  # as an inner join: channels of institutions outside the registry drop out
    mine, found = channels[kept], institutions.iloc[where[kept]]
    columns = {name: mine[name].to_numpy() for name in _CHANNEL_FIELDS}
    columns.update({name: found[name].to_numpy() for name in _OWNER_FIELDS if name not in columns})
    return pd.DataFrame(columns, index=pd.Index(mine["channel_id"].to_numpy(), name="channel_id"))[list(_OWNER_FIELDS)]


_LISTS = ("projects", "federal_projects", "formats", "evidence")


def _enrich_posts(found: list[dict[str, Any]], owners: pd.DataFrame, registry: Registry,
                  all_periods: list[Period]) -> pd.DataFrame:
    """Fetched rows (dicts of `_FETCHED`, changed in place) → POST_COLUMNS; channels and institutions outside the
    registry drop out. Each row's own values are put right in Python before the frame is made: done on the
    frame's columns, they cost a pandas object per value (a Timestamp to convert, a cell to box)."""
    timezone = registry.timezone
    for row in found:
        row["local_date"] = local = row["published_at"].astimezone(timezone).date()
        row["period"] = _period_index(all_periods, local)
        row["label"] = row["label"] or ""
        for name in _LISTS:
            value = row[name]
            row[name] = list(value) if isinstance(value, list) else []
        row["campaign"] = bool(row["campaign"]) if row["campaign"] is not None else False
        if not isinstance(row["decision"], str):
            row["decision"] = None
        for name in ("review_who", "review_comment"):
            if not isinstance(row[name], str):
                row[name] = ""
    where = owners.index.get_indexer([row["channel_id"] for row in found])
    if (where < 0).any():
        found = [row for row, at in zip(found, where) if at >= 0]
        where = where[where >= 0]
    frame = pd.DataFrame(found, columns=[*_FETCHED, "local_date", "period"])
    frame["decision"] = pd.Series([row["decision"] for row in found], index=frame.index, dtype=object)  # None kept
    found_owners = owners.iloc[where]
    for name in _OWNER_FIELDS:
        frame[name] = found_owners[name].to_numpy()
    for name in METRICS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    known = frame[["likes", "reposts", "comments"]]
    frame["reactions"] = known.sum(axis=1, min_count=1)
    frame["label"] = frame["label"].astype(object)
    frame["campaign"] = frame["campaign"].astype(bool)
    frame["period"] = frame["period"].astype("int64")
    if frame.empty:  # typed as pandas types an empty list put in a column, as every caller has seen them
        for name in ("local_date", *_LISTS, "campaign", "review_who", "review_comment", "period"):
            frame[name] = frame[name].astype("float64")
    confirmed = frame["decision"] == "confirmed"
    frame["relevant"] = ((frame["label"] == "explicit") & (frame["decision"] != "rejected")) | confirmed
    frame["near_miss"] = (frame["label"] == "implicit") & ~confirmed
    return frame[POST_COLUMNS].reset_index(drop=True)


__all__ = ["CampaignData", "load", "latest_reviews", "CHANNEL_KINDS", "EXPECTED_KINDS", "OTHER", "POST_COLUMNS",
           "RUNNING_COLUMNS", "DAILY_COLUMNS", "TEXT_ALL", "TEXT_NEAR", "TEXT_NONE"]
