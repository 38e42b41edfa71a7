"""Writes the static test sites of every CMS flavour from news_pool.NEWS.

Run by hand after changing the pool or a template: `.venv/bin/python tests/data/web/sites/build_sites.py`.
The output is committed; tests read the files, never run this script. Layout: see README.md.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))
from news_pool import NEWS, SINCE  # noqa: E402

HERE = Path(__file__).parent
TZ = ZoneInfo("Asia/Irkutsk")
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря"]
MENU = ["Главная", "Сведения об образовательной организации", "Родителям", "Новости", "Контакты"]
FOOTER = "Телефон приёмной: 8 (3952) 00-00-00. Все права защищены."
SIDEBAR = "Полезные ссылки для родителей"
BOILERPLATE = [FOOTER, SIDEBAR, "Сведения об образовательной организации"]
EXPECTED: dict[str, dict] = {}


def when(item: dict) -> datetime:
    return datetime.strptime(item["date"], "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def ru_date(item: dict, with_time: bool = True) -> str:
    moment = when(item)
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    return f"{text} {moment:%H:%M}" if with_time else text


def paras(item: dict) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in item["paras"])


def write(site: str, path: str, text: str, encoding: str = "utf-8") -> None:
    target = HERE / site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode(encoding))


def expect(site: str, base: str, found: list[tuple[dict, str, str]]) -> None:
    """found: (item, absolute url, found_by) for every news item; only the campaign period is expected."""
    since = datetime.fromisoformat(SINCE).replace(tzinfo=TZ)
    EXPECTED[site] = {"base_url": base, "since": SINCE, "boilerplate": BOILERPLATE, "items": [
        {"url": url, "title": item["title"], "published_at": when(item).isoformat(),
         "first_sentence": item["paras"][0][:60], "found_by": by,
         "media": [kind for kind, key in (("video", "video"), ("document", "document")) if item.get(key)]}
        for item, url, by in found if when(item) >= since]}


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


# --- Gosweb (NetCat) ------------------------------------------------------------------------------
def gosweb() -> None:
    site, base = "gosweb", "https://sh99-primer-r138.gosweb.gosuslugi.ru"
    news_path = "/roditelyam-i-uchenikam/novosti/"

    def page(title: str, body: str) -> str:
        menu = "".join(f"<li class='gw-top-nav__item'><a class='gw-top-nav__item-link' "
                       f"href='{news_path if m == 'Новости' else '/'}'>{m}</a></li>" for m in MENU)
        return (f"<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'><title>{escape(title)}</title>"
                f"</head><body><header class='gw-header'><ul class='gw-top-nav'>{menu}</ul></header>"
                f"<main class='gw-main'>{body}</main><footer class='gw-footer'><p>{FOOTER}</p><p>Сайт использует "
                f"сервис веб-аналитики Яндекс Метрика с помощью технологии «cookie».</p></footer></body></html>")

    def url_of(i: int) -> str:
        return f"{news_path}novosti_{1000 + i}.html"

    pages = chunks(list(enumerate(NEWS)), 3)
    for number, group in enumerate(pages):
        cards = "".join(
            f"<div class='object-item' itemscope itemtype='https://schema.org/NewsArticle'>"
            f"<meta itemprop='datePublished' content='{when(item):%Y-%m-%d %H:%M:%S}' />"
            f"<div class='item-image'><a href='{url_of(i)}'><img src='/netcat_files/32/115/n{i}.jpg'></a></div>"
            f"<div class='item-info'><div class='items-category'><span class='item-category'><a rel='nofollow' "
            f"href='{news_path}?filter[115][Category]=9'>Образование</a></span><span class='item-date tpl-text-alt' "
            f"title='{ru_date(item)}'>{ru_date(item)}</span></div>"
            f"<h2 class='object-item-title' itemprop='headline'><a href='{url_of(i)}' itemprop='url'>"
            f"{escape(item['title'])}</a></h2><div class='object-item-announce' itemprop='description'>"
            f"{escape(item['paras'][0])}</div></div></div>" for i, item in group)
        pager = "".join(f"<span class='current'>{n + 1}</span>" if n == number else
                        f"<a href='{news_path}?curPos={n * 3}'>{n + 1}</a>" if n else
                        f"<a href='{news_path}'>1</a>" for n in range(len(pages)))
        if number + 1 < len(pages):
            pager += f"<a class='next' href='{news_path}?curPos={(number + 1) * 3}'>»</a>"
        html = page("Новости", f"<h1>Новости</h1><div class='tpl-block-list-objects'>{cards}</div>"
                               f"<div class='pagination'>{pager}</div>")
        name = "roditelyam-i-uchenikam/novosti/index.html" + (f"?curPos={number * 3}" if number else "")
        write(site, name, html)
    for i, item in enumerate(NEWS):
        extra = ""
        if item.get("video"):
            extra += "<iframe src='https://vk.com/video_ext.php?oid=-1&id=2&hash=abc' width='640'></iframe>"
        if item.get("document"):
            extra += ("<div class='document-object-item'><span class='document-caption'>Приказ</span>"
                      "<a class='document-download' href='/netcat_files/userfiles/prikaz.pdf'>Скачать</a></div>")
        body = (f"<div class='breadcrumbs'><a href='/'>Главная</a> / <a href='{news_path}'>Новости</a></div>"
                f"<div class='tpl-component-news'><h1 class='tpl-text-header1'>{escape(item['title'])}</h1>"
                f"<span class='item-date'>{ru_date(item)}</span><img src='/netcat_files/32/115/n{i}.jpg'>"
                f"<div class='tpl-component-gw-base-text'>{paras(item)}</div>{extra}</div>")
        write(site, url_of(i).lstrip("/"), page(item["title"], body))
    write(site, "index.html", page("Школа № 99", "<h1>МБОУ «СОШ № 99»</h1><p>Добро пожаловать на сайт школы.</p>"))
    expect(site, base, [(item, base + url_of(i), "listing") for i, item in enumerate(NEWS)])


# --- WordPress ------------------------------------------------------------------------------------
def wordpress() -> None:
    site, base = "wordpress", "https://school-wp.example"

    def url_of(item: dict) -> str:
        return f"/{when(item):%Y/%m/%d}/{item['slug']}/"

    def page(title: str, body: str) -> str:
        menu = "".join(f"<li class='menu-item'><a href='{'/category/novosti/' if m == 'Новости' else '/'}'>{m}</a>"
                       f"</li>" for m in MENU)
        recent = "".join(f"<li><a href='{url_of(n)}'>{escape(n['title'])}</a></li>" for n in NEWS[:3])
        return (f"<!DOCTYPE html><html lang='ru-RU'><head><meta charset='UTF-8'><title>{escape(title)} – Школа"
                f"</title><link rel='alternate' type='application/rss+xml' title='Школа &raquo; Лента' "
                f"href='{base}/feed/' /><meta name='generator' content='WordPress 6.5' /></head>"
                f"<body class='wp'><header id='masthead' class='site-header'><nav class='main-navigation'><ul>"
                f"{menu}</ul></nav></header><div id='content' class='site-content'><main id='main'>{body}</main>"
                f"<aside id='secondary' class='widget-area'><h2>{SIDEBAR}</h2><ul>{recent}</ul></aside></div>"
                f"<footer class='site-footer'>{FOOTER}</footer></body></html>")

    pages = chunks(NEWS, 3)
    for number, group in enumerate(pages):
        posts = "".join(
            f"<article class='post hentry'><header class='entry-header'><h2 class='entry-title'>"
            f"<a href='{url_of(item)}' rel='bookmark'>{escape(item['title'])}</a></h2><time class='entry-date "
            f"published' datetime='{when(item).isoformat()}'>{when(item):%d.%m.%Y}</time></header>"
            f"<div class='entry-summary'><p>{escape(item['paras'][0])}</p></div></article>" for item in group)
        nav = f"<a class='next page-numbers' href='/category/novosti/page/{number + 2}/'>Далее »</a>" \
            if number + 1 < len(pages) else ""
        folder = "category/novosti/" + (f"page/{number + 1}/" if number else "")
        write(site, folder + "index.html", page("Новости", f"<h1 class='page-title'>Рубрика: Новости</h1>{posts}"
                                                          f"<nav class='navigation pagination'>{nav}</nav>"))
    for item in NEWS:
        extra = "<iframe src='https://rutube.ru/play/embed/0123456789abcdef' width='720'></iframe>" \
            if item.get("video") else ""
        if item.get("document"):
            extra += "<p><a href='/wp-content/uploads/2025/02/prikaz.pdf'>Приказ о закреплённой территории</a></p>"
        body = (f"<article class='post hentry'><header class='entry-header'><h1 class='entry-title'>"
                f"{escape(item['title'])}</h1><time class='entry-date published' datetime='{when(item).isoformat()}'>"
                f"{when(item):%d.%m.%Y}</time></header><div class='entry-content'>{paras(item)}"
                f"<figure><img src='/wp-content/uploads/2025/{item['slug']}.jpg' width='800'></figure>{extra}</div>"
                f"<div class='sharedaddy'>Поделиться: ВКонтакте</div></article>")
        html = page(item["title"], body).replace("</title>", f"</title><link rel='canonical' href='{base}"
                                                              f"{url_of(item)}' />", 1)
        write(site, url_of(item).lstrip("/") + "index.html", html)
    rss_items = "".join(
        f"<item><title>{escape(item['title'])}</title><link>{base}{url_of(item)}</link>"
        f"<pubDate>{when(item).astimezone(ZoneInfo('UTC')):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description><![CDATA[{item['paras'][0]} […]]]></description></item>" for item in NEWS[:4])
    write(site, "feed/index.html", f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
                                   f"<title>Школа</title><link>{base}</link><generator>https://wordpress.org/?v=6.5"
                                   f"</generator>{rss_items}</channel></rss>")
    write(site, "index.html", page("Главная", "<h1>Добро пожаловать!</h1><p>Сайт средней школы.</p>"))
    expect(site, base, [(item, base + url_of(item), "feed" if i < 4 else "listing") for i, item in enumerate(NEWS)])


# --- Joomla ---------------------------------------------------------------------------------------
def joomla() -> None:
    site, base = "joomla", "https://school-joomla.example"

    def url_of(i: int, item: dict) -> str:
        return f"/novosti/{100 + i}-{item['slug']}.html"

    def page(title: str, body: str) -> str:
        menu = "".join(f"<li><a href='{'/novosti.html' if m == 'Новости' else '/'}'>{m}</a></li>" for m in MENU)
        return (f"<!DOCTYPE html><html lang='ru-ru'><head><meta charset='utf-8'><meta name='generator' "
                f"content='Joomla! - Open Source Content Management'><title>{escape(title)}</title></head><body>"
                f"<div class='header'><ul class='nav menu'>{menu}</ul></div><div class='row'><div id='content'>"
                f"{body}</div><div class='sidebar-right'><h3>{SIDEBAR}</h3><p>Электронный дневник</p></div></div>"
                f"<div class='footer'><p>{FOOTER}</p></div></body></html>")

    for i, item in enumerate(NEWS):
        extra = "<p><iframe src='https://www.youtube.com/embed/abcdefghijk' width='560'></iframe></p>" \
            if item.get("video") else ""
        if item.get("document"):
            extra += "<p><a href='/images/docs/prikaz.docx'>Приказ (docx)</a></p>"
        body = (f"<div class='item-page' itemscope itemtype='https://schema.org/Article'><div class='page-header'>"
                f"<h2 itemprop='headline'>{escape(item['title'])}</h2></div><dl class='article-info'>"
                f"<dd class='published'><time datetime='{when(item).isoformat()}' itemprop='datePublished'>"
                f"Опубликовано: {ru_date(item, False)}</time></dd></dl><div itemprop='articleBody'>{paras(item)}"
                f"{extra}</div></div>")
        write(site, url_of(i, item).lstrip("/"), page(item["title"], body))
    blog = "".join(f"<div class='items-row'><div class='item'><h2><a href='{url_of(i, item)}'>"
                   f"{escape(item['title'])}</a></h2><dd class='published'>Опубликовано: {ru_date(item, False)}</dd>"
                   f"<p>{escape(item['paras'][0])}</p></div></div>" for i, item in enumerate(NEWS))
    write(site, "novosti.html", page("Новости", f"<div class='blog'>{blog}</div>"))
    rss_items = "".join(
        f"<item><title>{escape(item['title'])}</title><link>{base}{url_of(i, item)}</link>"
        f"<guid isPermaLink='true'>{base}{url_of(i, item)}</guid><description><![CDATA[{paras(item)}]]>"
        f"</description><pubDate>{when(item).astimezone(ZoneInfo('UTC')):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"</item>" for i, item in enumerate(NEWS))
    write(site, "index.html?format=feed&type=rss",
          f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Школа</title>"
          f"<link>{base}/</link>{rss_items}</channel></rss>")
    write(site, "index.html", page("Главная", "<p>Добро пожаловать на сайт школы.</p>"))
    expect(site, base, [(item, base + url_of(i, item), "feed") for i, item in enumerate(NEWS)])


# --- 1C-Bitrix ------------------------------------------------------------------------------------
def bitrix() -> None:
    site, base = "bitrix", "https://school-bitrix.example"

    def page(title: str, body: str) -> str:
        menu = "".join(f"<li><a href='{'/news/' if m == 'Новости' else '/'}'>"
                       f"{'Новости школы' if m == 'Новости' else m}</a></li>" for m in MENU)
        return (f"<!DOCTYPE html><html><head><meta charset='UTF-8'><title>{escape(title)}</title>"
                f"<link href='/bitrix/templates/school/styles.css' rel='stylesheet'></head><body>"
                f"<div class='top-menu'><ul>{menu}</ul></div><div class='workarea'>{body}</div>"
                f"<div class='left-col'><b>{SIDEBAR}</b></div><div class='footer'>{FOOTER}</div></body></html>")

    pages = chunks(NEWS, 3)
    for number, group in enumerate(pages):
        items = "".join(f"<p class='news-item'><span class='news-date-time'>{when(item):%d.%m.%Y}</span>"
                        f"<a href='/news/{item['slug']}/'><b>{escape(item['title'])}</b></a><br>"
                        f"{escape(item['paras'][0])}</p>" for item in group)
        pager = "".join(f"<li class='bx-active'><span>{n + 1}</span></li>" if n == number else
                        f"<li><a href='/news/{f'page-{n + 1}/' if n else ''}'><span>{n + 1}</span></a></li>"
                        for n in range(len(pages)))
        folder = "news/" + (f"page-{number + 1}/" if number else "")
        write(site, folder + "index.html", page("Новости", f"<div class='news-list'>{items}</div>"
                                                          f"<div class='bx-pagination'><ul>{pager}</ul></div>"))
    for item in NEWS:
        extra = "<a href='/upload/iblock/1a2/prikaz.pdf'>Приказ.pdf</a>" if item.get("document") else ""
        if item.get("video"):
            extra += "<p>Видео: <a href='https://vkvideo.ru/video-1_456239017'>смотреть ВКонтакте</a></p>"
        body = (f"<div class='news-detail'><img class='detail_picture' src='/upload/iblock/{item['slug']}.jpg'>"
                f"<h3>{escape(item['title'])}</h3>{paras(item)}{extra}</div>")
        write(site, f"news/{item['slug']}/index.html", page(item["title"], body))
    write(site, "index.html", page("Главная", "<p>Официальный сайт школы.</p>"))
    expect(site, base, [(item, f"{base}/news/{item['slug']}/", "listing") for item in NEWS])


# --- uCoz ---------------------------------------------------------------------------------------
def ucoz() -> None:
    site, base = "ucoz", "https://school-ucoz.example"

    def url_of(i: int, item: dict) -> str:
        return f"/news/{item['slug'].replace('-', '_')}/{when(item):%Y-%m-%d}-{40 + i}"

    def page(title: str, body: str) -> str:
        return (f"<html><head><meta http-equiv='content-type' content='text/html; charset=UTF-8'>"
                f"<title>{escape(title)} - Сайт школы</title><script src='//s745.ucoz.net/src/u.js'></script></head>"
                f"<body><table><tr><td class='leftColumn'><a href='/'>Главная</a><br><a href='/news/'>Новости</a>"
                f"<br><a href='/'>Сведения об образовательной организации</a><br><b>{SIDEBAR}</b></td>"
                f"<td class='centerColumn'>{body}</td></tr></table><div id='footer'>{FOOTER} "
                f"Хостинг от uCoz</div></body></html>")

    blocks = "".join(
        f"<table class='eBlock'><tr><td class='eTitle'><a href='{url_of(i, item)}'>{escape(item['title'])}</a></td>"
        f"</tr><tr><td class='eMessage'>{escape(item['paras'][0])}</td></tr><tr><td class='eDetails'>Просмотров: "
        f"{10 + i} | Добавил: admin | Дата: {when(item):%d.%m.%Y}</td></tr></table>" for i, item in enumerate(NEWS))
    write(site, "news/index.html", page("Новости", blocks))
    for i, item in enumerate(NEWS):
        extra = "<p><a href='https://youtu.be/abcdefghijk'>Видео с турнира</a></p>" if item.get("video") else ""
        if item.get("document"):
            extra += "<p><a href='/docs/prikaz.pdf'>Приказ</a></p>"
        body = (f"<table class='eBlock'><tr><td class='eTitle'><h1>{escape(item['title'])}</h1></td></tr><tr>"
                f"<td class='eMessage'>{paras(item)}{extra}</td></tr><tr><td class='eDetails'>Категория: Новости | "
                f"Просмотров: {10 + i} | Дата: {when(item):%d.%m.%Y, %H:%M}</td></tr></table>")
        write(site, url_of(i, item).lstrip("/"), page(item["title"], body))
    rss_items = "".join(f"<item><title>{escape(item['title'])}</title><link>{base}{url_of(i, item)}</link>"
                        f"<description>{escape(item['paras'][0])}</description><pubDate>"
                        f"{when(item).astimezone(ZoneInfo('UTC')):%a, %d %b %Y %H:%M:%S} GMT</pubDate></item>"
                        for i, item in enumerate(NEWS[:5]))
    write(site, "news/rss/index.html", f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
                                       f"<title>Новости</title><link>{base}/news/</link>{rss_items}</channel></rss>")
    write(site, "index.html", page("Главная", "<p>Добро пожаловать!</p>"))
    expect(site, base, [(item, base + url_of(i, item), "feed" if i < 5 else "listing")
                        for i, item in enumerate(NEWS)])


# --- hand-made, windows-1251, no charset anywhere -------------------------------------------------
def handmade1251() -> None:
    site, base = "handmade1251", "http://school-1251.example"

    def page(title: str, body: str) -> str:
        return (f"<html><head><title>{escape(title)}</title></head><body><table width='100%'><tr>"
                f"<td class='levo' width='200'><a href='/'>Главная</a><br><a href='novosti.htm'>Новости</a>"
                f"<br><a href='sveden.htm'>Сведения об образовательной организации</a><br><br><i>{SIDEBAR}</i></td>"
                f"<td>{body}</td></tr></table><div class='podval'>{FOOTER}</div></body></html>")

    pages = chunks(list(enumerate(NEWS)), 3)
    for number, group in enumerate(pages):
        rows = "".join(f"<p><b>{when(item):%d.%m.%Y}.</b> <a href='news/n{i + 1}.htm'>{escape(item['title'])}</a>"
                       f"</p>" for i, item in group)
        nav = f"<p><a href='novosti{number + 2}.htm'>Следующая</a></p>" if number + 1 < len(pages) else ""
        write(site, "novosti.htm" if number == 0 else f"novosti{number + 1}.htm",
              page("Новости", f"<h2>Новости школы</h2>{rows}{nav}"), "cp1251")
    for i, item in enumerate(NEWS):
        extra = "<p><a href='../files/prikaz.doc'>Приказ (doc)</a></p>" if item.get("document") else ""
        if item.get("video"):
            extra += "<p>Видео: https://rutube.ru/video/0123456789abcdef/ <a href='https://rutube.ru/video/" \
                     "0123456789abcdef/'>смотреть</a></p>"
        body = (f"<h2>{escape(item['title'])}</h2><p><i>{when(item):%d.%m.%Y}.</i></p>{paras(item)}"
                f"<p><img src='../foto/n{i + 1}.jpg' width='400'></p>{extra}")
        write(site, f"news/n{i + 1}.htm", page(item["title"], body), "cp1251")
    write(site, "index.html", page("Школа № 99", "<h2>Добро пожаловать!</h2>"), "cp1251")
    expect(site, base, [(item, f"{base}/news/n{i + 1}.htm", "listing") for i, item in enumerate(NEWS)])


if __name__ == "__main__":
    for build in (gosweb, wordpress, joomla, bitrix, ucoz, handmade1251):
        build()
    (HERE / "expected.json").write_text(json.dumps(EXPECTED, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
