from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from crawler.registry import Registry
from crawler.store import Store
from reports import api, coverage
from reports.api import write_preview, write_region_pages, write_region_preview
from reports.highlight import highlight, highlight_field, safe_href

from .conftest import add_channel, add_post

HOSTILE_TEXT = "<script>alert('x')</script> Школа и нацпроект «Образование» <img src=x onerror=alert(1)>"


def hostile(store: Store) -> None:
    start = HOSTILE_TEXT.index("нацпроект")
    add_post(store, "club1001", "evil", "2025-01-18T03:00:00", HOSTILE_TEXT, url="javascript:alert(document.cookie)",
             title="<b>Заголовок</b>", evidence=[
                 {"phrase": "нацпроект «Образование»", "start": start, "end": start + 23, "field": "text",
                  "kind": "project", "target": "Образование"},
                 {"phrase": "bad", "start": -5, "end": 3, "field": "text", "kind": "x", "target": ""}])


def test_municipality_page_shows_the_numbers(store: Store, registry: Registry, filled: dict[str, int],
                                             tmp_path: Path) -> None:
    path = write_preview(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "p.html")
    html = path.read_text(encoding="utf-8")
    assert re.search(r'id="covering">2 из 4<', html)
    assert re.search(r'id="posts-total">3<', html)
    assert "с начала кампании: 4" in html
    assert '<div class="small" id="by-kind">детский сад — 2, школа — 2</div>' in html
    assert "период 14.01.2025 – 24.01.2025" in html
    assert '<tr class="near">\n  <td>Детский сад № 5 <span class="tag">только под вопросом</span></td>' in html
    # silent institutions are said in words, not only by the red background
    assert '<tr class="silent">\n  <td>Детский сад № 7 <span class="tag">нет публикаций</span></td>' in html
    assert html.count("нет публикаций</span>") == 1
    assert 'Сработало: <mark class="ev">Точка роста</mark>' in html  # the near miss and its phrase
    assert '<mark class="ev">Образование</mark>' in html
    assert "<svg" in html and "<rect" in html
    assert "<link" not in html and "<script" not in html and "src=" not in html  # self-contained


def test_hostile_post_text_and_links_are_escaped(store: Store, registry: Registry, filled: dict[str, int],
                                                 tmp_path: Path) -> None:
    hostile(store)
    html = write_preview(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "p.html").read_text("utf-8")
    assert "<script" not in html and "<img" not in html and "<b>Заголовок" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Заголовок&lt;/b&gt;" in html
    assert 'href="javascript:' not in html
    assert '<span class="nolink" title="ссылка не http(s), показана как текст">javascript:alert(document.cookie)' in html
    assert '<mark class="ev">нацпроект «Образование»</mark> &lt;img' in html


def test_highlight_escapes_each_piece_and_ignores_bad_spans() -> None:
    text = "a<b>нацпроект</b>"
    assert str(highlight(text, [(1, 13)])) == 'a<mark class="ev">&lt;b&gt;нацпроект</mark>&lt;/b&gt;'
    evidence = [{"start": 100, "end": 120, "field": "text"}, {"start": "1", "end": 3, "field": "text"},
                {"start": 4, "end": 6, "field": "title"}, {"start": 0, "end": 1}, {"start": 0, "end": 2}]
    assert str(highlight_field(text, evidence, "text")) == '<mark class="ev">a&lt;</mark>b&gt;нацпроект&lt;/b&gt;'


def test_only_absolute_http_links_are_links() -> None:
    assert safe_href("https://vk.com/wall-1_2") == "https://vk.com/wall-1_2"
    assert safe_href("http://school.ru/news?id=1") == "http://school.ru/news?id=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:x", "data:text/html,x", "//evil.ru",
                "https:///nohost", "vbscript:x", "https://ok.ru/\nx", None):
        assert safe_href(bad) is None, bad


def test_region_page_links_each_municipality_page(store: Store, registry: Registry, filled: dict[str, int],
                                                  tmp_path: Path) -> None:
    paths = write_region_pages(store, registry, None, "24.01.2025", tmp_path / "region.html")
    html = paths[0].read_text(encoding="utf-8")
    assert [p.name for p in paths[1:]] == ["preview-g-angarsk-2025-01-24.html",
                                            "preview-shelekhovskii-raion-2025-01-24.html"]
    assert '<a href="preview-g-angarsk-2025-01-24.html">г. Ангарск</a>' in html
    assert re.search(r'id="covering">3 из 5<', html)
    assert all(p.exists() for p in paths)


