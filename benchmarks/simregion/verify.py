"""Compare a crawled store with what the simulated region served: nothing lost, nothing twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, select

from benchmarks.simregion.model import Region


@dataclass(slots=True)
class Check:
    expected: int = 0
    stored: int = 0
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    extra: list[tuple[str, str, str]] = field(default_factory=list)
    duplicated: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.duplicated)

    def describe(self) -> str:
        return (f"expected {self.expected}, stored {self.stored}, missing {len(self.missing)}, "
                f"extra {len(self.extra)}, duplicated {len(self.duplicated)}"
                + (f"; e.g. missing {self.missing[:3]}" if self.missing else "")
                + (f"; e.g. extra {self.extra[:3]}" if self.extra else "")
                + (f"; e.g. twice {self.duplicated[:3]}" if self.duplicated else ""))


def _address_key(kind: str, address: str) -> str:
    return urlsplit(address).hostname or address if kind == "website" else address


def _post_key(kind: str, external_id: str, url: str) -> str:
    if kind != "website":
        return external_id
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _rows(db: str | Path, query):  # type: ignore[no-untyped-def]
    """Rows of a query on a store given by path or SQLAlchemy URL."""
    from crawler.settings import db_url

    engine = create_engine(db_url(str(db)))
    try:
        with engine.connect() as conn:
            return conn.execute(query).all()
    finally:
        engine.dispose()


def stored_posts(url: str | Path) -> dict[tuple[str, str], list[str]]:
    """(kind, address key) -> post keys, one per stored row (duplicates kept)."""
    from crawler import schema as t

    c, p = t.channels, t.posts
    rows = _rows(url, select(c.c.kind, c.c.address, p.c.external_id, p.c.url).join(c, c.c.id == p.c.channel_id))
    result: dict[tuple[str, str], list[str]] = {}
    for kind, address, external_id, url in rows:
        result.setdefault((kind, _address_key(kind, address)), []).append(_post_key(kind, external_id, url))
    return result


def visited_since(url: str | Path, moment: float) -> list[tuple[str, str]]:
    """The channels (kind, address key) crawled successfully since `moment` (epoch seconds)."""
    from crawler import schema as t

    c = t.channels
    since = datetime.fromtimestamp(moment, timezone.utc)
    return [(kind, _address_key(kind, address)) for kind, address in
            _rows(url, select(c.c.kind, c.c.address).where(c.c.last_success >= since))]


def verify(region: Region, url: str | Path, seen_at: dict[tuple[str, str], float] | None = None) -> Check:
    """The store against the sources: each channel as the sources stood at its last visit (`seen_at`: the
    cutoff then; channels left for a later night hold the posts of an earlier night), else as they are now."""
    check = Check()
    stored = stored_posts(url)
    now = region.cutoff
    by_cutoff: dict[float, dict[tuple[str, str], set[str]]] = {}
    for cutoff in {now, *(seen_at or {}).values()}:
        region.cutoff = cutoff
        by_cutoff[cutoff] = region.expected()
    region.cutoff = now
    for channel in by_cutoff[now]:
        keys = by_cutoff[(seen_at or {}).get(channel, now)].get(channel, set())
        check.expected += len(keys)
        rows = stored.pop(channel, [])
        check.stored += len(rows)
        counts = Counter(rows)
        check.missing += [(*channel, key) for key in sorted(keys - counts.keys())]
        check.extra += [(*channel, key) for key in sorted(counts.keys() - keys)]
        check.duplicated += [(*channel, key) for key, count in counts.items() if count > 1]
    for channel, rows in stored.items():  # posts of channels that should have none (broken sources)
        check.stored += len(rows)
        check.extra += [(*channel, key) for key in rows]
    return check
