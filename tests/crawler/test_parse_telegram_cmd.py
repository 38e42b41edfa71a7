"""`natmon parse telegram`: JSON lines from a saved page, clear errors for the wrong file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from crawler.commands.parse_telegram import register

DATA = Path(__file__).parent.parent / "data" / "telegram"


@pytest.fixture
def app() -> typer.Typer:
    root = typer.Typer()
    parse = typer.Typer(help="Разбор сохранённых страниц.")
    register(parse)
    root.add_typer(parse, name="parse")
    return root


def run(app: typer.Typer, *args: str):
    return CliRunner().invoke(app, ["parse", "telegram", *args])


def test_whole_page_prints_one_json_line_per_post(app: typer.Typer) -> None:
    result = run(app, str(DATA / "tme_s_vmkononov_ru_channel_before_link_albums_video_edited.html"))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [5248, 5258, 5259, 5260, 5267]
    second = lines[1]
    assert second["url"] == "https://t.me/vmkononov/5258"
    assert second["date"] == "2026-09-08T14:52:02+00:00"
    assert second["edited"] is True and second["views"] == 48 and second["media"] == ["photo"]
    assert second["text"].startswith("РАЗВИВАЕМ РЕГИОНАЛЬНЫЕ БРЕНДЫ ВМЕСТЕ!")
    assert lines[4]["media"] == ["photo", "video"]
    assert set(second) == {"id", "url", "date", "text", "views", "media", "repost", "edited"}


def test_single_forwarded_block(app: typer.Typer) -> None:
    result = run(app, str(DATA / "tchan_real_message_blocks" / "parse_forwarded_text_message.html"))
    assert result.exit_code == 0
    [line] = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["repost"] == "https://t.me/some_user" and line["views"] == 2


def test_service_message_is_counted_not_printed(app: typer.Typer) -> None:
    result = run(app, str(DATA / "tme_s_prstnk_eprst_small_ru_channel_service_msg.html"))
    assert result.exit_code == 0
    assert [json.loads(text)["id"] for text in result.stdout.splitlines()] == [2]
    assert "служебных сообщений пропущено — 1" in result.stderr


def test_no_posts_found_prints_nothing(app: typer.Typer) -> None:
    result = run(app, str(DATA / "tchan_real_message_blocks" / "parse_no_posts_found.html"))
    assert result.exit_code == 0
    assert result.stdout == ""


def test_missing_file_exits_2_naming_it(app: typer.Typer, tmp_path: Path) -> None:
    missing = tmp_path / "нет_такого.html"
    result = run(app, str(missing))
    assert result.exit_code == 2
    assert "Файл не найден" in result.stderr and "нет_такого.html" in result.stderr


def test_group_contact_page_exits_2_with_reason(app: typer.Typer) -> None:
    result = run(app, str(DATA / "tme_contact_page_besplatnowb_group_members_online.html"))
    assert result.exit_code == 2
    assert "группы" in result.stderr


def test_unrelated_html_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    page = tmp_path / "school_site.html"
    page.write_text("<html><body><h1>Новости школы</h1><p>Линейка 1 сентября</p></body></html>", encoding="utf-8")
    result = run(app, str(page))
    assert result.exit_code == 2
    assert "school_site.html" in result.stderr and "t.me/s" in result.stderr


def test_help_is_russian_with_examples(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["parse", "telegram", "--help"])
    assert result.exit_code == 0
    assert "Примеры" in result.stdout and "natmon parse telegram" in result.stdout
