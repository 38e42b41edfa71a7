"""`natmon parse website`: JSON lines for a listing, an article and a feed; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from crawler.commands.parse_website import register

DATA = Path(__file__).parent.parent / "data" / "web"


def run(*args: str):
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:  # a group, as the lead's `parse` sub-Typer is
        """natmon parse"""

    return CliRunner().invoke(app, ["website", *args])


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_listing_file_prints_each_item() -> None:
    result = run(str(DATA / "samples/gosweb_netcat_news_list_ulmeria_3cards_trimmed.html"),
                 "--base-url", "https://ulmeria.gosuslugi.ru/dlya-zhiteley/novosti-i-reportazhi/")
    assert result.exit_code == 0
    items = json_lines(result.output)
    assert [item["found_by"] for item in items] == ["listing"] * 3
    assert items[0]["date"] == "2026-09-15T16:04:27+08:00"
    assert items[0]["url"].endswith("novosti-193_6946.html")


def test_article_file_prints_one_post_with_media() -> None:
    result = run(str(DATA / "sites/wordpress/2025/03/14/tochka-rosta-robototehnika/index.html"),
                 "--base-url", "https://school-wp.example/2025/03/14/tochka-rosta-robototehnika/")
    assert result.exit_code == 0
    [post] = json_lines(result.output)
    assert post["found_by"] == "article" and post["media"] == ["photo", "video"]
    assert post["text"].startswith("В пятницу в нашей школе")


def test_feed_file_in_koi8r() -> None:
    result = run(str(DATA / "samples/rss20_koi8r_newsru_com.xml"))
    assert result.exit_code == 0
    posts = json_lines(result.output)
    assert len(posts) == 30 and posts[0]["title"].startswith("В Турции")


def test_page_without_news_explains_why() -> None:
    result = run(str(DATA / "samples/html_windows1251_no_charset_declared.html"))
    assert result.exit_code == 0
    assert json_lines(result.output) == []
    assert "дата публикации" in result.output


def test_missing_file_is_exit_2_naming_it() -> None:
    result = run("no-such-page.html")
    assert result.exit_code == 2 and "no-such-page.html" in result.output


def test_unknown_kind_is_exit_2() -> None:
    result = run(str(DATA / "samples/rss20_koi8r_newsru_com.xml"), "--kind", "vk")
    assert result.exit_code == 2 and "vk" in result.output
