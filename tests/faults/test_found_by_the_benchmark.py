"""Posts the simulated region showed being lost, fixed in the adapters; kept here so they stay fixed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from benchmarks.simregion.model import BUILD
from channels.website import parse_article
from crawler.job import crawl

TZ = ZoneInfo("Asia/Irkutsk")
PAGE = """<html><head><title>Было — стало: спортивный зал после ремонта</title></head><body>
<p><a href="/">На главную</a></p><h2>Было — стало: спортивный зал после ремонта</h2><p><i>14.11.2025</i></p>
<p>Благодаря национальному проекту «Образование» в школе отремонтирован спортивный зал.</p></body></html>"""


def test_a_title_with_a_dash_repeated_as_a_heading_is_kept_whole():
    post = parse_article(PAGE, "https://school.example.ru/news.php?id=17", TZ, datetime(2025, 11, 20, tzinfo=TZ))
    assert post is not None and post.title == "Было — стало: спортивный зал после ремонта"


async def test_two_news_with_one_title_on_one_day_are_both_stored(sim, store):
    inst = sim.region.institutions[0]
    inst.flavour = "handmade_cp1251"
    day = datetime.fromtimestamp(sim.region.cutoff, TZ).replace(hour=9, minute=0, second=0, microsecond=0)
    texts = ("Сдали нормы ГТО ученики 5 классов.", "Сдали нормы ГТО ученики 9 классов.")
    sim.region._sites[inst.index] = [
        BUILD.Item(id=2000 + n, date=day.replace(hour=9 + n), title="Итоги недели", text=text,
                   code=f"itogi-{n}", paragraphs=[text]) for n, text in enumerate(texts)][::-1]
    await crawl(store, sim.registry, sim.settings())
    assert sim.check() == ""
