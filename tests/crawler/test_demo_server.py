"""The demo's local "internet" (crawler/demo/server.py) and the sample region it serves.

The server is started for real on 127.0.0.1 and asked over HTTP; the sample checks read
the committed files, so they fail when the sample stops being what its README claims.
"""

from __future__ import annotations

import json
import re
import runpy
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml

from channels.ok_transport import signed
from crawler.demo.server import SAMPLE_DIR, DemoServer, load_sources_text, query_file, start_demo_server
from crawler.registry import load

TZ = ZoneInfo("Asia/Irkutsk")
WEB = SAMPLE_DIR / "web"
CAMPAIGN_START = date(2025, 1, 10)
LAST_PERIOD = (date(2025, 3, 11), date(2025, 3, 24))
# What sample/README.md says about dates («Dates and what the posts say»).
WEB_RANGE = (date(2024, 12, 20), date(2025, 3, 27))
VK_PINNED_RANGE = (date(2024, 8, 30), date(2024, 10, 1))
VK_RANGE = (date(2024, 12, 10), date(2025, 3, 28))
TG_RANGE = (date(2024, 12, 2), date(2025, 3, 28))
SITES_BEFORE_CUT = 8
EXPLICIT_RE = re.compile(r"нацпроект|национальн\w*\s+проект", re.I)
# Article pages per flavour, as sample/README.md's flavour table lists them.
ARTICLE_GLOBS = {
    "gosweb": "novosti/novosti-*_*.html", "wordpress": "20*/*/*/*/index.html", "joomla": "novosti/*-*.html",
    "bitrix": "news/detail.ID=*.php", "bitrix_sef": "news/*/index.html", "handmade_cp1251": "news.id=*.php",
}
KINDS = ("website", "vk", "telegram", "ok", "max")
DEMO_OK = ("DEMOAPPKEY", "demo-secret-key", "demo-ok-token")
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T]\d{2}:\d{2}|(\d{2})\.(\d{2})\.(\d{4})")


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with start_demo_server() as running:
        yield running


@pytest.fixture(scope="module")
def http(server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5.0) as client:
        yield client


def sites() -> dict[str, dict]:
    return yaml.safe_load((SAMPLE_DIR / "src" / "sites.yaml").read_text(encoding="utf-8"))


def content_sites() -> dict[str, dict]:
    return {name: spec for name, spec in sites().items() if spec["flavour"] != "broken"}


def decoded(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def article_dates(site: str, flavour: str) -> dict[Path, date]:
    """Each article page of a site -> the first date written on it."""
    found: dict[Path, date] = {}
    for page in sorted((WEB / site).glob(ARTICLE_GLOBS[flavour])):
        match = DATE_RE.search(decoded(page))
        assert match, f"no date on {page}"
        y, m, d = (match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4))
        found[page] = date(int(y), int(m), int(d))
    return found


# -- websites over HTTP ---------------------------------------------------------------------

