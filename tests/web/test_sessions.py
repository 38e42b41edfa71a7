"""Sessions live in the store: a copied cookie dies with logout, a password change, disabling the user or
«Завершить все сеансы»; logging in always makes a new session id; flash messages stay few."""

from __future__ import annotations

import base64
import json

import httpx
from sqlalchemy import func, select

from crawler import schema as t
from reports.users import disable_user, set_password
from reports.web.app import SESSION_COOKIE
from tests.web.conftest import PASSWORD, PERIOD, log_in, make_client, token_of

NEW_PASSWORD = "Новый-длинный-пароль-42"


def copy_of(client: httpx.AsyncClient) -> str:
    return client.cookies[SESSION_COOKIE]


async def reads_and_writes(app, region, cookie: str) -> tuple[int, int]:
    """What a stranger holding a copy of the cookie gets: a page, and a review POSTed with the page's token."""
    async with make_client(app) as thief:
        thief.cookies.set(SESSION_COOKIE, cookie)
        page = await thief.get(f"/posts?period={PERIOD}")
        token = "x"
        if page.status_code == 200:
            token = await token_of(thief)
        written = await thief.post(f"/posts/{region.posts['p2_vk']}/review",
                                   data={"csrf_token": token, "decision": "rejected"})
        return page.status_code, written.status_code


def reviews(region) -> int:
    with region.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.reviews)).scalar_one())


async def test_a_cookie_copied_before_logout_no_longer_reads_or_writes(region, app):
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        copied = copy_of(client)
        assert await reads_and_writes(app, region, copied) == (200, 303)  # the copy works while logged in
        before = reviews(region)
        await client.post("/logout", data={"csrf_token": await token_of(client)})
    assert await reads_and_writes(app, region, copied) == (303, 401)
    assert reviews(region) == before


async def test_the_cookie_carries_only_a_session_id_and_the_store_only_its_hash(region, app):
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        cookie = copy_of(client)
        payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
        assert list(payload) == ["sid"]
        with region.store.engine.connect() as conn:
            row = conn.execute(select(t.sessions)).one()
        assert payload["sid"] not in str(tuple(row)) and len(row.id_hash) == 64
        assert row.address == "127.0.0.1"


async def test_a_password_change_or_disabling_ends_the_users_sessions(region, app):
    async with make_client(app) as first, make_client(app) as second, make_client(app) as other:
        await log_in(first, "angarsk")
        await log_in(second, "angarsk")
        await log_in(other, "shelekhov")
        set_password(region.store, "angarsk", NEW_PASSWORD)
        assert (await first.get("/posts")).status_code == 303
        assert (await second.get("/posts")).status_code == 303
        assert (await other.get("/posts")).status_code == 200  # someone else's session is untouched
        disable_user(region.store, "shelekhov")
        assert (await other.get("/posts")).status_code == 303
    with region.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.sessions)).scalar_one() == 0


async def test_changing_the_password_in_the_app_ends_the_other_sessions_and_keeps_this_one(region, app):
    async with make_client(app) as here, make_client(app) as elsewhere:
        await log_in(here, "angarsk")
        await log_in(elsewhere, "angarsk")
        old_cookie = copy_of(here)
        token = await token_of(here, "/account")
        weak = await here.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                                          "new": "password123", "repeat": "password123"})
        assert weak.status_code == 400 and "слишком распространён" in weak.text
        wrong = await here.post("/account/password", data={"csrf_token": token, "current": "не-тот-пароль",
                                                           "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
        assert wrong.status_code == 400 and "Текущий пароль введён неверно" in wrong.text
        done = await here.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                                          "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
        assert done.status_code == 303
        page = await here.get("/account")
        assert page.status_code == 200 and "Пароль изменён" in page.text
        assert copy_of(here) != old_cookie
        assert (await elsewhere.get("/posts")).status_code == 303
    assert await reads_and_writes(app, region, old_cookie) == (303, 401)
    async with make_client(app) as again:
        assert await log_in(again, "angarsk", NEW_PASSWORD) == 303


async def test_a_user_can_end_all_their_sessions(region, app):
    async with make_client(app) as phone, make_client(app) as office:
        await log_in(phone, "angarsk")
        await log_in(office, "angarsk")
        page = await office.get("/account")
        assert "Завершить все сеансы" in page.text and page.text.count("127.0.0.1") == 2
        ended = await office.post("/account/end-sessions", data={"csrf_token": await token_of(office, "/account")})
        assert ended.status_code == 303 and ended.headers["location"] == "/login"
        assert (await phone.get("/posts")).status_code == 303
        assert (await office.get("/posts")).status_code == 303
    with region.store.engine.connect() as conn:
        logged = conn.execute(select(t.audit_log.c.details).where(t.audit_log.c.action == "sessions_ended")).scalar()
    assert logged == {"address": "127.0.0.1", "count": 2}


async def test_logging_in_makes_a_new_session_id(region, app):
    """A cookie planted in a browser before login (session fixation) never becomes the logged-in session."""
    async with make_client(app) as attacker:
        await attacker.get("/login")
        planted = copy_of(attacker)
    async with make_client(app) as victim:
        victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
        assert await log_in(victim, "angarsk") == 303
        assert copy_of(victim) != planted
        assert (await victim.get("/posts")).status_code == 200
    assert await reads_and_writes(app, region, planted) == (303, 401)


async def test_flash_messages_stay_few_when_redirects_are_not_followed(region, app):
    async with make_client(app) as client:
        await log_in(client, "operator")
        token = await token_of(client)
        post_id = region.posts["p2_vk"]
        for n in range(300):
            response = await client.post(f"/posts/{post_id}/review", data={
                "csrf_token": token, "decision": "confirmed" if n % 2 else "rejected", "comment": "x" * 1000})
            assert response.status_code == 303
        assert len(copy_of(client)) < 200  # the session id alone, however many actions
        page = await client.get("/audit")
        assert page.text.count('class="flash ok"') == 5
        assert 'class="flash' not in (await client.get("/audit")).text  # shown once
