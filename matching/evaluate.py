"""Evaluation: gold labels + predictions → metrics. Pure: no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matching.records import LABELS, Match


@dataclass(slots=True, frozen=True)
class Gold:
    """A labelled post, as far as the evaluation needs it."""

    id: str
    label: str
    projects: frozenset[str] = frozenset()
    federal_projects: frozenset[str] | None = None  # None when the file does not say
    campaign: bool | None = None
    formats: frozenset[str] | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any], fallback_id: str) -> Gold:
        def opt_set(key: str) -> frozenset[str] | None:
            return frozenset(record[key]) if isinstance(record.get(key), list) else None

        return cls(
            id=str(record.get("id") or fallback_id),
            label=str(record["label"]),
            projects=frozenset(record.get("projects") or ()),
            federal_projects=opt_set("federal_projects"),
            campaign=record.get("campaign") if isinstance(record.get("campaign"), bool) else None,
            formats=opt_set("formats"),
        )


@dataclass(slots=True, frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # gold count
    predicted: int


@dataclass(slots=True, frozen=True)
class Miss:
    """A post where the label or the project set is wrong."""

    id: str
    gold_label: str
    predicted_label: str
    gold_projects: tuple[str, ...]
    predicted_projects: tuple[str, ...]
    match: Match


@dataclass(slots=True)
class Report:
    total: int
    labels: dict[str, LabelScore]
    confusion: dict[str, dict[str, int]]  # gold → predicted → count
    projects_total: int  # explicit gold posts naming particular projects
    projects_exact: int
    explicit_total: int  # all explicit gold posts
    explicit_projects_exact: int
    scores: dict[str, float] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    # formats on explicit posts (explicit in the labels and found explicit, the labels giving `formats`):
    # issue #14's measure, with how often each format was missed or added
    formats_explicit_total: int = 0
    formats_explicit_exact: int = 0
    formats_missed: dict[str, int] = field(default_factory=dict)
    formats_extra: dict[str, int] = field(default_factory=dict)

    @property
    def projects_accuracy(self) -> float:
        return _ratio(self.projects_exact, self.projects_total)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(
    gold: Sequence[Gold],
    predicted: Sequence[Match],
    general_label: str = "нацпроекты (в целом)",
    canonical_project: Callable[[str], str] | None = None,
    canonical_programme: Callable[[str], str] | None = None,
) -> Report:
    """Per-label precision/recall/F1, confusion matrix, projects accuracy and the misses.

    With `canonical_project` / `canonical_programme` (the lexicon's), a label that writes a project
    by its long official name or another alias counts as the matcher's canonical name."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    if canonical_project is not None or canonical_programme is not None:
        gold = [_canonical(g, canonical_project, canonical_programme) for g in gold]
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    proj_total = proj_ok = expl_total = expl_ok = 0
    extra = {"federal_projects": [0, 0], "campaign": [0, 0], "formats": [0, 0]}
    misses: list[Miss] = []
    fmt_total = fmt_ok = 0
    fmt_missed: Counter[str] = Counter()
    fmt_extra: Counter[str] = Counter()
    for g, m in zip(gold, predicted, strict=True):
        confusion.setdefault(g.label, {p: 0 for p in LABELS})
        confusion[g.label][m.label] = confusion[g.label].get(m.label, 0) + 1
        projects_ok = True
        if g.label == "explicit":
            expl_total += 1
            projects_ok = frozenset(m.projects) == g.projects
            expl_ok += projects_ok
            if g.projects and g.projects != {general_label}:
                proj_total += 1
                proj_ok += projects_ok
        if g.label == m.label:
            _tally(extra["federal_projects"], g.federal_projects, frozenset(m.federal_projects))
            _tally(extra["campaign"], g.campaign, m.campaign)
            _tally(extra["formats"], g.formats, frozenset(m.formats))
            if g.label == "explicit" and g.formats is not None:
                got = frozenset(m.formats)
                fmt_total += 1
                fmt_ok += got == g.formats
                fmt_missed.update(g.formats - got)
                fmt_extra.update(got - g.formats)
        if g.label != m.label or not projects_ok:
            misses.append(Miss(g.id, g.label, m.label, tuple(sorted(g.projects)), m.projects, m))
    labels = {label: _score(label, confusion) for label in LABELS}
    scores: dict[str, float] = {}
    for label, s in labels.items():
        scores[f"{label}_precision"] = s.precision
        scores[f"{label}_recall"] = s.recall
        scores[f"{label}_f1"] = s.f1
    scores["projects_exact"] = _ratio(proj_ok, proj_total)
    scores["explicit_projects_exact"] = _ratio(expl_ok, expl_total)
    for key, (ok, n) in extra.items():
        if n:
            scores[f"{key}_exact"] = ok / n
    if fmt_total:
        scores["formats_explicit_exact"] = fmt_ok / fmt_total
    return Report(
        total=len(gold),
        labels=labels,
        confusion=confusion,
        projects_total=proj_total,
        projects_exact=proj_ok,
        explicit_total=expl_total,
        explicit_projects_exact=expl_ok,
        scores=scores,
        misses=misses,
        formats_explicit_total=fmt_total,
        formats_explicit_exact=fmt_ok,
        formats_missed=dict(sorted(fmt_missed.items())),
        formats_extra=dict(sorted(fmt_extra.items())),
    )


def _canonical(g: Gold, project: Callable[[str], str] | None, programme: Callable[[str], str] | None) -> Gold:
    projects = frozenset(map(project, g.projects)) if project else g.projects
    federal = frozenset(map(programme, g.federal_projects)) if programme and g.federal_projects is not None else g.federal_projects
    return Gold(g.id, g.label, projects, federal, g.campaign, g.formats)


def _tally(counter: list[int], gold: object, got: object) -> None:
    if gold is None:
        return
    counter[1] += 1
    counter[0] += gold == got


def _score(label: str, confusion: Mapping[str, Mapping[str, int]]) -> LabelScore:
    tp = confusion.get(label, {}).get(label, 0)
    support = sum(confusion.get(label, {}).values())
    predicted = sum(row.get(label, 0) for row in confusion.values())
    precision = _ratio(tp, predicted)
    recall = _ratio(tp, support)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(label, precision, recall, f1, support, predicted)


def gold_from_records(records: Iterable[Mapping[str, Any]]) -> list[Gold]:
    return [Gold.from_record(r, fallback_id=f"#{i}") for i, r in enumerate(records, 1)]
