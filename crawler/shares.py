"""Shares of the registry for several crawl hosts (`natmon crawl --share K/N`).

A channel belongs to exactly one of N shares, chosen by a stable hash of its kind and normalised
address (sha256, so the same on every machine and in every Python run), so N hosts running one
share each crawl every channel once a night. Pure logic; the locks are in crawler/locks.py.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

WHOLE_LOCK = "crawl"  # the lock name of a crawl of the whole registry (as before shares existed)
MAX_SHARES = 1000
_SHARE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShareError(ValueError):
    """A `--share` value that cannot be used; the message is Russian and says what to write."""


@dataclass(slots=True, frozen=True)
class Share:
    index: int  # 1-based: share 1/4 … 4/4
    count: int

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, kind: str, address: str) -> bool:
        """Whether the channel (kind, normalised address) is crawled by this share."""
        return stable_hash("share", kind, address) % self.count == self.index - 1


def parse_share(value: str) -> Share:
    """`K/N` with 1 ≤ K ≤ N ≤ MAX_SHARES."""
    found = _SHARE.match(value or "")
    example = "например --share 1/2 на первой машине и --share 2/2 на второй"
    if found is None:
        raise ShareError(f"--share: ожидается «K/N» — номер доли и число долей, {example}; получено «{value}».")
    index, count = int(found[1]), int(found[2])
    if not 1 <= count <= MAX_SHARES:
        raise ShareError(f"--share {value}: число долей N должно быть от 1 до {MAX_SHARES}.")
    if not 1 <= index <= count:
        raise ShareError(f"--share {value}: номер доли K должен быть от 1 до {count} ({example}).")
    return Share(index, count)


def stable_hash(salt: str, kind: str, address: str) -> int:
    """A 64-bit hash of a channel, identical on every machine (never Python's `hash()`)."""
    key = f"{salt}\x00{kind}\x00{address.strip().casefold()}".encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def lock_name(share: Share | None) -> str:
    """The lock row (and advisory key) of a crawl: `crawl` for the whole registry, `crawl:K/N` for a share."""
    return WHOLE_LOCK if share is None else f"{WHOLE_LOCK}:{share.label}"


def share_of_lock(name: str) -> Share | None | bool:
    """The share a crawl lock row stands for: a Share, None for the whole registry, False for another lock."""
    if name == WHOLE_LOCK:
        return None
    prefix = f"{WHOLE_LOCK}:"
    if not name.startswith(prefix):
        return False
    try:
        return parse_share(name[len(prefix):])
    except ShareError:
        return False


def overlaps(a: Share | None, b: Share | None) -> bool:
    """Whether two crawls could visit the same channel: the whole registry overlaps everything, shares
    of different N overlap each other, shares of one N only themselves."""
    if a is None or b is None:
        return True
    return a.count != b.count or a.index == b.index


def run_label(share: Share | None) -> str | None:
    """What the crawl-run record keeps in `crawl_runs.share` (NULL: the whole registry)."""
    return None if share is None else share.label


def may_close_run(mine: Share | None, run_share: str | None) -> bool:
    """Whether a crawl holding `mine`'s lock may mark a `running` run of `run_share` interrupted: only runs
    that could not be alive while it holds its lock (its own share's, or the whole registry's, which a
    share's lock excludes; a crawl of the whole registry excludes every other)."""
    if mine is None or run_share is None:
        return True
    return run_share == mine.label


__all__ = ["Share", "ShareError", "parse_share", "stable_hash", "lock_name", "share_of_lock", "overlaps",
           "run_label", "may_close_run", "WHOLE_LOCK"]
