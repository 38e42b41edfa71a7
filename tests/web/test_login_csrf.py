"""Logging in (wrong password, disabled user, rate limit), session cookies and CSRF tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crawler import schema as t
from reports.users import disable_user
from reports.web import WebConfig, create_app
from reports.web.app import SESSION_COOKIE
from tests.web.conftest import PASSWORD, PERIOD, SECRET, TODAY, csrf_token, log_in, make_client, token_of


async def test_the_right_password_opens_the_app_and_the_audit_log_records_it(region, client):
    assert await log_in(client, "angarsk") == 303
    assert (await client.get(f"/m/{region.municipalities['г. Ангарск']}?period={PERIOD}")).status_code == 200
    with region.store.engine.connect() as conn:
        actions = [row.action for row in conn.execute(select(t.audit_log.c.action))]
    assert actions == ["login"]


@pytest.mark.parametrize(("login", "password"), [("angarsk", "неверный-пароль"), ("nobody", PASSWORD),
                                                 ("gone", PASSWORD)])
async def test_wrong_password_unknown_or_disabled_user_is_refused(region, client, login, password):
    token = csrf_token((await client.get("/login")).text)
    response = await client.post("/login", data={"login": login, "password": password, "csrf_token": token})
    assert response.status_code == 401
    assert "Неверный логин или пароль" in response.text
    assert (await client.get("/posts")).status_code == 303  # still not signed in


async def test_a_user_disabled_during_a_session_is_signed_out(region, client):
    await log_in(client, "angarsk")
    assert (await client.get("/posts")).status_code == 200
    disable_user(region.store, "angarsk")
    response = await client.get("/posts")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_session_cookie_is_signed_httponly_and_lax(region, client):
    token = csrf_token((await client.get("/login")).text)
    response = await client.post("/login", data={"login": "angarsk", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE) and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie
    client.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE][:-3] + "abc")  # tampered signature
    assert (await client.get("/posts")).status_code == 303


async def test_secure_cookies_behind_https(region):
    app = create_app(region.store, region.registry, WebConfig(secret_key=SECRET, secure_cookies=True,
                                                              today=lambda: TODAY))
    async with make_client(app) as client:
        response = await client.get("/login")
        assert "secure" in response.headers["set-cookie"].lower()


def post_routes(app) -> list[str]:
    return [route.path for route in app.routes if "POST" in (route.methods or ())]


async def test_every_post_without_a_valid_token_is_refused(region, app):
    ids = {"municipality_id": region.municipalities["г. Ангарск"], "post_id": region.posts["p2_vk"]}
    paths = [path.replace("{municipality_id:int}", str(ids["municipality_id"]))
             .replace("{post_id:int}", str(ids["post_id"])) for path in post_routes(app)]
    assert {"/login", "/logout", "/posts/review-shown", "/account/end-sessions"} <= set(paths) and len(paths) == 9
    async with make_client(app) as client, make_client(app) as stranger:
        await log_in(client, "operator")
        await log_in(stranger, "operator")
        foreign = await token_of(stranger)  # a token of another session
        for path in paths:
            for data in ({}, {"csrf_token": "forged"}, {"csrf_token": foreign}):
                response = await client.post(path, data={**data, "decision": "confirmed", "post_id": "1",
                                                          "login": "operator", "password": PASSWORD})
                assert response.status_code == 403, (path, data)
    with region.store.engine.connect() as conn:
        assert conn.execute(select(t.reviews.c.id)).first() is None
        assert conn.execute(select(t.manual_entries.c.id)).first() is None


async def test_logout_ends_the_session(region, client):
    await log_in(client, "operator")
    response = await client.post("/logout", data={"csrf_token": await token_of(client)})
    assert response.status_code == 303
    assert (await client.get("/posts")).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
async def test_login_never_redirects_off_site(region, client, target):
    token = csrf_token((await client.get("/login")).text)
    response = await client.post("/login", data={"login": "operator", "password": PASSWORD, "csrf_token": token,
                                                 "next": target})
    assert response.headers["location"] == "/"


async def test_login_returns_to_the_page_asked_for(region, client):
    first = await client.get("/audit")
    assert first.headers["location"] == "/login?next=%2Faudit"
    page = await client.get(first.headers["location"])
    token = csrf_token(page.text)
    response = await client.post("/login", data={"login": "operator", "password": PASSWORD, "csrf_token": token,
                                                 "next": "/audit"})
    assert response.headers["location"] == "/audit"
