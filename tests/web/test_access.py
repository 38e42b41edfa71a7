"""Who may see and change what: every role against every municipality, checked on the server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crawler import schema as t
from tests.web.conftest import ANGARSK, PERIOD, SHELEKHOV, Region, log_in, make_client, token_of

USERS = {"operator": None, "angarsk": ANGARSK, "shelekhov": SHELEKHOV}
POST_OF = {ANGARSK: "p2_vk", SHELEKHOV: "other_muni"}
MATRIX = [(login, target) for login in USERS for target in (ANGARSK, SHELEKHOV)]


def allowed(login: str, target: str) -> bool:
    return USERS[login] in (None, target)


def count(region: Region, table) -> int:
    with region.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def read_paths(region: Region, target: str) -> list[str]:
    m_id = region.municipalities[target]
    post_id = region.posts[POST_OF[target]]
    return [f"/m/{m_id}?period={PERIOD}", f"/m/{m_id}/draft.xlsx?period={PERIOD}",
            f"/m/{m_id}/final.xlsx?period={PERIOD}", f"/m/{m_id}/manual", f"/posts?municipality={m_id}",
            f"/posts/{post_id}", f"/audit?municipality={m_id}"]


@pytest.mark.parametrize(("login", "target"), MATRIX)
async def test_pages_of_a_municipality_open_only_for_its_coordinator_and_operators(region, app, login, target):
    async with make_client(app) as client:
        assert await log_in(client, login) == 303
        for path in read_paths(region, target):
            response = await client.get(path)
            if allowed(login, target):
                assert response.status_code in (200, 409), path  # 409: the final form with rows pending
            elif path.startswith("/posts/"):  # another municipality's post answers as a missing one
                assert response.status_code == 404, path
                assert "Школа" not in response.text and "Шелеховская" not in response.text
            else:
                assert response.status_code == 403, path
                assert "Нет доступа" in response.text
                assert "Школа" not in response.text and "Шелеховская" not in response.text


@pytest.mark.parametrize(("login", "target"), MATRIX)
async def test_changes_to_a_municipality_only_by_its_coordinator_and_operators(region, app, login, target):
    m_id = region.municipalities[target]
    post_id = region.posts[POST_OF[target]]
    async with make_client(app) as client:
        await log_in(client, login)
        token = await token_of(client)
        before = {table.name: count(region, table) for table in (t.reviews, t.manual_entries)}
        responses = [
            await client.post(f"/posts/{post_id}/review", data={"csrf_token": token, "decision": "confirmed"}),
            await client.post("/posts/review-shown", data={"csrf_token": token, "post_id": [str(post_id)]}),
            await client.post(f"/m/{m_id}/manual", data={"csrf_token": token, "channel": "газета",
                                                         "description": "Статья о школе",
                                                         "published_on": "2025-01-20"}),
            await client.post(f"/m/{m_id}/send", data={"csrf_token": token, "period": PERIOD}),
        ]
        after = {table.name: count(region, table) for table in (t.reviews, t.manual_entries)}
    if allowed(login, target):
        assert [r.status_code for r in responses] == [303, 303, 303, 303]
        assert after["reviews"] == before["reviews"] + 1  # confirm-all of a confirmed post adds nothing
        assert after["manual_entries"] == before["manual_entries"] + 1
    else:  # another municipality's post is «not found» (404), its pages forbidden (403)
        assert [r.status_code for r in responses] == [404, 404, 403, 403]
        assert after == before


async def test_a_coordinator_sees_only_their_municipality_in_lists(region, app):
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        overview = await client.get("/")
        assert overview.status_code == 303
        assert overview.headers["location"] == f"/m/{region.municipalities[ANGARSK]}"
        posts = (await client.get(f"/posts?period={PERIOD}")).text
        assert "Новый кабинет по нацпроекту" in posts
        assert "Шелеховская школа" not in posts
        assert SHELEKHOV not in posts  # not even offered as a filter
        await client.post(f"/posts/{region.posts['p2_vk']}/review",
                          data={"csrf_token": await token_of(client), "decision": "confirmed"})
    async with make_client(app) as other:
        await log_in(other, "shelekhov")
        audit = (await other.get("/audit")).text
        assert "Иванова" not in audit  # the other municipality's decisions are not shown


async def test_the_operator_sees_the_whole_region(region, app):
    async with make_client(app) as client:
        await log_in(client, "operator")
        overview = await client.get(f"/?period={PERIOD}")
        assert overview.status_code == 200
        assert ANGARSK in overview.text and SHELEKHOV in overview.text
        posts = (await client.get(f"/posts?period={PERIOD}")).text
        assert "Новый кабинет по нацпроекту" in posts and "Шелеховская школа" in posts


async def test_unknown_municipality_and_post_are_404(region, app):
    async with make_client(app) as client:
        await log_in(client, "operator")
        assert (await client.get("/m/999")).status_code == 404
        assert (await client.get("/posts/999")).status_code == 404
        token = await token_of(client)
        assert (await client.post("/posts/999/review", data={"csrf_token": token,
                                                             "decision": "confirmed"})).status_code == 404


async def test_without_login_every_page_sends_to_the_login_form(region, app):
    async with make_client(app) as client:
        for path in ["/", "/posts", "/audit", *read_paths(region, ANGARSK)]:
            response = await client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=")


async def test_another_municipalitys_post_answers_exactly_as_a_missing_one(region, app):
    foreign = region.posts[POST_OF[SHELEKHOV]]
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        token = await token_of(client)
        shown = await client.get(f"/posts/{foreign}")
        missing = await client.get("/posts/999999")
        assert (shown.status_code, shown.text) == (missing.status_code, missing.text) == (404, missing.text)
        reviewed = await client.post(f"/posts/{foreign}/review", data={"csrf_token": token, "decision": "confirmed"})
        unknown = await client.post("/posts/999999/review", data={"csrf_token": token, "decision": "confirmed"})
        assert (reviewed.status_code, reviewed.text) == (unknown.status_code, unknown.text)
        assert reviewed.status_code == 404 and "Такой публикации нет" in reviewed.text
