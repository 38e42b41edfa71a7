"""Compare a crawled store with what the simulated region served: nothing lost, nothing twice."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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


STORED_POSTS = "SELECT c.kind, c.address, p.external_id, p.url FROM posts p JOIN channels c ON c.id = p.channel_id"


def stored_posts(db: Path | str) -> dict[tuple[str, str], list[str]]:
    """(kind, address key) -> post keys, one per stored row (duplicates kept); `db` a SQLite file or a URL."""
    if "://" in str(db):
        from sqlalchemy import create_engine, text

        engine = create_engine(str(db))
        try:
            with engine.connect() as conn:
                rows = conn.execute(text(STORED_POSTS)).all()
        finally:
            engine.dispose()
    else:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            rows = conn.execute(STORED_POSTS).fetchall()
    result: dict[tuple[str, str], list[str]] = {}
    for kind, address, external_id, url in rows:
        result.setdefault((kind, _address_key(kind, address)), []).append(_post_key(kind, external_id, url))
    return result


def verify(region: Region, db: Path | str) -> Check:
    check = Check()
    stored = stored_posts(db)
    for channel, keys in region.expected().items():
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
