"""Typed records the matcher returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LABELS: tuple[str, ...] = ("explicit", "implicit", "none")
FORMATS: tuple[str, ...] = (
    "success_story",
    "before_after",
    "people_helped",
    "object_built",
    "region_changed",
    "video",
)


@dataclass(slots=True, frozen=True)
class Evidence:
    """One matched phrase: where it is in the original field and what it matched."""

    phrase: str
    start: int
    end: int
    field: str  # "title" | "text"
    kind: str  # national_project, general, federal_project, programme, hashtag, campaign, format, topic, false_friend
    target: str  # canonical name (or format / cue name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "field": self.field,
            "kind": self.kind,
            "target": self.target,
        }


@dataclass(slots=True, frozen=True)
class Match:
    """The matcher's decision for one post."""

    label: str
    projects: tuple[str, ...]
    federal_projects: tuple[str, ...]
    campaign: bool
    formats: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (lists instead of tuples)."""
        return {
            "label": self.label,
            "projects": list(self.projects),
            "federal_projects": list(self.federal_projects),
            "campaign": self.campaign,
            "formats": list(self.formats),
            "evidence": [e.to_dict() for e in self.evidence],
            "version": self.version,
        }


@dataclass(slots=True, frozen=True)
class CampaignTerms:
    """Key phrases and hashtags of a campaign, as sources.yaml gives them."""

    phrases: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
