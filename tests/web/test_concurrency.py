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
from reports.review_store import current_decisions
from tests.web.conftest import Region, log_in, make_app, make_client, token_of

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


def region_with(region: Region, store: Store) -> Region:
    return Region(store, region.registry, region.posts, region.municipalities)


async def decide_same_post(app, login: str, post_id: int, barrier: threading.Barrier) -> list[int]:
    statuses = []
    async with make_client(app) as client:
        await log_in(client, login)
        token = await token_of(client)
        barrier.wait()
        for i in range(DECISIONS // 2):
            decision = ("confirmed", "rejected")[i % 2]
            response = await client.post(f"/posts/{post_id}/review",
                                         data={"csrf_token": token, "decision": decision, "comment": f"{login} {i}"})
            statuses.append(response.status_code)
    return statuses


def test_two_reviewers_deciding_the_same_post_at_once_lose_no_decision(region, app):
    """The operator through one web worker and the coordinator through another (each its own engine)."""
    post_id = region.posts["p2_vk"]
    other = Store.open(region.store.name)
    try:
        second_app = make_app(region_with(region, other))
        barrier = threading.Barrier(2)
        results: dict[str, list[int]] = {}

        def reviewer(login: str, served) -> None:
            results[login] = asyncio.run(decide_same_post(served, login, post_id, barrier))

        threads = [threading.Thread(target=reviewer, args=("operator", app)),
                   threading.Thread(target=reviewer, args=("angarsk", second_app))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    assert results == {"operator": [303] * (DECISIONS // 2), "angarsk": [303] * (DECISIONS // 2)}
    r = t.reviews
    with region.store.engine.connect() as conn:
        rows = conn.execute(select(r.c.who, r.c.comment, r.c.decision).where(r.c.post_id == post_id)
                            .order_by(r.c.at, r.c.id)).all()
        audited = conn.execute(select(func.count()).select_from(t.audit_log)
                               .where(t.audit_log.c.action == "review", t.audit_log.c.post_id == post_id)).scalar_one()
    assert sorted(row.comment for row in rows) == sorted(f"{who} {i}" for who in ("operator", "angarsk")
                                                         for i in range(DECISIONS // 2))
    assert audited == DECISIONS
    # the post shows the decision stored last, whoever made it
    assert current_decisions(region.store.engine, [post_id])[post_id]["comment"] == rows[-1].comment
