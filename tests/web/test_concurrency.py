"""The web app and the nightly crawl share one store: no decision is lost while posts are saved."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from channels.base import Post
from crawler import schema as t
from crawler.store import Store
from tests.reports.conftest import channel_id
from tests.web.conftest import log_in, make_client, token_of

DECISIONS = 60
BATCHES = 40
BATCH = 25


async def review_many(app, post_ids: list[int]) -> list[int]:
    statuses = []
    async with make_client(app) as client:
        await log_in(client, "angarsk")
        token = await token_of(client)
        for i in range(DECISIONS):
            decision = "confirmed" if (i // len(post_ids)) % 2 == 0 else "rejected"
            response = await client.post(f"/posts/{post_ids[i % len(post_ids)]}/review",
                                         data={"csrf_token": token, "decision": decision, "comment": f"решение {i}"})
            statuses.append(response.status_code)
    return statuses


def crawl_many(db_path: str, address: str, errors: list[BaseException]) -> None:
    """What the nightly job does to the store, through its own engine (as another process would)."""
    store = Store.open(db_path)
    try:
        cid = channel_id(store, address)
        start = datetime(2025, 1, 15, tzinfo=timezone.utc)
        for batch in range(BATCHES):
            posts = [Post(f"c{batch}-{i}", f"https://vk.com/wall-1001_{batch}{i}",
                          start + timedelta(minutes=batch * BATCH + i), f"Новость {batch}-{i} о нацпроекте")
                     for i in range(BATCH)]
            store.save_posts(cid, posts)
    except BaseException as exc:  # reported to the test thread
        errors.append(exc)
    finally:
        store.close()


def test_reviews_through_the_app_survive_a_concurrent_crawl(region, app, tmp_path):
    post_ids = [region.posts["p2_vk"], region.posts["p2_tg"], region.posts["edge_in"]]
    errors: list[BaseException] = []
    crawler = threading.Thread(target=crawl_many, args=(region.store.name, "club1001", errors))
    results: list[list[int]] = []
    reviewer = threading.Thread(target=lambda: results.append(asyncio.run(review_many(app, post_ids))))
    crawler.start()
    reviewer.start()
    crawler.join()
    reviewer.join()
    assert errors == []
    assert results and results[0] == [303] * DECISIONS
    with region.store.engine.connect() as conn:
        comments = sorted(conn.execute(select(t.reviews.c.comment)).scalars(), key=lambda c: int(c.split()[1]))
        audited = conn.execute(select(func.count()).select_from(t.audit_log)
                               .where(t.audit_log.c.action == "review")).scalar_one()
        crawled = conn.execute(select(func.count()).select_from(t.posts)
                               .where(t.posts.c.external_id.like("c%-%"))).scalar_one()
    assert comments == [f"решение {i}" for i in range(DECISIONS)]
    assert audited == DECISIONS
    assert crawled == BATCHES * BATCH
