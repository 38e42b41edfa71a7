"""Crawled text is untrusted: hostile titles, texts, links and comments show as text on every page."""

from __future__ import annotations

from sqlalchemy import update

from crawler import schema as t
from tests.web.conftest import ANGARSK, PERIOD, log_in, token_of
from tests.web.hostile import HOSTILE_COMMENT, JS_URL, active_content, add_hostile_posts


async def test_hostile_posts_are_shown_as_text_on_every_page(region, client):
    hostile = add_hostile_posts(region.store)
    m_id = region.municipalities[ANGARSK]
    await log_in(client, "operator")
    token = await token_of(client)
    await client.post(f"/posts/{hostile['script']}/review",
                      data={"csrf_token": token, "decision": "rejected", "comment": HOSTILE_COMMENT})
    await client.post(f"/m/{m_id}/manual", data={"csrf_token": token, "channel": '"><script>window.__xss=10</script>',
                                                 "url": JS_URL, "description": "<b onclick=x>газета</b>",
                                                 "published_on": "2025-01-20"})
    await client.post(f"/posts/{hostile['data']}/review", data={"csrf_token": token, "decision": "confirmed"})
    pages = [f"/m/{m_id}?period={PERIOD}", f"/posts?period={PERIOD}", f"/posts?period={PERIOD}&label=all",
             f"/posts/{hostile['script']}?period={PERIOD}", f"/posts/{hostile['data']}?period={PERIOD}",
             f"/m/{m_id}/manual?period={PERIOD}", "/audit", f"/?period={PERIOD}"]
    for path in pages:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert active_content(response.text) == [], path
    page = (await client.get(f"/posts/{hostile['script']}?period={PERIOD}")).text
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page  # shown, escaped
    assert "javascript:window.__xss=6</span>" in page  # the link is text, not a link
    assert "&lt;/textarea&gt;&lt;script&gt;" in page  # the comment, inside its textarea, escaped


async def test_hostile_text_in_a_search_query_is_escaped(region, client):
    await log_in(client, "operator")
    response = await client.get('/posts?q="><script>window.__xss=1</script>')
    assert response.status_code == 200
    assert active_content(response.text) == []
    assert 'value="&#34;&gt;&lt;script&gt;' in response.text


async def test_pages_forbid_scripts_by_policy_too(region, client):
    response = await client.get("/login")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response.headers["x-frame-options"] == "DENY"


async def test_a_hostile_municipality_error_message_is_escaped(region, client):
    with region.store.engine.begin() as conn:  # a name that no longer matches the registry
        conn.execute(update(t.municipalities).where(t.municipalities.c.id == region.municipalities[ANGARSK])
                     .values(name="<script>window.__xss=1</script>"))
    await log_in(client, "operator")
    response = await client.get(f"/m/{region.municipalities[ANGARSK]}")
    assert response.status_code == 404
    assert active_content(response.text) == []
    assert "&lt;script&gt;" in response.text
