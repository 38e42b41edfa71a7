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


def _f(label: str, formats: tuple[str, ...], projects: tuple[str, ...] = ("Семья",)) -> Match:
    return Match(label, projects, (), False, formats, (), "test")


def test_formats_on_explicit_posts_counts_missed_and_added_formats() -> None:
    gold = gold_from_records([
        {"id": "a", "label": "explicit", "projects": ["Семья"], "formats": ["object_built"]},
        {"id": "b", "label": "explicit", "projects": ["Семья"], "formats": ["object_built", "video"]},
        {"id": "c", "label": "explicit", "projects": ["Семья"], "formats": []},
        {"id": "d", "label": "explicit", "projects": ["Семья"], "formats": ["video"]},  # the matcher calls it none
        {"id": "e", "label": "implicit", "projects": [], "formats": ["people_helped"]},  # not explicit
        {"id": "f", "label": "explicit", "projects": ["Семья"]},  # no formats in the labels
    ])
    predicted = [
        _f("explicit", ("object_built",)),
        _f("explicit", ("object_built",)),  # video missed
        _f("explicit", ("people_helped",)),  # people_helped added
        _f("none", (), ()),
        _f("implicit", (), ()),
        _f("explicit", ("video",)),
    ]
    report = evaluate(gold, predicted)
    assert (report.formats_explicit_exact, report.formats_explicit_total) == (1, 3)
    assert report.scores["formats_explicit_exact"] == pytest.approx(1 / 3)
    assert report.formats_missed == {"video": 1}
    assert report.formats_extra == {"people_helped": 1}


def test_a_label_with_a_projects_long_official_name_counts_as_the_canonical_name(matcher) -> None:
    lex = matcher.lexicon
    long_name = "Малое и среднее предпринимательство и поддержка индивидуальной предпринимательской инициативы"
    gold = gold_from_records([{"id": "a", "label": "explicit", "projects": [long_name, "Культура"]}])
    predicted = [_m("explicit", ("Малое и среднее предпринимательство", "Культура"))]
    assert evaluate(gold, predicted).projects_exact == 0  # compared as written
    report = evaluate(gold, predicted, lex.general_label, lex.canonical_project, lex.canonical_programme)
    assert (report.projects_exact, report.projects_total) == (1, 1)
    assert lex.canonical_project("не проект вовсе") == "не проект вовсе"  # an unknown name stays as it is
