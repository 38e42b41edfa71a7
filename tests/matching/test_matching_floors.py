"""Quality gate: the matcher's scores on the labelled files stay above their floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from matching import Matcher
from matching.evaluate import evaluate, gold_from_records

DATA = Path(__file__).resolve().parents[1] / "data" / "matching"
FLOORS = yaml.safe_load((DATA / "floors.yaml").read_text(encoding="utf-8"))
CASES = [(name, key, floor) for name, floors in FLOORS.items() for key, floor in floors.items()]


@pytest.fixture(scope="module")
def scores(matcher: Matcher) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name in FLOORS:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        predicted = [matcher.match(r.get("title", ""), r["text"]) for r in records]
        out[name] = evaluate(gold_from_records(records), predicted).scores
    return out


@pytest.mark.parametrize(("name", "key", "floor"), CASES, ids=[f"{n}:{k}" for n, k, _ in CASES])
def test_score_is_not_below_its_floor(scores: dict[str, dict[str, float]], name: str, key: str, floor: float) -> None:
    assert key in scores[name], f"нет метрики {key} для {name}"
    assert scores[name][key] >= floor, f"{name}: {key} = {scores[name][key]:.3f} ниже порога {floor}"


def test_targets_of_the_issue_are_floors_too() -> None:
    for floors in FLOORS.values():
        assert floors["explicit_precision"] >= 0.98
        assert floors["implicit_precision"] >= 0.85 and floors["implicit_recall"] >= 0.90
        assert floors["projects_exact"] >= 0.90