@pytest.mark.parametrize("site", sorted(content_sites()))
def test_every_site_home_page_has_a_news_menu_link(http: httpx.Client, site: str) -> None:
    response = http.get(f"/sites/{site}/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text = response.content.decode(response.charset_encoding or "cp1251")
    assert re.search(r"<a [^>]*href=\"[^\"]+\"[^>]*>Новости</a>", text), "no «Новости» link on the home page"


def test_site_address_without_slash_redirects_like_a_web_server(http: httpx.Client) -> None:
    response = http.get("/sites/sosh4")
    assert response.status_code == 301
    assert response.headers["location"] == "/sites/sosh4/"


@pytest.mark.parametrize(("url", "marker"), [
    ("/sites/ds7/feed/", "<generator>https://wordpress.org/"),
    ("/sites/romashka/feed/", "<generator>https://wordpress.org/"),
    ("/sites/uo-zima/?format=feed&type=rss", "<generator>Joomla!"),
    ("/sites/istok/novosti.html?type=rss&format=feed", "<generator>Joomla!"),
])
def test_feeds_are_served_as_rss(http: httpx.Client, url: str, marker: str) -> None:
    response = http.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert marker in response.text
    assert response.text.count("<item>") >= 4


def test_wordpress_home_links_its_feed(http: httpx.Client) -> None:
    home = http.get("/sites/ds7/").text
    assert '<link rel="alternate" type="application/rss+xml"' in home
    assert 'href="/sites/ds7/feed/"' in home


def test_gosweb_curpos_maps_to_the_documented_file(http: httpx.Client) -> None:
    first = http.get("/sites/sosh4/novosti/")
    second = http.get("/sites/sosh4/novosti/?curPos=4")
    assert second.content == (WEB / "sosh4/novosti/index.curPos=4.html").read_bytes()
    assert 'href="/sites/sosh4/novosti/?curPos=4"' in first.text
    cards = 'itemtype=\'https://schema.org/NewsArticle\''
    assert first.text.count(cards) == 4 and second.text.count(cards) == 4
    assert http.get("/sites/sosh4/novosti/?curPos=40").status_code == 404


def test_bitrix_detail_php_and_pagen_map_to_files(http: httpx.Client) -> None:
    detail = http.get("/sites/tehnikum/news/detail.php", params={"ID": "2316"})
    assert detail.status_code == 200
    assert detail.content == (WEB / "tehnikum/news/detail.ID=2316.php").read_bytes()
    assert detail.headers["content-type"] == "text/html; charset=utf-8"
    assert http.get("/sites/tehnikum/news/?PAGEN_1=2").status_code == 200


def test_cp1251_site_is_served_byte_for_byte_without_charset(http: httpx.Client) -> None:
    for url, file in (("/sites/ddt/news.php", "ddt/news.php"), ("/sites/ddt/news.php?id=53", "ddt/news.id=53.php")):
        response = http.get(url)
        raw = (WEB / file).read_bytes()
        assert response.content == raw
        assert response.headers["content-type"] == "text/html"
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert "13.02.2025" in raw.decode("cp1251")
    assert b"charset" not in (WEB / "ddt/news.id=53.php").read_bytes()  # detection has to do it


def test_broken_site_answers_500_everywhere(http: httpx.Client) -> None:
    assert http.get("/sites/sosnovka/").status_code == 500
    assert http.get("/sites/sosnovka/novosti/").status_code == 500


def test_missing_and_escaping_paths_are_404(server: DemoServer, http: httpx.Client) -> None:
    assert http.get("/sites/sosh4/net-takoy-stranitsy.html").status_code == 404
    assert http.get("/sites/nobody/").status_code == 404
    assert http.get("/").status_code == 404
    for target in ("/sites/sosh4/%2e%2e/%2e%2e/sources.yaml", "/sites/%2e%2e/sources.yaml"):
        assert server.routes.answer("GET", target, b"").status == 404


def test_robots_allows_everything(http: httpx.Client) -> None:
    response = http.get("/robots.txt")
    assert response.status_code == 200
    assert "Allow: /" in response.text


def test_query_parameters_are_sorted_by_name(tmp_path: Path) -> None:
    (tmp_path / "index.a=1&b=2.rss").write_text("x")
    assert query_file(tmp_path, "b=2&a=1") == tmp_path / "index.a=1&b=2.rss"
    assert query_file(tmp_path, "a=1") is None


# -- VK and Telegram over HTTP --------------------------------------------------------------

def test_vk_wall_get_answers_the_real_envelope_with_pinned_first(http: httpx.Client) -> None:
    body = {"owner_id": "-200001", "count": "100", "access_token": "demo-token", "v": "5.199"}
    answer = http.post("/vk/method/wall.get", data=body)
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    response = answer.json()["response"]
    assert response["count"] == len(response["items"]) == 12
    first = response["items"][0]
    assert first["is_pinned"] == 1 and first["owner_id"] == -200001
    assert {"id", "from_id", "date", "text", "attachments", "views", "likes", "reposts", "comments"} <= set(first)
    repost = next(i for i in response["items"] if "copy_history" in i)
    assert repost["copy_history"][0]["owner_id"] == -200100


def test_vk_resolve_and_group_lookup(http: httpx.Client) -> None:
    resolved = http.get("/vk/method/utils.resolveScreenName",
                        params={"screen_name": "berezovka_sosh", "access_token": "t", "v": "5.199"}).json()
    assert resolved == {"response": {"type": "group", "object_id": 200004}}
    groups = http.post("/vk/method/groups.getById",
                       data={"group_ids": "obrazovanie_demorayon", "access_token": "t2", "v": "5.199"}).json()
    assert groups["response"]["groups"][0]["id"] == 200007
    error = http.post("/vk/method/wall.get", data={"owner_id": "-999", "access_token": "t3", "v": "5.199"}).json()
    assert error["error"]["error_code"] == 100 and "request_params" in error["error"]


def test_telegram_pages_with_before(http: httpx.Client) -> None:
    first = http.get("/tg/s/demo_sosh4_zima")
    assert first.status_code == 200
    ids = [int(i) for i in re.findall(r'data-post="demo_sosh4_zima/(\d+)"', first.text)]
    assert len(ids) == 20 and ids == sorted(ids)
    before = int(re.search(r'data-before="(\d+)"', first.text).group(1))
    assert before == min(ids)
    second = http.get("/tg/s/demo_sosh4_zima", params={"before": before})
    older = [int(i) for i in re.findall(r'data-post="demo_sosh4_zima/(\d+)"', second.text)]
    assert len(older) == 11 and max(older) < before
    assert "data-before" not in second.text  # the oldest page
    post_link = http.get("/tg/demo_sosh4_zima/140")  # a post's own link lands on the page ending with it
    assert post_link.status_code == 302 and post_link.headers["location"] == "/tg/s/demo_sosh4_zima?before=141"


def test_telegram_name_without_channel_ends_on_the_contact_page(http: httpx.Client) -> None:
    redirect = http.get("/tg/s/demo_net_kanala")
    assert redirect.status_code == 302 and redirect.headers["location"] == "/tg/demo_net_kanala"
    page = http.get("/tg/s/demo_net_kanala", follow_redirects=True)
    assert "/s/" not in page.url.path
    assert "tgme_page" in page.text and "tgme_widget_message" not in page.text


# -- Одноклассники and MAX over HTTP ---------------------------------------------------------

def test_ok_stand_in_answers_signed_calls_and_pages_back(http: httpx.Client) -> None:
    key, secret, token = DEMO_OK
    form = signed("mediatopic.getTopics", {"gid": "70000000000001", "count": 4}, key, secret, token)
    answer = http.post("/ok/fb.do", data=form)
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    page = answer.json()
    assert len(page["media_topics"]) == 4 and page["has_more"] and page["anchor"] == "4"
    created = [t["created_ms"] for t in page["media_topics"]]
    assert created == sorted(created, reverse=True)
    rest = http.post("/ok/fb.do", data=signed("mediatopic.getTopics", {"gid": "70000000000001", "count": 4,
                                                                      "anchor": "4"}, key, secret, token)).json()
    assert len(rest["media_topics"]) == 2 and not rest["has_more"]
    info = http.post("/ok/fb.do", data=signed("url.getInfo", {"url": "https://ok.ru/demo_ds7_zima"}, key, secret,
                                              token)).json()
    assert info["type"] == "GROUP" and info["objectIdStr"] == "70000000000002"
    forged = dict(form, sig="0" * 32)
    assert http.post("/ok/fb.do", data=forged).json()["error_code"] == 104


def test_max_stand_in_needs_the_token_and_refuses_a_channel_without_the_bot(http: httpx.Client) -> None:
    auth = {"Authorization": "demo-max-token"}
    assert http.get("/max/chats/demo_berezovka").status_code == 401
    chat = http.get("/max/chats/demo_berezovka", headers=auth).json()
    assert chat["chat_id"] == -70000000000004 and chat["type"] == "channel"
    messages = http.get("/max/messages", params={"chat_id": chat["chat_id"], "count": 2}, headers=auth).json()
    stamps = [m["timestamp"] for m in messages["messages"]]
    assert len(stamps) == 2 and stamps == sorted(stamps, reverse=True)
    older = http.get("/max/messages", params={"chat_id": chat["chat_id"], "from": stamps[-1] - 1}, headers=auth)
    assert [m["timestamp"] for m in older.json()["messages"]] and max(
        m["timestamp"] for m in older.json()["messages"]) < stamps[-1]
    denied = http.get("/max/messages", params={"chat_id": -70000000000008}, headers=auth)
    assert denied.status_code == 403 and denied.json()["code"] == "chat.denied"


def test_sources_text_loads_and_every_website_answers(server: DemoServer, http: httpx.Client,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(load_sources_text(server), encoding="utf-8")
    registry = load(path)
    assert registry.region == "Иркутская область (демо)"
    kinds = {channel.kind for _, _, channel in registry.channels()}
    assert kinds == {"website", "vk", "telegram", "ok", "max"}
    statuses = {channel.address: http.get(channel.address + "/").status_code
                for _, _, channel in registry.channels() if channel.kind == "website"}
    assert sorted(statuses.values()).count(500) == 1 and set(statuses.values()) == {200, 500}


# -- the sample is what the README says ----------------------------------------------------

def test_committed_sample_matches_a_fresh_build(tmp_path: Path) -> None:
    build = runpy.run_path(str(SAMPLE_DIR / "build.py"), run_name="demo_sample_build")["build"]
    build(tmp_path)
    for part in ("web", "vk", "telegram", "ok", "max"):
        fresh = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / part).rglob("*") if p.is_file()}
        committed = {p.relative_to(SAMPLE_DIR): p.read_bytes() for p in (SAMPLE_DIR / part).rglob("*")
                     if p.is_file()}
        assert fresh.keys() == committed.keys(), f"{part}: run crawler/demo/sample/build.py"
        changed = [str(name) for name in fresh if fresh[name] != committed[name]]
        assert not changed, f"rebuild the sample: {changed}"


