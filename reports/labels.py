"""Russian words a person reads in reports, and safe file names."""

from __future__ import annotations

import re
from typing import Iterable

from crawler.registry import INSTITUTION_KINDS

CHANNEL_LABELS = {"website": "сайт", "vk": "ВКонтакте", "telegram": "Telegram", "other": "другие каналы"}
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
           "CONFIRMED", "REJECTED", "PENDING", "channel_label", "kind_label", "status_label", "join_labels", "slug"]
