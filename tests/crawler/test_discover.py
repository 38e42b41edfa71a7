"""Channel discovery: social links on a school's site become a reviewed sources.yaml change."""

from __future__ import annotations

import httpx
import respx
from typer.testing import CliRunner

from crawler.cli import app
from crawler.discover import apply_proposals, find_proposals
from crawler.registry import load, loads
from tests.conftest import FAST_POLICY

SOURCES = """# Реестр (комментарий должен сохраниться)
region: {name: Область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: Итоги, start: 2025-01-10, end: 2025-03-31, deadlines: [2025-01-13]}
municipalities:
  - name: г. Зима
    authority: Управление образования
    institutions:
      - name: Школа № 1
        kind: school
        channels:
          - website: https://school1.example.ru   # официальный сайт
            news_url: https://school1.example.ru/news
      - name: Школа № 2
        kind: school
        channels: []
      - name: Детский сад № 3
        kind: kindergarten
        note: без каналов
"""

HOME = """<html><body><header><a href="https://vk.com/club555">Мы ВКонтакте</a>
<a href="https://t.me/school1_zima">Telegram</a></header>
<a href="https://vk.com/share.php?url=x">Поделиться</a><a href="https://ok.ru/group/777">ОК</a>
<a href="https://max.ru/School1_MAX">MAX</a><a href="https://max.ru/join/AbCd">вступить</a>
<a href="https://ok.ru/profile/5551">директор</a>
<footer><a href="https://vk.com/club555">ВК</a></footer></body></html>"""


async def test_finds_new_channels_and_skips_known_and_share_links(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    registry = load(path)
    with respx.mock() as mock:
        mock.get("https://school1.example.ru/robots.txt").mock(return_value=httpx.Response(404))
        mock.get("https://school1.example.ru").mock(return_value=httpx.Response(200, text=HOME))
        proposals, problems = await find_proposals(registry, FAST_POLICY)
    assert problems == []
    assert sorted((p.kind, p.address) for p in proposals) == [
        ("max", "school1_max"), ("ok", "https://ok.ru/group/777"), ("telegram", "school1_zima"), ("vk", "club555")]


def test_insertion_keeps_comments_and_handles_every_channels_form(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    registry = load(path)
    from crawler.discover import Proposal

    institutions = {i.name: i for i in registry.municipalities[0].institutions}
    proposals = [Proposal("г. Зима", institutions["Школа № 1"], "vk", "club555", "x"),
                 Proposal("г. Зима", institutions["Школа № 1"], "telegram", "school1_zima", "x"),
                 Proposal("г. Зима", institutions["Школа № 2"], "vk", "club556", "x"),
                 Proposal("г. Зима", institutions["Детский сад № 3"], "telegram", "ds3_zima", "x")]
    after = apply_proposals(SOURCES, proposals)
    assert "# Реестр (комментарий должен сохраниться)" in after and "# официальный сайт" in after
    updated = loads(after, path)
    channels = {i.name: {(c.kind, c.address) for c in i.channels} for i in updated.municipalities[0].institutions}
    assert channels["Школа № 1"] == {("website", "https://school1.example.ru"), ("vk", "club555"),
                                     ("telegram", "school1_zima")}
    assert channels["Школа № 2"] == {("vk", "club556")}
    assert channels["Детский сад № 3"] == {("telegram", "ds3_zima")}
    school1 = next(c for c in updated.municipalities[0].institutions[0].channels if c.kind == "website")
    assert school1.options["news_url"] == "https://school1.example.ru/news"


def test_cli_shows_a_diff_and_writes_only_with_write(tmp_path, monkeypatch):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    monkeypatch.setenv("NATMON_SOURCES", str(path))
    with respx.mock() as mock:
        mock.get("https://school1.example.ru/robots.txt").mock(return_value=httpx.Response(404))
        mock.get("https://school1.example.ru").mock(return_value=httpx.Response(200, text=HOME))
        shown = CliRunner().invoke(app, ["sources", "discover"])
        assert shown.exit_code == 0, shown.output
        assert "+          - vk: club555" in shown.output and "--write" in shown.output
        assert path.read_text(encoding="utf-8") == SOURCES
        written = CliRunner().invoke(app, ["sources", "discover", "--write"])
    assert written.exit_code == 0, written.output
    text = path.read_text(encoding="utf-8")
    assert "vk: club555" in text and "ok: https://ok.ru/group/777" in text  # Одноклассники are crawled now
    assert "max: school1_max" in text
    ok_channels = {c.address for _, _, c in load(path).channels() if c.kind in ("ok", "max")}
    assert ok_channels == {"https://ok.ru/group/777", "school1_max"}
