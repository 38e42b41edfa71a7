"""`report draft --all` and `report preview --region` with `--workers N`: the municipalities' reports made side by
side in forked processes."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from crawler.registry import Registry
from crawler.store import Store

from .test_draft import _cells

FILES = ["draft-g-angarsk-2025-01-24.xlsx", "draft-shelekhovskii-raion-2025-01-24.xlsx"]


def draft_all(app: typer.Typer, registry: Registry, store: Store, out: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["report", "draft", "--all", "--period", "24.01.2025", "--output-dir", str(out),
                                      "--sources", str(registry.path), "--db", store.name, *extra])
    return result.exit_code, result.stdout, result.stderr


def test_drafts_written_side_by_side_are_those_written_one_by_one(app: typer.Typer, registry: Registry, store: Store,
                                                                  filled: dict[str, int], tmp_path: Path) -> None:
    code, out, err = draft_all(app, registry, store, tmp_path / "two", "--workers", "2")
    assert (code, err) == (0, "")
    assert out.split() == [str(tmp_path / "two" / name) for name in FILES]  # each path as it is written, in order
    assert draft_all(app, registry, store, tmp_path / "one", "--workers", "1")[0] == 0
    for name in FILES:
        assert _cells(tmp_path / "two" / name) == _cells(tmp_path / "one" / name)
    register = load_workbook(tmp_path / "two" / FILES[0])["Отчёт"]
    assert register["B29"].value == "Школа № 1"  # the posts the workers read from the store themselves


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_draft_that_fails_is_named_and_the_others_are_written(app: typer.Typer, registry: Registry, store: Store,
                                                                filled: dict[str, int], tmp_path: Path,
                                                                workers: str) -> None:
    out_dir = tmp_path / "out"
    (out_dir / FILES[0]).mkdir(parents=True)  # a folder where Ангарск's file should go: it cannot be written
    code, out, err = draft_all(app, registry, store, out_dir, "--workers", workers)
    assert code == 2
    assert "Не все черновики записаны" in err and f"г. Ангарск: Не удалось записать {out_dir / FILES[0]}" in err
    assert out.split() == [str(out_dir / FILES[1])]
    assert load_workbook(out_dir / FILES[1])["Отчёт"]["G2"].value == "Шелеховский район"


def test_workers_below_one_are_refused_in_russian(app: typer.Typer, registry: Registry, store: Store,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NATMON_REPORT_WORKERS", "0")
    code, out, err = draft_all(app, registry, store, tmp_path)
    assert code == 2 and "Число процессов для отчётов должно быть не меньше 1 (задано 0)" in err
    assert not list(tmp_path.glob("*.xlsx"))


def test_region_pages_made_side_by_side_are_those_made_one_by_one(app: typer.Typer, registry: Registry, store: Store,
                                                                  filled: dict[str, int], tmp_path: Path) -> None:
    pages = {}
    for workers in ("1", "2"):
        out = tmp_path / workers
        result = CliRunner().invoke(app, ["report", "preview", "--region", "--period", "24.01.2025", "--output-dir",
                                          str(out), "--sources", str(registry.path), "--db", store.name,
                                          "--workers", workers])
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout.split()[0] == str(out / "preview-region-2025-01-24.html")  # the region page first
        pages[workers] = {path.name: path.read_text("utf-8") for path in out.iterdir()}
    assert len(pages["2"]) == 3 and pages["2"] == pages["1"]
    assert "Школа № 1" in pages["2"]["preview-g-angarsk-2025-01-24.html"]  # posts a worker read from the store


def test_each_report_runs_without_the_cycle_collector_which_is_back_after_it() -> None:
    from reports import ReportError
    from reports.workers import each_municipality

    seen: dict[str, bool] = {}

    def work(name: str) -> str:
        seen[name] = gc.isenabled()
        if name == "Шелеховский район":
            raise ReportError("нет данных")
        return name

    results = list(each_municipality(["г. Ангарск", "Шелеховский район"], work, 1))
    assert results == [("ok", "г. Ангарск"), ("failed", "нет данных")]
    assert seen == {"г. Ангарск": False, "Шелеховский район": False} and gc.isenabled()
