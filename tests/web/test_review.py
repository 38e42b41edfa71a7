"""Reviewing posts, manual entries, downloads, sending and the audit log, as a coordinator does it."""

from __future__ import annotations

import io
import re

from bs4 import BeautifulSoup
from openpyxl import load_workbook
from sqlalchemy import select

import reports.mail
from crawler import schema as t
from reports.mail import SendRefused
from tests.web.conftest import ANGARSK, PERIOD, SHELEKHOV, log_in, token_of

DRAFT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reviews(region) -> list[tuple[int, str, str, str]]:
    with region.store.engine.connect() as conn:
        return [(r.post_id, r.decision, r.who, r.comment) for r in conn.execute(
            select(t.reviews).order_by(t.reviews.c.id))]


def audit(region) -> list[tuple[str, str, int | None]]:
    with region.store.engine.connect() as conn:
        return [(r.action, r.who, r.post_id) for r in conn.execute(select(t.audit_log).order_by(t.audit_log.c.id))
                if r.action != "login"]


def shown_ids(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'id="post-(\d+)"', html)]


async def test_confirm_then_reject_the_latest_decision_wins_and_is_audited(region, client):
    post = region.posts["p2_vk"]
    await log_in(client, "angarsk")
    token = await token_of(client)
    first = await client.post(f"/posts/{post}/review", data={"csrf_token": token, "decision": "confirmed",
                                                             "next": f"/posts?period={PERIOD}"})
    assert first.status_code == 303 and first.headers["location"] == f"/posts?period={PERIOD}#post-{post}"
    await client.post(f"/posts/{post}/review", data={"csrf_token": token, "decision": "rejected",
                                                     "comment": "не о нацпроекте"})
    who = "Иванова А. П. (angarsk)"
    assert reviews(region) == [(post, "confirmed", who, ""), (post, "rejected", who, "не о нацпроекте")]
    assert audit(region) == [("review", who, post), ("review", who, post)]
    page = BeautifulSoup((await client.get(f"/posts/{post}?period={PERIOD}")).text, "html.parser")
    assert "статус: отклонено" in page.select_one(f"#post-{post} .meta").get_text(" ", strip=True)
    assert "Публикация отклонена." in page.get_text()  # the flash after the redirect
    history = [row.get_text("|", strip=True) for row in page.select("table tr")[1:]]
    assert history[0].endswith("отклонено|не о нацпроекте") and history[1].endswith("подтверждено")


async def test_a_comment_keeps_the_decision_and_needs_one_first(region, client):
    post = region.posts["p2_tg"]
    await log_in(client, "angarsk")
    token = await token_of(client)
    await client.post(f"/posts/{post}/review", data={"csrf_token": token, "decision": "comment", "comment": "?"})
    assert reviews(region) == []
    assert "сначала подтвердите или отклоните" in (await client.get("/audit")).text
    await client.post(f"/posts/{post}/review", data={"csrf_token": token, "decision": "confirmed"})
    await client.post(f"/posts/{post}/review", data={"csrf_token": token, "decision": "comment",
                                                     "comment": "ссылка на фото в альбоме"})
    assert [row[1:] for row in reviews(region)][-1] == ("confirmed", "Иванова А. П. (angarsk)",
                                                        "ссылка на фото в альбоме")


async def test_confirm_all_shown_confirms_exactly_the_filtered_posts_then_the_final_report_opens(region, client):
    m_id = region.municipalities[ANGARSK]
    await log_in(client, "angarsk")
    refused = await client.get(f"/m/{m_id}/final.xlsx?period={PERIOD}")
    assert refused.status_code == 409
    assert len(BeautifulSoup(refused.text, "html.parser").select("#pending li")) == 3
    listing = f"/posts?period={PERIOD}&label=explicit&status=pending"
    page = (await client.get(listing)).text
    ids = shown_ids(page)
    assert sorted(ids) == sorted([region.posts["p2_vk"], region.posts["p2_tg"], region.posts["edge_in"]])
    response = await client.post("/posts/review-shown", data={"csrf_token": await token_of(client),
                                                              "post_id": [str(i) for i in ids], "next": listing})
    assert response.headers["location"] == listing
    assert sorted(r[0] for r in reviews(region)) == sorted(ids)
    assert shown_ids((await client.get(listing)).text) == []
    final = await client.get(f"/m/{m_id}/final.xlsx?period={PERIOD}")
    assert final.status_code == 200 and final.headers["content-type"] == DRAFT_TYPE
    assert 'filename="final-g-angarsk-2025-01-24.xlsx"' in final.headers["content-disposition"]


