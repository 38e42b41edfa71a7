"""What the pages say: the campaign's deadlines with their coverage, web instructions for a refused final
report, the audit log in the region's time, manual links http(s) only, Одноклассники and MAX as kinds."""

from __future__ import annotations

from datetime import datetime, timezone

from bs4 import BeautifulSoup
from sqlalchemy import select

from crawler import schema as t
from reports.web.records import audit
from tests.reports.conftest import add_post
from tests.web.conftest import ANGARSK, PERIOD, log_in, make_client, token_of


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def table(page: BeautifulSoup, table_id: str) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td,th")] for row in page.select(f"#{table_id} tr")]


async def test_all_deadlines_show_each_periods_coverage_and_sending(region, app):
    m_id = region.municipalities[ANGARSK]
    with region.store.engine.begin() as conn:  # the first report went out a day late
        conn.execute(t.sendings.insert().values(
            campaign="itogi-np-2025", deadline="2025-01-13", municipality_id=m_id, who="Иванова А. П.",
            at=datetime(2025, 1, 14, 3, 0, tzinfo=timezone.utc), recipient="centr@example.ru", status="sent"))
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        rows = table(soup((await client.get(f"/m/{m_id}?period={PERIOD}")).text), "deadlines")
    heading, first, second, third = rows[0], rows[1], rows[2], rows[3]
    assert heading[:6] == ["Отчёт", "Период", "Учреждений с публикациями", "Публикаций", "Не проверено",
                           "Отправка в региональный центр"]
    assert first[2:5] == ["1 из 4", "1", "1"]  # the school's site post of 11.01
    assert first[5] == "отправлен с опозданием 14.01.2025 11:00 на centr@example.ru"
    assert second[2:5] == ["2 из 4", "3", "3"]  # the current period: VK twice, Telegram once
    assert second[5] == "не отправлен, срок ещё не наступил"
    assert third[2:5] == ["—", "—", "—"]  # not begun yet


async def test_a_refused_final_report_says_what_to_click(region, app):
    m_id = region.municipalities[ANGARSK]
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        response = await client.get(f"/m/{m_id}/final.xlsx?period={PERIOD}")
    assert response.status_code == 409
    page = soup(response.text)
    text = page.get_text(" ", strip=True)
    assert "не проверено публикаций: 3" in page.select_one("#pending-message").get_text()
    assert "natmon" not in page.select_one("main").get_text().replace("natmon ·", "")
    assert "--allow-pending" not in text and "report import" not in text
    steps = page.select_one("#steps").get_text(" ", strip=True)
    assert "«Открыть непроверенные публикации»" in steps and "«Подтвердить»" in steps
    link = page.find("a", string="Открыть непроверенные публикации")["href"]
    assert link.endswith(f"status=pending&campaign=itogi-np-2025&period={PERIOD}")


async def test_the_audit_log_shows_the_regions_local_time(region, app):
    audit(region.store, "Иванова А. П. (angarsk)", "review", region.municipalities[ANGARSK],
          region.posts["p2_vk"], {"decision": "confirmed"}, now=datetime(2025, 1, 22, 16, 30, tzinfo=timezone.utc))
    async with make_client(app) as client:
        await log_in(client, "operator")
        page = soup((await client.get("/audit")).text)
    rows = table(page, "audit")
    assert rows[0][0] == "Когда (Asia/Irkutsk, UTC+08:00)"
    assert ["23.01.2025 00:30:00", "Иванова А. П. (angarsk)"] == rows[-1][:2]  # 16:30 UTC is past midnight there


async def test_a_manual_entry_link_must_be_http_or_https(region, app):
    m_id = region.municipalities[ANGARSK]
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        token = await token_of(client)
        for link in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                     "ftp://example.ru/x", "angarsk-gazeta.ru/news/12"):
            response = await client.post(f"/m/{m_id}/manual", data={
                "csrf_token": token, "channel": "газета", "url": link, "published_on": "2025-01-20"})
            assert response.status_code == 400, link
            assert "Ссылка должна начинаться с http:// или https://" in response.text
        good = await client.post(f"/m/{m_id}/manual", data={
            "csrf_token": token, "channel": "газета", "url": "https://angarsk-gazeta.ru/news/12",
            "published_on": "2025-01-20"})
        assert good.status_code == 303
    with region.store.engine.connect() as conn:
        assert list(conn.execute(select(t.manual_entries.c.url)).scalars()) == ["https://angarsk-gazeta.ru/news/12"]