def test_website_news_dates_lie_where_the_readme_says() -> None:
    before_cut = 0
    for site, spec in content_sites().items():
        dates = article_dates(site, spec["flavour"])
        assert 4 <= len(dates) <= 10, site
        assert all(WEB_RANGE[0] <= d <= WEB_RANGE[1] for d in dates.values()), site
        assert any(LAST_PERIOD[0] <= d <= LAST_PERIOD[1] for d in dates.values()), site
        before_cut += any(d < CAMPAIGN_START for d in dates.values())
    assert before_cut == SITES_BEFORE_CUT


def test_vk_walls_are_shaped_as_the_readme_says() -> None:
    walls = json.loads((SAMPLE_DIR / "vk/walls.json").read_text(encoding="utf-8"))
    kinds: set[str] = set()
    for owner, items in walls.items():
        assert 10 <= len(items) <= 30, owner
        assert items[0].get("is_pinned") == 1 and sum(bool(i.get("is_pinned")) for i in items) == 1
        pinned_day = local_day(items[0]["date"])
        assert VK_PINNED_RANGE[0] <= pinned_day <= VK_PINNED_RANGE[1]
        rest = [i["date"] for i in items[1:]]
        assert rest == sorted(rest, reverse=True), owner  # wall.get order: newest first
        assert all(VK_RANGE[0] <= local_day(d) <= VK_RANGE[1] for d in rest), owner
        kinds |= {a["type"] for i in items for a in i["attachments"]}
    assert kinds == {"photo", "video"}
    assert sum("copy_history" in i for items in walls.values() for i in items) == 2


