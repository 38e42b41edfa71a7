from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from crawler.registry import Registry
from crawler.store import Store


@pytest.fixture
def paths(registry: Registry, store: Store, filled: dict[str, int], tmp_path: Path) -> list[str]:
    return ["--sources", str(registry.path), "--db", store.name]


def run(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["report", *args])
    return result.exit_code, result.stdout, result.stderr


def test_periods_lists_deadlines(app: typer.Typer, registry: Registry) -> None:
    code, out, _ = run(app, "periods", "--sources", str(registry.path), "--campaign", "itogi-np-2025")
    assert code == 0
    assert "2. отчёт по 24.01.2025: публикации 14.01.2025 – 24.01.2025" in out


def test_periods_marks_no_period_current_after_the_campaign(app: typer.Typer, registry: Registry) -> None:
    # the test campaign ended in 2025: today no period is «текущий»
    code, out, _ = run(app, "periods", "--sources", str(registry.path), "--campaign", "itogi-np-2025")
    assert code == 0
    assert "текущий" not in out and "Текущего периода нет: последний закончился 24.03.2025" in out


def test_preview_draft_final_region_print_what_they_wrote(app: typer.Typer, paths: list[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run(app, "preview", "-m", "г. ангарск", "--period", "24.01", "--output-dir", str(out_dir), *paths)
    assert code == 0 and out.strip() == str(out_dir / "preview-g-angarsk-2025-01-24.html")
    code, out, _ = run(app, "preview", "--region", "--period", "24.01", "--output-dir", str(out_dir), *paths)
    assert code == 0 and len(out.split()) == 3
    code, out, _ = run(app, "draft", "--all", "--period", "24.01.2025", "--output-dir", str(out_dir), *paths)
    assert code == 0 and out.split() == [str(out_dir / "draft-g-angarsk-2025-01-24.xlsx"),
                                         str(out_dir / "draft-shelekhovskii-raion-2025-01-24.xlsx")]
    code, _, err = run(app, "final", "-m", "г. Ангарск", "--period", "24.01.2025", "--output-dir", str(out_dir),
                       *paths)
    assert code == 2 and "не проверено публикаций: 3" in err and "  – Школа № 2, Telegram, 22.01.2025" in err
    code, out, _ = run(app, "region", "--period", "24.01.2025", "--output", str(tmp_path / "r.xlsx"), *paths)
    assert code == 0 and out.strip() == str(tmp_path / "r.xlsx")


def test_every_report_command_closes_the_store_it_opened(app: typer.Typer, paths: list[str], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Store] = []
    closed: list[Store] = []
    real_open, real_close = Store.open.__func__, Store.close  # type: ignore[attr-defined]

    def spied_open(cls: type[Store], *args: Any, **kwargs: Any) -> Store:
        opened.append(real_open(cls, *args, **kwargs))
        return opened[-1]

    def spied_close(self: Store) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(Store, "open", classmethod(spied_open))
    monkeypatch.setattr(Store, "close", spied_close)
    out_dir = str(tmp_path / "out")
    commands = [["preview", "-m", "г. Ангарск", "--period", "24.01", "--output-dir", out_dir],
                ["draft", "--all", "--period", "24.01", "--output-dir", out_dir],
                ["final", "-m", "г. Ангарск", "--period", "24.01", "--output-dir", out_dir],  # refused: rows unreviewed
                ["region", "--period", "24.01", "--output", str(tmp_path / "r.xlsx")],
                ["import", str(tmp_path / "out" / "draft-g-angarsk-2025-01-24.xlsx"), "--who", "Иванова А. П."],
                ["status"]]
    for args in commands:
        before = len(opened)
        code = run(app, *args, *paths)[0]
        assert code in (0, 2) and len(opened) == before + 1, args
        assert closed[-1] is opened[-1], args


def test_import_reports_problems_with_exit_1(app: typer.Typer, paths: list[str], tmp_path: Path) -> None:
    draft = tmp_path / "d.xlsx"
    assert run(app, "draft", "-m", "г. Ангарск", "--period", "24.01.2025", "-o", str(draft), *paths)[0] == 0
    wb = load_workbook(draft)
    wb["Отчёт"]["K29"], wb["Отчёт"]["K30"] = "подтверждено", "может быть"
    wb.save(draft)
    code, out, err = run(app, "import", str(draft), "--who", "Иванова", *paths)
    assert code == 1
    assert "новых решений: 1" in out
    assert "строка 30, столбец K («Статус проверки»): неизвестный статус «может быть»" in err
    code, out, _ = run(app, "import", str(draft), "--who", "Иванова", *paths)
    assert "новых решений: 0" in out
    code, _, err = run(app, "import", str(draft), "-m", "Шелеховский район", *paths)
    assert code == 2 and "а не к «Шелеховский район»" in err


@pytest.mark.parametrize(("args", "message"), [
    (["preview", "--period", "24.01"], "Укажите --municipality НАЗВАНИЕ или --region"),
    (["preview", "-m", "Нет такого", "--period", "24.01"], "нет муниципалитета «Нет такого»"),
    (["draft", "-m", "г. Ангарск", "--period", "25.01.2025"], "нет срока отчёта 25.01.2025"),
    (["draft", "-m", "г. Ангарск", "--all"], "либо --municipality НАЗВАНИЕ, либо --all"),
])
def test_bad_input_exits_2_with_a_russian_message(app: typer.Typer, paths: list[str], args: list[str],
                                                  message: str) -> None:
    code, _, err = run(app, *args, *paths)
    assert code == 2 and message in err


def test_missing_sources_and_store_are_named(app: typer.Typer, registry: Registry, tmp_path: Path) -> None:
    code, _, err = run(app, "periods", "--sources", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in err and "файл не найден" in err
    code, _, err = run(app, "region", "--sources", str(registry.path), "--db", str(tmp_path / "none.db"))
    assert code == 2 and "Хранилище" in err and "none.db" in err
    assert not (tmp_path / "none.db").exists()


def test_draft_and_preview_leave_the_garbage_collector_on(app: typer.Typer, paths: list[str], registry: Registry,
                                                           tmp_path: Path) -> None:
    # a report starts with the collector off (crawler.commands.report._starting); a process running reports one
    # after another (the web app, the bot, this test run) must have it back, whether the report was written or not
    code, _, _ = run(app, "draft", "--all", "--period", "24.01", "--output-dir", str(tmp_path), "--workers", "1", *paths)
    assert code == 0 and gc.isenabled()
    code, _, err = run(app, "preview", "--region", "--sources", str(registry.path), "--db", str(tmp_path / "none.db"))
    assert code == 2 and "none.db" in err and gc.isenabled()


def test_a_large_registry_is_read_in_a_second_process(app: typer.Typer, paths: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import crawler.registry
    from crawler.commands import report as command

    read_here: list[int] = []  # the registries this process read (a second process's reads stay in it)

    def loads(*args: Any, **kwargs: Any) -> Registry:
        read_here.append(os.getpid())
        return real_loads(*args, **kwargs)

    real_loads = crawler.registry.loads
    monkeypatch.setattr(command, "READ_AHEAD_BYTES", 0)
    monkeypatch.setattr(crawler.registry, "loads", loads)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    out_dir = tmp_path / "out"
    code, out, _ = run(app, "draft", "--all", "--period", "24.01.2025", "--output-dir", str(out_dir), *paths)
    assert code == 0 and out.split() == [str(out_dir / "draft-g-angarsk-2025-01-24.xlsx"),
                                         str(out_dir / "draft-shelekhovskii-raion-2025-01-24.xlsx")]
    assert read_here == [] and load_workbook(out_dir / "draft-g-angarsk-2025-01-24.xlsx")["Отчёт"]["G2"].value == "г. Ангарск"
    code, out, _ = run(app, "preview", "--region", "--period", "24.01", "--output-dir", str(out_dir), *paths)
    assert code == 0 and len(out.split()) == 3 and read_here == []
    code, _, _ = run(app, "draft", "--all", "--period", "24.01.2025", "--output-dir", str(out_dir), "--workers", "1",
                     *paths)
    assert code == 0 and read_here == [os.getpid()]  # one process asked for: read here


def test_a_broken_registry_read_ahead_is_told_as_always(app: typer.Typer, tmp_path: Path, db: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.commands import report as command

    monkeypatch.setattr(command, "READ_AHEAD_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    sources = tmp_path / "broken.yaml"
    sources.write_text("region: Иркутская область\nmunicipalities:\n  - name: [\n", encoding="utf-8")
    code, _, err = run(app, "draft", "--all", "--sources", str(sources), "--db", db)
    assert code == 2 and "broken.yaml" in err and "строка" in err
