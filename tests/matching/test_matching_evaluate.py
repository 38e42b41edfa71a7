"""Evaluation arithmetic on a tiny hand-checked example."""

from __future__ import annotations

import pytest

from matching import Match
from matching.evaluate import evaluate, gold_from_records


def _m(label: str, projects: tuple[str, ...] = ()) -> Match:
    return Match(label, projects, (), False, (), (), "test")


def test_metrics_confusion_and_misses() -> None:
    gold = gold_from_records([
        {"id": "a", "label": "explicit", "projects": ["Семья"]},
        {"id": "b", "label": "explicit", "projects": ["Кадры"]},
        {"id": "c", "label": "explicit", "projects": ["нацпроекты (в целом)"]},
        {"id": "d", "label": "implicit", "projects": []},
        {"id": "e", "label": "none", "projects": []},
    ])
    predicted = [
        _m("explicit", ("Семья",)),
        _m("explicit", ("Семья",)),  # right label, wrong project
        _m("implicit"),  # wrong label
        _m("implicit"),
        _m("explicit", ("нацпроекты (в целом)",)),  # false positive
    ]
    report = evaluate(gold, predicted)
    explicit = report.labels["explicit"]
    assert explicit.precision == pytest.approx(2 / 3)
    assert explicit.recall == pytest.approx(2 / 3)
    assert report.labels["implicit"].precision == pytest.approx(1 / 2)
    assert report.labels["none"].recall == 0.0
    assert report.confusion["explicit"] == {"explicit": 2, "implicit": 1, "none": 0}
    assert (report.projects_exact, report.projects_total) == (1, 2)  # only posts naming particular projects
    assert [m.id for m in report.misses] == ["b", "c", "e"]


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError):
        evaluate(gold_from_records([{"label": "none"}]), [])
