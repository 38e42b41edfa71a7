"""The `natmon match` command, through a throwaway Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from crawler.commands.match import register

DATA = Path(__file__).resolve().parents[1] / "data" / "matching"


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps `match` a subcommand
        """Nothing."""

    return app


runner = CliRunner()


def test_text_mode_prints_a_readable_russian_decision(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match", "--text", "Спортзал отремонтирован по нацпроекту «Молодёжь и дети»"])
    assert result.exit_code == 0, result.output
    assert "явное упоминание" in result.output
    assert "Молодёжь и дети" in result.output
    assert "нацпроекту «Молодёжь и дети»" in result.output


def test_jsonl_mode_writes_one_line_per_post(app: typer.Typer, tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(
        json.dumps({"id": "p1", "text": "Урок в «Точке роста»"}, ensure_ascii=False) + "\n\n"
        + json.dumps({"text": "Масленица!", "title": "Праздник"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["match", str(src)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["p1", 2]
    assert rows[0]["label"] == "implicit" and rows[0]["federal_projects"] == ["Точка роста"]
    assert rows[1]["label"] == "none"
    assert {"evidence", "formats", "campaign", "projects"} <= set(rows[0])


def test_stdin_mode(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match", "-"], input='{"id": "x", "text": "#нацпроекты"}\n')
    assert result.exit_code == 0
    assert json.loads(result.output)["label"] == "explicit"


def test_bad_json_line_names_file_and_line(app: typer.Typer, tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    result = runner.invoke(app, ["match", str(src)])
    assert result.exit_code == 2
    assert "bad.jsonl" in result.output and "строка 2" in result.output


def test_missing_text_field_is_an_input_error(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match", "-"], input='{"id": 1}\n')
    assert result.exit_code == 2 and "text" in result.output


def test_missing_file(app: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "Не удалось открыть" in result.output and "nope.jsonl" in result.output


def test_no_mode_or_two_modes_is_an_error(app: typer.Typer) -> None:
    assert runner.invoke(app, ["match"]).exit_code == 2
    assert runner.invoke(app, ["match", "-", "--text", "x"]).exit_code == 2


def test_eval_mode_prints_metrics_confusion_and_projects(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match", "--eval", str(DATA / "hard-cases.jsonl")])
    assert result.exit_code == 0, result.output
    assert "точность" in result.output and "Матрица ошибок" in result.output
    assert "Набор нацпроектов угадан точно" in result.output


def test_eval_lists_misses_with_evidence(app: typer.Typer, tmp_path: Path) -> None:
    src = tmp_path / "gold.jsonl"
    src.write_text(json.dumps({"id": "m1", "text": "по нацпроекту «Семья»", "label": "none", "projects": []},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--eval", str(src)])
    assert result.exit_code == 0
    assert "m1" in result.output and "нацпроекту «Семья»" in result.output


def test_help_is_russian_and_ends_with_examples(app: typer.Typer) -> None:
    result = runner.invoke(app, ["match", "--help"])
    assert result.exit_code == 0
    assert "Примеры" in result.output and "natmon match --eval" in result.output


def test_text_mode_takes_a_publication_date(app: typer.Typer) -> None:
    text = "Оформите Пушкинскую карту"
    before = runner.invoke(app, ["match", "--text", text, "--date", "2024-02-01"])
    after = runner.invoke(app, ["match", "--text", text, "--date", "01.02.2025"])
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    assert "не относится" in before.output and "косвенное упоминание" in after.output
    wrong = runner.invoke(app, ["match", "--text", text, "--date", "позавчера"])
    assert wrong.exit_code == 2 and "--date" in wrong.output


def test_jsonl_and_eval_read_the_publication_date(app: typer.Typer, tmp_path: Path) -> None:
    text = "Оформите Пушкинскую карту"
    src = tmp_path / "posts.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": text, "published_at": "2023-05-01T08:00:00+00:00", "label": "none", "projects": []},
                   ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "text": text, "date": "2025-05-01", "label": "implicit", "projects": []},
                     ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["match", str(src)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["label"] for line in result.output.splitlines()] == ["none", "implicit"]
    evaluated = runner.invoke(app, ["match", "--eval", str(src)])
    assert evaluated.exit_code == 0 and "Промахов нет." in evaluated.output


def test_eval_prints_formats_on_explicit_posts_with_each_format_missed_and_added(app: typer.Typer, tmp_path: Path) -> None:
    src = tmp_path / "gold.jsonl"
    rows = [
        {"id": "f1", "text": "По нацпроекту «Семья» в посёлке построен новый детский сад.", "label": "explicit",
         "projects": ["Семья"], "formats": ["object_built", "video"]},
        {"id": "f2", "text": "Нацпроект «Семья»: в школе прошёл урок о семейных ценностях.", "label": "explicit",
         "projects": ["Семья"], "formats": []},
    ]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["match", "--eval", str(src)])
    assert result.exit_code == 0, result.output
    assert "Форматы на явных постах (явный в разметке и у матчера): совпали на 1 из 2 (0.500)" in result.output
    assert "  video: пропущен 1, лишний 0" in result.output
