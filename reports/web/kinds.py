"""The channel kinds the web app lists in its filters and columns, with their Russian names.

Одноклассники (`ok`) and MAX (`max`) are channels of their own, not «другие каналы»: the
post list filters by them and the overview counts them in columns of their own.
"""

from __future__ import annotations

from reports.labels import CHANNEL_LABELS, channel_label

CRAWLED_KINDS = ("website", "vk", "telegram", "ok", "max")
OWN_LABELS = {"ok": "Одноклассники", "max": "MAX"}


def kind_label(kind: str) -> str:
    """The Russian name of a channel kind (reports.labels first, then the kinds it may not know yet)."""
    return channel_label(kind) if kind in CHANNEL_LABELS else OWN_LABELS.get(kind, kind)


def kind_labels() -> dict[str, str]:
    return {kind: kind_label(kind) for kind in CRAWLED_KINDS}


__all__ = ["CRAWLED_KINDS", "kind_label", "kind_labels"]
