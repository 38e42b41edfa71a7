"""Russian words a person reads in reports, and safe file names."""

from __future__ import annotations

import re
from typing import Iterable

from crawler.registry import INSTITUTION_KINDS

CHANNEL_LABELS = {"website": "сайт", "vk": "ВКонтакте", "ok": "Одноклассники", "telegram": "Telegram", "max": "MAX",
                  "other": "другие каналы"}
# Names a person types for a manual entry («другие каналы») that mean a channel kind of its own:
# such an entry counts under that kind, so Одноклассники typed by hand and crawled land in one column.
MANUAL_KIND_NAMES = {"ok": ("одноклассники", "ok", "ок", "ok.ru"), "max": ("max", "макс", "мессенджер max")}
KIND_LABELS = dict(INSTITUTION_KINDS)
FORMAT_LABELS = {
    "success_story": "история успеха", "before_after": "было/стало", "people_helped": "люди, которым помогли",
    "object_built": "построенный или отремонтированный объект", "region_changed": "как изменился регион",
    "video": "видео",
}
CONFIRMED, REJECTED, PENDING = "подтверждено", "отклонено", "не проверено"
STATUS_LABELS = {"confirmed": CONFIRMED, "rejected": REJECTED, None: PENDING}
STATUS_DECISIONS = {CONFIRMED: "confirmed", REJECTED: "rejected", PENDING: None}
STATUS_CHOICES = (CONFIRMED, REJECTED, PENDING)

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def channel_label(kind: str) -> str:
    return CHANNEL_LABELS.get(kind, kind)


def manual_kind(channel: object) -> str:
    """The channel kind a manual entry's typed channel name means: «ok», «max» or «other»."""
    name = " ".join(str(channel or "").replace("ё", "е").lower().split())
    return next((kind for kind, names in MANUAL_KIND_NAMES.items() if name in names), "other")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def status_label(decision: str | None) -> str:
    return STATUS_LABELS.get(decision, PENDING)


def join_labels(values: Iterable[object], mapping: dict[str, str] | None = None) -> str:
    mapping = mapping or {}
    return ", ".join(mapping.get(str(v), str(v)) for v in values if str(v))


def slug(name: str) -> str:
    """A latin file-name part: «г. Иркутск» → «g-irkutsk»."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in name.lower())
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-") or "municipality"


__all__ = ["CHANNEL_LABELS", "KIND_LABELS", "FORMAT_LABELS", "STATUS_LABELS", "STATUS_DECISIONS", "STATUS_CHOICES",
           "CONFIRMED", "REJECTED", "PENDING", "MANUAL_KIND_NAMES", "channel_label", "manual_kind", "kind_label", "status_label", "join_labels", "slug"]