def test_telegram_dates_and_paging_need() -> None:
    for path in sorted((SAMPLE_DIR / "telegram").glob("*.json")):
        messages = json.loads(path.read_text(encoding="utf-8"))["messages"]
        days = [datetime.fromisoformat(m["date"]).date() for m in messages]
        assert all(TG_RANGE[0] <= d <= TG_RANGE[1] for d in days), path.name
        assert [m["id"] for m in messages] == sorted(m["id"] for m in messages)
    sosh4 = json.loads((SAMPLE_DIR / "telegram/demo_sosh4_zima.json").read_text(encoding="utf-8"))["messages"]
    assert 25 <= len(sosh4) <= 45
    assert sum(datetime.fromisoformat(m["date"]).date() >= CAMPAIGN_START for m in sosh4) > 20


def test_every_municipality_has_explicit_posts_on_every_channel_kind_in_the_last_period() -> None:
    found = explicit_in_last_period()
    municipalities = {m["name"] for m in raw_sources()["municipalities"]}
    for municipality in municipalities:
        for kind in ("website", "vk", "telegram", "ok", "max"):
            assert found.get((municipality, kind), 0) >= 1, (municipality, kind)


# -- helpers for the sample checks ---------------------------------------------------------

def local_day(unix: int) -> date:
    return datetime.fromtimestamp(unix, timezone.utc).astimezone(TZ).date()


