"""Pure parsers on real recorded pages and feeds (tests/data/web/samples) and on our own pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from channels.web_discovery import detect_cms, discover_channels, find_feeds, find_news_pages
from channels.web_encoding import decode_html
from channels.web_feeds import parse_feed, parse_sitemap
from channels.web_html import parse_html
from channels.website import parse_article, parse_listing

SAMPLES = Path(__file__).parent.parent / "data" / "web" / "samples"
SITES = Path(__file__).parent.parent / "data" / "web" / "sites"
IRK = ZoneInfo("Asia/Irkutsk")
NOW = datetime(2026, 9, 15, 18, 0, tzinfo=IRK)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


# --- encodings --------------------------------------------------------------------------------------

def test_windows1251_page_without_any_charset_is_decoded() -> None:
    text = decode_html(sample("html_windows1251_no_charset_declared.html"), "text/html")
    assert "МОСКВА, 9 янв - РИА Новости" in text


def test_a_wrong_latin1_header_does_not_win_over_cyrillic_bytes() -> None:
    text = decode_html(sample("html_windows1251_no_charset_declared.html"), "text/html; charset=ISO-8859-1")
    assert "Надежды на разрешение" in text


def test_koi8r_without_declaration_is_detected() -> None:
    body = sample("rss20_koi8r_newsru_com.xml").replace(b'encoding="koi8-r"', b"")
    assert "В Турции психически нездоровый мужчина" in decode_html(body, None)


def test_utf8_page_under_an_old_cp1251_header_stays_utf8() -> None:
    body = "<p>Новости школы</p>".encode("utf-8")
    assert "Новости школы" in decode_html(body, "text/html; charset=windows-1251")


def test_meta_charset_is_used_when_the_header_is_silent() -> None:
    body = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>' \
           '<body>Приём в первый класс</body></html>'
    assert "Приём в первый класс" in decode_html(body.encode("koi8-r"), None)


# --- feeds ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["rss20_koi8r_newsru_com.xml", "rss20_windows1251_newsru_com.xml"])
def test_cp1251_and_koi8_feeds_give_the_same_posts(name: str) -> None:
    posts = parse_feed(sample(name), "http://www.newsru.com/", tz=IRK)
    assert len(posts) == 30
    first = posts[0]
    assert first.title == "В Турции психически нездоровый мужчина взорвал хлопушку в здании Минюста"
    assert first.url == "http://www.newsru.com/world/03jan2006/ankara.html"
    assert first.published_at == datetime(2006, 1, 4, 0, 57, tzinfo=IRK)  # 19:57 +0300
    assert first.text.startswith("Инцидент произошел на одном из этажей")
    assert first.media == ("photo",)  # the enclosure
    assert first.found_by == "feed"


def test_feed_items_without_dates_are_noted_not_dropped_silently() -> None:
    notes: list[str] = []
    posts = parse_feed(sample("rss091_windows1251_aif_ru_health.xml"), "http://www.aif.ru/", tz=IRK, notes=notes)
    assert posts == []
    assert len(notes) == 17 and "нет даты" in notes[0]


def test_dc_date_feed_is_read() -> None:
    posts = parse_feed(sample("rss20_windows1251_anthropology_ru.xml"), "http://anthropology.ru/", tz=IRK)
    assert len(posts) == 20
    assert posts[0].title == "Шестая буддологическая конференция: тезисы"
    assert posts[0].published_at.date().isoformat() == "2004-12-13"


def test_zone_less_feed_dates_are_local() -> None:
    feed = ("<rss version='2.0'><channel><item><title>Акция «Покормите птиц»</title><link>/news/5</link>"
            "<pubDate>Tue, 28 Jan 2025 11:30:00</pubDate><description>Кормушки в сквере.</description>"
            "</item></channel></rss>").encode()
    post = parse_feed(feed, "https://school.example/", tz=IRK)[0]
    assert post.published_at == datetime(2025, 1, 28, 11, 30, tzinfo=IRK)
    assert post.url == "https://school.example/news/5"


def test_sitemap_lastmod_and_index_children() -> None:
    body = (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            b"<url><loc>https://s.example/news/n1.htm</loc><lastmod>2025-03-14</lastmod></url>"
            b"<url><loc>https://s.example/about/</loc></url></urlset>")
    pages, children = parse_sitemap(body, "https://s.example/sitemap.xml", IRK)
    assert [(p.url, p.lastmod) for p in pages] == [("https://s.example/news/n1.htm", datetime(2025, 3, 14, tzinfo=IRK)),
                                                   ("https://s.example/about/", None)]
    index = b"<sitemapindex><sitemap><loc>/sitemap-news.xml</loc></sitemap></sitemapindex>"
    assert parse_sitemap(index, "https://s.example/sitemap.xml", IRK)[1] == ["https://s.example/sitemap-news.xml"]


# --- listings on the real samples -------------------------------------------------------------------

def test_gosweb_microdata_listing() -> None:
    html = decode_html(sample("gosweb_netcat_news_list_ulmeria_3cards_trimmed.html"), None)
    page = parse_listing(html, "https://ulmeria.gosuslugi.ru/dlya-zhiteley/novosti-i-reportazhi/", IRK, NOW, {})
    assert [item.url.rsplit("/", 1)[1] for item in page.items] == [
        "novosti-193_6946.html", "novosti-193_6945.html", "novosti-193_6944.html"]
    first = page.items[0]
    assert first.title == "Концерты, фотоконкурс, экскурсии и футбол: афиша Ульяновска на эту неделю"
    assert first.published_at == datetime(2026, 9, 15, 16, 4, 27, tzinfo=IRK)
    assert first.announce.startswith("По поручению главы города")
    assert page.next_url is None


def test_gosweb_listing_without_microdata_still_skips_category_links() -> None:
    html = decode_html(sample("gosweb_netcat_news_list_ulmeria_3cards_trimmed.html"), None)
    html = html.replace("itemscope", "data-x").replace("itemprop='datePublished'", "data-y")
    page = parse_listing(html, "https://ulmeria.gosuslugi.ru/dlya-zhiteley/novosti-i-reportazhi/", IRK, NOW, {})
    assert [item.url.rsplit("/", 1)[1] for item in page.items] == [
        "novosti-193_6946.html", "novosti-193_6945.html", "novosti-193_6944.html"]
    assert page.items[0].published_at == datetime(2026, 9, 15, 16, 4, tzinfo=IRK)  # from «Сегодня, 16:04»'s title


def test_handmade_home_page_onclick_news_with_trailing_dot_date() -> None:
    html = decode_html(sample("school_homepage_shkolaserb_custom_cms_last_news_onclick_2018.html"), None)
    page = parse_listing(html, "http://shkolaserb.ru/", IRK, NOW, {})
    assert len(page.items) == 1
    item = page.items[0]
    assert item.url == "http://shkolaserb.ru/news.php?y=2017-2018&n=460"
    assert item.title == "ПРАЗДНИКИ ШКОЛЬНОЙ ВЕСНЫ"
    assert item.published_at == datetime(2018, 3, 7, tzinfo=IRK)
    assert "праздничный концерт" in item.announce


def test_handmade_home_page_menu_leads_to_news() -> None:
    html = decode_html(sample("school_homepage_shkolaserb_custom_cms_last_news_onclick_2018.html"), None)
    candidates = find_news_pages(parse_html(html), "http://shkolaserb.ru/")
    assert "http://shkolaserb.ru/page.php?n=novost" in candidates
    assert "http://shkolaserb.ru/newsall.php" in candidates


def test_override_selectors_pick_items_the_heuristics_would_not() -> None:
    html = ("<div class='spisok'><div class='z'><span class='d'>Дата: 05.02.2025</span><span class='t'>Приём "
            "в первый класс</span><a class='m' href='/x/4'>подробнее</a><div class='a'>С 1 апреля.</div></div></div>")
    options = {"item": ".spisok .z", "title": ".t", "link": "a.m", "date": ".d", "text": ".a"}
    page = parse_listing(html, "https://s.example/", IRK, NOW, options)
    assert [(i.url, i.title, i.published_at, i.announce, i.found_by) for i in page.items] == [
        ("https://s.example/x/4", "Приём в первый класс", datetime(2025, 2, 5, tzinfo=IRK), "С 1 апреля.",
         "override")]


def test_bad_override_selector_is_noted() -> None:
    page = parse_listing("<p>x</p>", "https://s.example/", IRK, NOW, {"item": "div[["})
    assert page.items == [] and "селектор" in page.notes[0]


@pytest.mark.parametrize(("html", "expected"), [
    ("<link rel='next' href='/news/?curPos=20'>", "https://s.example/news/?curPos=20"),
    ("<div class='pagination'><a href='/news/?curPos=0'>1</a><span>2</span>"
     "<a href='/news/?curPos=20'>3</a></div>", "https://s.example/news/?curPos=20"),
    ("<a href='/news/page-3/'>Следующая</a>", "https://s.example/news/page-3/"),
    ("<ul class='bx-pagination'><li><a href='/news/'><span>1</span></a></li><li class='bx-active'><span>2</span>"
     "</li><li><a href='/news/page-3/'><span>3</span></a></li></ul>", "https://s.example/news/page-3/"),
    ("<div class='pagination'><a href='/news/?curPos=0'>1</a><span>2</span></div>", None),
])
def test_next_page_links(html: str, expected: str | None) -> None:
    page = parse_listing(f"<html><body>{html}</body></html>", "https://s.example/news/?curPos=10", IRK, NOW, {})
    assert page.next_url == expected


# --- articles ---------------------------------------------------------------------------------------

def site_page(path: str) -> str:
    return decode_html((SITES / path).read_bytes(), None)


def test_short_two_sentence_news_is_kept() -> None:
    html = ("<html><body><nav><a href='/'>Главная</a> <a href='/news/'>Новости</a></nav><h1>Покормите птиц</h1>"
            "<div class='date'>28.01.2025</div><div class='text'><p>Активисты изготовили кормушки.</p>"
            "<p>Присоединяйтесь!</p></div><footer>Все права защищены</footer></body></html>")
    post = parse_article(html, "https://s.example/news/5", IRK, NOW)
    assert post is not None
    assert post.text == "Активисты изготовили кормушки.\nПрисоединяйтесь!"
    assert post.published_at == datetime(2025, 1, 28, tzinfo=IRK)


def test_article_meta_and_json_ld_dates_and_canonical() -> None:
    html = ("<html><head><link rel='canonical' href='/news/7/?utm_source=tg'><script type='application/ld+json'>"
            '{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Турнир по шахматам",'
            '"datePublished":"2025-02-10T09:00:00+08:00"}]}</script></head><body><article><p>Прошёл турнир '
            "по шахматам среди 5–7 классов.</p></article></body></html>")
    post = parse_article(html, "https://s.example/news/7?from=vk", IRK, NOW)
    assert post is not None
    assert post.title == "Турнир по шахматам"
    assert post.published_at == datetime(2025, 2, 10, 9, tzinfo=IRK)
    assert post.url == "https://s.example/news/7/?utm_source=tg"
    assert post.external_id == "https://s.example/news/7"


def test_canonical_pointing_at_the_home_page_is_ignored() -> None:
    html = ("<html><head><link rel='canonical' href='https://s.example/'></head><body><h1>Новость</h1>"
            "<time datetime='2025-02-10'>10 февраля</time><p>Текст новости о школьной жизни.</p></body></html>")
    post = parse_article(html, "https://s.example/news/8", IRK, NOW)
    assert post is not None and post.url == "https://s.example/news/8"


def test_article_without_date_is_none_with_a_reason() -> None:
    notes: list[str] = []
    post = parse_article("<html><body><h1>О школе</h1><p>Наша школа основана давно.</p></body></html>",
                         "https://s.example/about", IRK, NOW, notes=notes)
    assert post is None
    assert notes == ["На странице не найдена дата публикации: https://s.example/about"]


def test_date_inside_a_sentence_is_not_the_publication_date() -> None:
    notes: list[str] = []
    html = "<html><body><h1>Приём</h1><p>С 1 апреля начинается приём заявлений в первый класс.</p></body></html>"
    assert parse_article(html, "https://s.example/n/4", IRK, NOW, notes=notes) is None


def test_gosweb_article_media_and_clean_text() -> None:
    post = parse_article(site_page("gosweb/roditelyam-i-uchenikam/novosti/novosti_1000.html"),
                         "https://sh99-primer-r138.gosweb.gosuslugi.ru/roditelyam-i-uchenikam/novosti/novosti_1000.html",
                         IRK, NOW)
    assert post is not None
    assert post.published_at == datetime(2025, 3, 14, 9, 20, tzinfo=IRK)
    assert post.media == ("photo", "video")
    assert post.text.startswith("В пятницу в нашей школе")
    assert "Яндекс Метрика" not in post.text and "Главная" not in post.text and "14 марта" not in post.text


def test_table_layout_handmade_article_loses_its_menu_column() -> None:
    post = parse_article(site_page("handmade1251/news/n4.htm"), "http://school-1251.example/news/n4.htm", IRK, NOW)
    assert post is not None
    assert post.published_at == datetime(2025, 2, 5, tzinfo=IRK)
    assert post.title == "Приём заявлений в первый класс на 2025/2026 учебный год"
    assert post.media == ("photo", "document")
    assert "Сведения об образовательной организации" not in post.text
    assert "Все права защищены" not in post.text


# --- discovery ----------------------------------------------------------------------------------------

def test_discover_channels_skips_share_buttons() -> None:
    html = """<footer><a href="https://vk.com/share.php?url=x">VK</a><a href="https://vk.com/sosh5_irk">ВК</a>
    <a href="//vk.com/wall-123_45">пост</a><a href="https://t.me/share/url?url=x">TG</a>
    <a href="https://t.me/s/School5News">Телеграм</a><a href="https://t.me/joinchat/AAAA">чат</a>
    <a href="https://ok.ru/group/70000001234567">ОК</a><a href="https://connect.ok.ru/offer?url=x">s</a>
    <a href="https://ok.ru/dk?st.cmd=WidgetSharePreview">s</a><a href="https://vk.ru/club777">ВК2</a>
    <a href="https://max.ru/sosh5_irk_gos">MAX</a><a href="https://max.ru/join/Zx81">вступить</a></footer>"""
    assert discover_channels(html, "https://school.example/") == {
        "vk": ["sosh5_irk", "club123", "club777"], "telegram": ["school5news"],
        "ok": ["https://ok.ru/group/70000001234567"], "max": ["https://max.ru/sosh5_irk_gos"]}


def test_feed_links_and_cms_markers() -> None:
    html = site_page("wordpress/index.html")
    assert find_feeds(parse_html(html), "https://school-wp.example/") == ["https://school-wp.example/feed/"]
    assert detect_cms(html, "https://school-wp.example/") == "wordpress"
    assert detect_cms(site_page("joomla/index.html"), "https://school-joomla.example/") == "joomla"
    assert detect_cms(site_page("ucoz/index.html"), "https://school-ucoz.example/") == "ucoz"
    assert detect_cms("<html></html>", "https://sh1-r138.gosweb.gosuslugi.ru/") == "gosweb"