def test_region_pages_compute_each_municipality_once(store: Store, registry: Registry, filled: dict[str, int],
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The region page and the municipality pages share one coverage per municipality (the slow part)."""
    computed: list[str] = []
    original = coverage.municipality_coverage

    def counted(data: Any, municipality: str, period: Any) -> Any:
        computed.append(municipality)
        return original(data, municipality, period)

    monkeypatch.setattr(coverage, "municipality_coverage", counted)
    monkeypatch.setattr(api, "municipality_coverage", counted)
    paths = write_region_pages(store, registry, None, "24.01.2025", tmp_path / "region.html")
    assert sorted(computed) == ["Шелеховский район", "г. Ангарск"]
    assert re.search(r'id="covering">3 из 5<', paths[0].read_text(encoding="utf-8"))


def test_region_page_can_link_pages_written_elsewhere(store: Store, registry: Registry, filled: dict[str, int],
                                                      tmp_path: Path) -> None:
    path = write_region_preview(store, registry, None, "24.01.2025", tmp_path / "region.html",
                                links={"г. Ангарск": "preview-01.html"})
    html = path.read_text(encoding="utf-8")
    assert '<a href="preview-01.html">г. Ангарск</a>' in html and "<td>Шелеховский район</td>" in html
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["region.html"]


def test_odnoklassniki_and_max_have_columns_and_chart_colours(store: Store, registry: Registry,
                                                              filled: dict[str, int], tmp_path: Path) -> None:
    add_channel(store, "Детский сад № 7", "ok", "ok.ru/group/70000000000007")
    add_channel(store, "Детский сад № 7", "max", "max.ru/ds7")
    add_post(store, "ok.ru/group/70000000000007", "t1", "2025-01-19T03:00:00", "Нацпроект «Образование» в саду.")
    add_post(store, "max.ru/ds7", "m1", "2025-01-19T04:00:00", "Нацпроект «Образование» в MAX.")
    add_post(store, "max.ru/ds7", "m2", "2025-01-20T04:00:00", "Снова нацпроект «Образование».")
    html = write_preview(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "p.html").read_text("utf-8")
    assert ("<th>Тип</th><th>сайт</th><th>ВКонтакте</th><th>Одноклассники</th><th>Telegram</th><th>MAX</th>"
            "<th>другие каналы</th><th>Всего за период</th>") in html
    row = html[html.index("<td>Детский сад № 7</td>"):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'<td class="n">(\d+)</td>', row)[:8] == ["0", "0", "1", "0", "2", "0", "3", "3"]
    assert "<title>19.01.2025, Одноклассники: 1</title>" in html and "<title>20.01.2025, MAX: 1</title>" in html
    assert '>Одноклассники</text>' in html and '>MAX</text>' in html  # the chart's legend
    region = write_region_preview(store, registry, None, "24.01.2025", tmp_path / "r.html").read_text("utf-8")
    assert "<th>Одноклассники</th><th>Telegram</th><th>MAX</th>" in region


def test_a_channel_whose_page_was_not_read_is_listed_among_the_channel_problems(
        store: Store, registry: Registry, filled: dict[str, int], tmp_path: Path) -> None:
    target = store.crawl_targets(municipality="г. Ангарск")[0]
    warning = "страница не разобрана: https://t.me/s/school содержит разметку 5 сообщений, но ни одно не прочитано"
    store.channel_succeeded(target.ref.id, None, None, warning=warning)
    html = write_preview(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "p.html").read_text(
        encoding="utf-8")
    problems = html.split("Каналы с ошибками", 1)[1]
    assert f"Предупреждение: {warning}" in problems and target.ref.address in problems
    store.channel_succeeded(target.ref.id, None, None)  # the next crawl read the page: the warning goes
    html = write_preview(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "p.html").read_text(
        encoding="utf-8")
    assert "страница не разобрана" not in html