def add_channel(region, kind: str, address: str, institution: str) -> None:
    with region.store.engine.begin() as conn:
        i_id = conn.execute(select(t.institutions.c.id).where(t.institutions.c.name == institution)).scalar_one()
        conn.execute(t.channels.insert().values(institution_id=i_id, kind=kind, address=address, enabled=True,
                                                in_registry=True, options={}, consecutive_failures=0))


async def test_odnoklassniki_and_max_are_channel_kinds_of_their_own(region, app, monkeypatch):
    # Until reports.coverage counts these kinds itself (issue #16, another branch), its daily chart
    # frame must at least have their columns; the overview's own columns are what is tested here.
    from reports import coverage
    monkeypatch.setattr(coverage, "POST_CHANNELS", tuple(dict.fromkeys((*coverage.POST_CHANNELS, "ok", "max"))))
    add_channel(region, "ok", "https://ok.ru/group/70000001", "Школа № 1")
    add_channel(region, "max", "https://max.ru/school2_angarsk", "Школа № 2")
    ok_post = add_post(region.store, "ok.ru/group/70000001", "ok1", "2025-01-20T03:00:00",
                       "Нацпроект «Образование»: в школе открыли мастерскую.")
    max_post = add_post(region.store, "max.ru/school2_angarsk", "mx1", "2025-01-21T03:00:00",
                        "Нацпроект «Образование»: новые парты в кабинете химии.")
    async with make_client(app) as client:
        await log_in(client, "operator")
        listing = soup((await client.get(f"/posts?period={PERIOD}")).text)
        options = {o["value"]: o.get_text() for o in listing.select("select[name=channel] option") if o["value"]}
        assert options == {"website": "сайт", "vk": "ВКонтакте", "telegram": "Telegram", "ok": "Одноклассники",
                           "max": "MAX"}
        only_ok = soup((await client.get(f"/posts?period={PERIOD}&channel=ok")).text)
        assert [card["id"] for card in only_ok.select(".post")] == [f"post-{ok_post}"]
        assert "Одноклассники" in only_ok.select_one(".post .meta").get_text()
        only_max = soup((await client.get(f"/posts?period={PERIOD}&channel=max")).text)
        assert [card["id"] for card in only_max.select(".post")] == [f"post-{max_post}"]
        overview = soup((await client.get(f"/?period={PERIOD}")).text)
    rows = table(overview, "municipalities")
    headings = [cell.rstrip("▲▼ ") for cell in rows[0]]
    assert "Одноклассники" in headings and "MAX" in headings and "Другие" in headings
    angarsk = next(row for row in rows[1:] if row[0] == ANGARSK)
    assert angarsk[headings.index("Одноклассники")] == "1" and angarsk[headings.index("MAX")] == "1"
    assert angarsk[headings.index("Другие")] == "0"


async def test_a_refused_sending_says_what_to_click_too(region, tmp_path, monkeypatch):
    from crawler.registry import load
    from reports.web import WebConfig, create_app
    from tests.reports.conftest import REGISTRY_YAML
    from tests.web.conftest import SECRET, TODAY

    path = tmp_path / "with-recipient.yaml"
    path.write_text(REGISTRY_YAML.replace("      name: Региональный центр мониторинга\n",
                                          "      name: Региональный центр мониторинга\n"
                                          "      email: centr@example.ru\n"), encoding="utf-8")
    monkeypatch.setenv("NATMON_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NATMON_SMTP_FROM", "uo@example.ru")
    app = create_app(region.store, load(path), WebConfig(secret_key=SECRET, today=lambda: TODAY))
    m_id = region.municipalities[ANGARSK]
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        response = await client.post(f"/m/{m_id}/send", data={"csrf_token": await token_of(client),
                                                               "period": PERIOD})
    assert response.status_code == 409
    page = soup(response.text)
    assert page.select_one("h1").get_text() == "Итоговый отчёт пока нельзя отправить"
    assert "снова нажмите «Отправить отчёт»" in page.select_one("#steps").get_text(" ", strip=True)
    assert "natmon report import" not in response.text
    with region.store.engine.connect() as conn:
        assert conn.execute(select(t.sendings.c.id)).first() is None
