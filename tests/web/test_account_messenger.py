"""The account page: a user chooses where their notifications go (Telegram or MAX) and gives their MAX id."""

from __future__ import annotations

from sqlalchemy import select

from crawler import schema as t
from reports.users import get_user
from tests.web.conftest import log_in, make_client, token_of


async def test_a_coordinator_switches_to_max_with_their_id_and_back(region, app):
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        page = await client.get("/account")
        assert 'action="/account/messenger"' in page.text and "Telegram (чат 1001)" in page.text
        token = await token_of(client, "/account")
        done = await client.post("/account/messenger", data={"csrf_token": token, "via": "max",
                                                             "max_user": " 40539817 "})
        assert done.status_code == 303 and done.headers["location"] == "/account"
        page = await client.get("/account")
        assert "Уведомления будут приходить в MAX." in page.text
        assert '<option value="max" selected>' in page.text and 'value="40539817"' in page.text
        user = get_user(region.store, login="angarsk")
        assert (user.notify_via, user.max_user_id, user.telegram_chat_id) == ("max", "40539817", "1001")
        back = await client.post("/account/messenger", data={"csrf_token": token, "via": "telegram",
                                                             "max_user": "40539817"})
        assert back.status_code == 303 and get_user(region.store, login="angarsk").notify_via == "telegram"
    with region.store.engine.connect() as conn:
        logged = conn.execute(select(t.audit_log.c.who, t.audit_log.c.details)
                              .where(t.audit_log.c.action == "messenger_changed")).all()
    assert [row.details["via"] for row in logged] == ["max", "telegram"]
    assert all(row.who == "Иванова А. П. (angarsk)" for row in logged)


async def test_bad_input_is_refused_in_russian_and_max_without_an_id_is_flagged(region, app):
    async with make_client(app) as client:
        await log_in(client, "shelekhov")
        token = await token_of(client, "/account")
        bad_id = await client.post("/account/messenger", data={"csrf_token": token, "via": "max",
                                                               "max_user": "<script>"})
        assert bad_id.status_code == 400
        assert "Идентификатор пользователя MAX — целое число, получено «&lt;script&gt;»" in bad_id.text
        bad_via = await client.post("/account/messenger", data={"csrf_token": token, "via": "vk"})
        assert bad_via.status_code == 400 and "Выберите, куда присылать уведомления" in bad_via.text
        assert get_user(region.store, login="shelekhov").notify_via == "telegram"
        no_id = await client.post("/account/messenger", data={"csrf_token": token, "via": "max", "max_user": ""})
        assert no_id.status_code == 303
        page = await client.get("/account")
        assert "Сохранено, но ID в MAX не указан: уведомления не придут, пока его нет." in page.text