def raw_sources() -> dict:
    return yaml.safe_load((SAMPLE_DIR / "sources.yaml").read_text(encoding="utf-8"))


def explicit_in_last_period() -> dict[tuple[str, str], int]:
    """(municipality, channel kind) -> posts in the last period whose text names a national project."""
    groups = json.loads((SAMPLE_DIR / "vk/groups.json").read_text(encoding="utf-8"))
    walls = json.loads((SAMPLE_DIR / "vk/walls.json").read_text(encoding="utf-8"))
    flavours = {name: spec["flavour"] for name, spec in sites().items()}
    ok_groups = json.loads((SAMPLE_DIR / "ok/groups.json").read_text(encoding="utf-8"))
    max_channels = json.loads((SAMPLE_DIR / "max/channels.json").read_text(encoding="utf-8"))
    counts: dict[tuple[str, str], int] = {}

    def in_period(day: date) -> bool:
        return LAST_PERIOD[0] <= day <= LAST_PERIOD[1]

    for municipality in raw_sources()["municipalities"]:
        for institution in municipality["institutions"]:
            for channel in institution["channels"]:
                kind, address = next((k, v) for k, v in channel.items() if k in KINDS)
                texts: list[tuple[date, str]] = []
                if kind == "website" and flavours[address.rsplit("/", 1)[1]] != "broken":
                    site = address.rsplit("/", 1)[1]
                    texts = [(d, decoded(p)) for p, d in article_dates(site, flavours[site]).items()]
                elif kind == "vk":
                    for item in walls[str(-groups[address]["id"])]:
                        text = item["text"] + "".join(c["text"] for c in item.get("copy_history", []))
                        texts.append((local_day(item["date"]), text))
                elif kind == "telegram":
                    data = json.loads((SAMPLE_DIR / f"telegram/{address.lstrip('@')}.json").read_text(encoding="utf-8"))
                    texts = [(datetime.fromisoformat(m["date"]).date(), m["text"]) for m in data["messages"]]
                elif kind == "ok":
                    group = ok_groups[address.rsplit("/", 1)[1]] if "/group/" in address else next(
                        g for g in ok_groups.values() if g["name"] == address.rsplit("/", 1)[1])
                    texts = [(local_day(topic["created_ms"] // 1000),
                              " ".join(item.get("text", "") for item in topic["media"])) for topic in group["topics"]]
                elif kind == "max":
                    chat = next(c for c in max_channels.values() if c["name"] == address.rsplit("/", 1)[1])
                    if chat["bot_added"]:  # natmon never sees the posts of a channel it cannot read
                        texts = [(local_day(m["timestamp"] // 1000), m["body"]["text"] or "") for m in chat["messages"]]
                hits = sum(1 for day, text in texts if in_period(day) and EXPLICIT_RE.search(text))
                key = (municipality["name"], kind)
                counts[key] = counts.get(key, 0) + hits
    return counts
