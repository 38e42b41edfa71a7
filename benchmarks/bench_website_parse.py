"""CPU cost of the website adapter's parsing: ms per article page, listing page and feed.

Run: `.venv/bin/python benchmarks/bench_website_parse.py` (target: under 20 ms per article page).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent))
from channels.web_encoding import decode_html  # noqa: E402
from channels.web_feeds import parse_feed  # noqa: E402
from channels.website import parse_article, parse_listing  # noqa: E402
from tests.channels.test_web_site_server import static_file  # noqa: E402

DATA = Path(__file__).parent.parent / "tests" / "data" / "web"
TZ = ZoneInfo("Asia/Irkutsk")
NOW = datetime(2025, 3, 20, 12, tzinfo=TZ)
ROUNDS = 20


def articles() -> list[tuple[bytes, str]]:
    """Every article page of the test sites, plus heavier pages: an article inside a real site's frame."""
    expected = json.loads((DATA / "sites" / "expected.json").read_text(encoding="utf-8"))
    pages = []
    for site, info in expected.items():
        for item in info["items"]:
            url = httpx.URL(item["url"])
            pages.append((static_file(DATA / "sites" / site, url.path, "").read_bytes(), item["url"]))
    frame = (DATA / "samples" / "school_homepage_shkolaserb_custom_cms_last_news_onclick_2018.html").read_text()
    sidebar = (DATA / "samples" / "gosweb_netcat_news_list_ulmeria_3cards_trimmed.html").read_text()
    for body, url in pages[:6]:
        article = body.decode("utf-8", "replace").split("<body", 1)[-1].split(">", 1)[-1].rsplit("</body>", 1)[0]
        heavy = frame.replace('<div id="div4">', f'<div id="div4"><div class="content">{article}</div>'
                              f'<div class="right-col">{sidebar}</div>')
        pages.append((heavy.encode("utf-8"), url))
    return pages


def bench(label: str, work: list, run) -> None:
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for item in work:
            run(item)
    elapsed = (time.perf_counter() - start) / (ROUNDS * len(work)) * 1000
    print(f"{label:<40} {len(work):>3} pages  {elapsed:7.2f} ms/page")


def main() -> None:
    pages = articles()
    article = lambda page: parse_article(decode_html(page[0], None), page[1], TZ, NOW)  # noqa: E731
    bench("article (test sites): decode+parse+extract", pages[:-6], article)
    bench("article in a real site's frame (25 KB)", pages[-6:], article)
    listings = [((DATA / "sites" / p).read_bytes(), "https://s.example/news/") for p in (
        "gosweb/roditelyam-i-uchenikam/novosti/index.html", "wordpress/category/novosti/index.html",
        "joomla/novosti.html", "bitrix/news/index.html", "ucoz/news/index.html", "handmade1251/novosti.htm")]
    listings.append(((DATA / "samples/gosweb_netcat_news_list_ulmeria_3cards_trimmed.html").read_bytes(),
                     "https://ulmeria.gosuslugi.ru/"))
    bench("listing: decode + parse", listings,
          lambda page: parse_listing(decode_html(page[0], None), page[1], TZ, NOW, {}))
    feeds = [(DATA / "samples" / name).read_bytes() for name in (
        "rss20_koi8r_newsru_com.xml", "rss20_windows1251_newsru_com.xml", "rss20_windows1251_anthropology_ru.xml")]
    bench("feed (30 items): parse", feeds, lambda body: parse_feed(body, "http://www.newsru.com/", tz=TZ))


if __name__ == "__main__":
    main()