async def test_filters_narrow_the_list(region, client):
    posts = region.posts
    await log_in(client, "operator")
    base = f"/posts?period={PERIOD}"
    assert sorted(shown_ids((await client.get(base)).text)) == sorted(
        [posts["p2_vk"], posts["p2_tg"], posts["p2_near"], posts["edge_in"], posts["other_muni"]])
    assert sorted(shown_ids((await client.get(base + "&channel=telegram")).text)) == [posts["p2_tg"]]
    assert shown_ids((await client.get(base + "&label=implicit")).text) == [posts["p2_near"]]
    assert shown_ids((await client.get(base + "&label=none")).text) == [posts["p2_none"]]
    assert shown_ids((await client.get(base + "&q=КАБИНЕТ")).text) == [posts["p2_vk"]]
    assert shown_ids((await client.get(base + f"&municipality={region.municipalities[SHELEKHOV]}")).text) == \
        [posts["other_muni"]]
    assert shown_ids((await client.get(base + "&project=Цифровая+экономика")).text) == []
    school1 = (await client.get(base)).text
    institution = re.search(r'<option value="(\d+)" >Школа № 2</option>', school1)
    assert institution, "the institution filter offers Школа № 2"
    assert shown_ids((await client.get(base + f"&institution={institution.group(1)}")).text) == [posts["p2_tg"]]
    await client.post(f"/posts/{posts['p2_tg']}/review", data={"csrf_token": await token_of(client),
                                                               "decision": "rejected"})
    assert shown_ids((await client.get(base + "&status=rejected")).text) == [posts["p2_tg"]]
    assert posts["p2_tg"] not in shown_ids((await client.get(base + "&status=pending")).text)
    earlier = (await client.get("/posts?period=2025-01-13")).text
    assert shown_ids(earlier) == [posts["p1_site"]]


async def test_the_evidence_is_highlighted(region, client):
    await log_in(client, "operator")
    page = BeautifulSoup((await client.get(f"/posts?period={PERIOD}&q=кабинет")).text, "html.parser")
    assert [mark.get_text() for mark in page.select(".text mark.ev")] == ["Образование"]
    assert "Новый кабинет по нацпроекту «Образование» открыт." in page.select_one(".text").get_text()


async def test_a_manual_entry_is_stored_audited_and_counted(region, client):
    m_id = region.municipalities[ANGARSK]
    await log_in(client, "angarsk")
    form = (await client.get(f"/m/{m_id}/manual?period={PERIOD}")).text
    school = re.search(r'<option value="(\d+)" >Школа № 1</option>', form).group(1)
    response = await client.post(f"/m/{m_id}/manual?period={PERIOD}", data={
        "csrf_token": await token_of(client), "institution_id": school, "channel": "Одноклассники",
        "url": "https://ok.ru/group/1/topic/2", "description": "", "published_on": "2025-01-18"})
    assert response.status_code == 303
    with region.store.engine.connect() as conn:
        entry = conn.execute(select(t.manual_entries)).one()
    assert (entry.channel, entry.url, entry.published_on, entry.who) == (
        "Одноклассники", "https://ok.ru/group/1/topic/2", "2025-01-18", "Иванова А. П. (angarsk)")
    assert audit(region) == [("manual_entry", "Иванова А. П. (angarsk)", None)]
    preview = BeautifulSoup((await client.get(f"/m/{m_id}?period={PERIOD}")).text, "html.parser")
    assert preview.find("a", href="https://ok.ru/group/1/topic/2") is not None


async def test_a_manual_entry_pasted_with_nul_characters_is_stored_without_them(region, client):
    # text pasted from a broken document may carry U+0000; PostgreSQL refuses it, so the entry would be lost
    m_id = region.municipalities[ANGARSK]
    await log_in(client, "angarsk")
    response = await client.post(f"/m/{m_id}/manual?period={PERIOD}", data={
        "csrf_token": await token_of(client), "channel": "газе\x00та", "url": "",
        "description": "Статья о нацпроекте\x00 «Образование»", "published_on": "2025-01-18"})
    assert response.status_code == 303
    with region.store.engine.connect() as conn:
        entry = conn.execute(select(t.manual_entries)).one()
    assert (entry.channel, entry.description) == ("газета", "Статья о нацпроекте «Образование»")


async def test_a_manual_entry_without_link_or_with_a_bad_date_is_refused(region, client):
    m_id = region.municipalities[ANGARSK]
    await log_in(client, "angarsk")
    token = await token_of(client)
    for data, message in [({"channel": "газета", "published_on": "2025-01-18"}, "Укажите ссылку"),
                          ({"channel": "газета", "description": "статья", "published_on": "18.01"}, "Дата публикации"),
                          ({"channel": "", "description": "статья", "published_on": "2025-01-18"}, "Укажите канал"),
                          ({"channel": "газета", "description": "статья", "published_on": "2025-01-18",
                            "institution_id": "99999"}, "Выберите учреждение")]:
        response = await client.post(f"/m/{m_id}/manual", data={"csrf_token": token, **data})
        assert response.status_code == 400 and message in response.text
    with region.store.engine.connect() as conn:
        assert conn.execute(select(t.manual_entries.c.id)).first() is None


