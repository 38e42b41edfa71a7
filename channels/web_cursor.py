"""The website adapter's cursor: newest publication seen and fingerprints of recent items.

An item the listing shows unchanged (same title, date and announce) is not fetched again;
one the listing shows changed is. JSON, owned by this adapter only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

CURSOR_VERSION = 1
SEEN_WINDOW = timedelta(days=45)  # items this much older than the newest are final: never re-checked
MAX_SEEN = 300  # fingerprints kept, newest first


@dataclass(slots=True)
class Seen:
    fingerprint: str
    published_at: datetime | None


@dataclass(slots=True)
class WebCursor:
    newest: datetime | None = None
    seen: dict[str, Seen] = field(default_factory=dict)  # normalised URL -> what the listing showed

    @classmethod
    def load(cls, raw: str | None) -> WebCursor:
        """The cursor from its JSON; an unreadable or foreign one counts as a first crawl."""
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
            newest = datetime.fromisoformat(data["newest"]) if data.get("newest") else None
            seen = {url: Seen(value[0], datetime.fromisoformat(value[1]) if value[1] else None)
                    for url, value in data.get("seen", {}).items()}
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return cls()
        return cls(newest=newest, seen=seen)

    def dump(self) -> str:
        keep = sorted(self.seen.items(), key=lambda pair: _order(pair[1]), reverse=True)
        if self.newest is not None:
            horizon = self.newest - SEEN_WINDOW
            keep = [(url, seen) for url, seen in keep if seen.published_at is None or seen.published_at >= horizon]
        data = {"v": CURSOR_VERSION, "newest": self.newest.isoformat() if self.newest else None,
                "seen": {url: [seen.fingerprint, seen.published_at.isoformat() if seen.published_at else None]
                         for url, seen in keep[:MAX_SEEN]}}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def is_final(self, published_at: datetime | None) -> bool:
        """Older than anything that may still change: stored long ago, or never in range."""
        return published_at is not None and self.newest is not None and published_at < self.newest - SEEN_WINDOW


def _order(seen: Seen) -> float:
    return seen.published_at.timestamp() if seen.published_at else float("inf")