async def test_the_draft_downloads_for_any_deadline(region, client):
    m_id = region.municipalities[ANGARSK]
    await log_in(client, "angarsk")
    for deadline in ("2025-01-13", PERIOD):
        response = await client.get(f"/m/{m_id}/draft.xlsx?period={deadline}")
        assert response.status_code == 200 and response.headers["content-type"] == DRAFT_TYPE
        assert f'filename="draft-g-angarsk-{deadline}.xlsx"' in response.headers["content-disposition"]
        load_workbook(io.BytesIO(response.content))  # a real workbook
    assert (await client.get(f"/m/{m_id}/draft.xlsx?period=2025-05-05")).status_code == 400


async def test_send_shows_the_refusal_or_the_success(region, client, monkeypatch):
    m_id = region.municipalities[ANGARSK]
    calls = []

    def refuse(store, registry, campaign, municipality, period, who, *, resend=False):
        calls.append((campaign.id, municipality, period.deadline.isoformat(), who, resend))
        raise SendRefused("г. Ангарск, отчёт по 24.01.2025: не отправлен — не проверено публикаций: 3.")

    monkeypatch.setattr(reports.mail, "send_report", refuse)
    await log_in(client, "angarsk")
    response = await client.post(f"/m/{m_id}/send", data={"csrf_token": await token_of(client), "period": PERIOD})
    assert response.status_code == 303
    page = (await client.get(response.headers["location"])).text
    assert "не отправлен — не проверено публикаций: 3." in page
    sending = BeautifulSoup(page, "html.parser").select_one("#sending")  # the preview's own sending block
    assert sending is not None and sending.get_text().startswith("Отправка в региональный центр:")
    assert calls == [("itogi-np-2025", ANGARSK, PERIOD, "Иванова А. П. (angarsk)", False)]

    class Sent:
        recipient = "centr@example.ru"
        file_name = "final-g-angarsk-2025-01-24.xlsx"

    monkeypatch.setattr(reports.mail, "send_report", lambda *args, **kwargs: Sent())
    response = await client.post(f"/m/{m_id}/send", data={"csrf_token": await token_of(client), "period": PERIOD})
    assert "отправлен на centr@example.ru" in (await client.get(response.headers["location"])).text


async def test_the_audit_log_says_who_decided_what(region, client):
    await log_in(client, "angarsk")
    await client.post(f"/posts/{region.posts['p2_vk']}/review",
                      data={"csrf_token": await token_of(client), "decision": "rejected", "comment": "реклама"})
    page = BeautifulSoup((await client.get("/audit")).text, "html.parser")
    rows = [row.get_text("|", strip=True) for row in page.select("#audit tr")[1:]]
    assert "Иванова А. П. (angarsk)|решение по публикации|г. Ангарск|№" in rows[0]
    assert rows[0].endswith("решение: отклонено; было: не проверено; комментарий: реклама")


async def test_the_overview_sorts_by_the_chosen_column(region, client):
    await log_in(client, "operator")

    async def order(query: str) -> list[str]:
        page = BeautifulSoup((await client.get(f"/?period={PERIOD}&{query}")).text, "html.parser")
        return [row.select("td")[0].get_text(strip=True) for row in page.select("#municipalities tr")[1:]]

    assert await order("sort=name") == [ANGARSK, SHELEKHOV]
    assert await order("sort=name&order=desc") == [SHELEKHOV, ANGARSK]
    assert await order("sort=institutions&order=desc") == [ANGARSK, SHELEKHOV]
    assert await order("sort=institutions&order=asc") == [SHELEKHOV, ANGARSK]
    assert await order("sort=nonsense") == [ANGARSK, SHELEKHOV]


async def test_the_overview_sorts_figures_as_numbers(region, client):
    await log_in(client, "operator")
    page = BeautifulSoup((await client.get(f"/?period={PERIOD}&sort=views&order=desc")).text, "html.parser")
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in page.select("#municipalities tr")[1:]]
    headings = [cell.get_text(strip=True).rstrip("▲▼ ") for cell in page.select("#municipalities th")]
    views = headings.index("Просмотры")
    assert [row[0] for row in rows] == [ANGARSK, SHELEKHOV]
    assert rows[0][views] == "380" and rows[1][views] == "50"
