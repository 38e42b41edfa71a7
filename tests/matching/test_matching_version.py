"""A new matcher version re-matches stored posts on the next run and leaves reviews alone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from channels.base import Post
from crawler import schema as t
from crawler.job import match_pending
from crawler.registry import loads
from crawler.store import Store
from matching import MATCHER_VERSION, CampaignTerms, default_matcher

PREVIOUS_VERSION = "natmon-matcher/1.11"  # what posts matched before this release carry

REGISTRY = """
region: {name: Тестовая область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [2030-12-31]}
municipalities:
  - name: Город
    authority: Управление образования
    institutions:
      - name: Школа № 1
        kind: school
        channels: [{telegram: "@school_one"}]
"""


@pytest.fixture
def store(tmp_path):
    store = Store.open(str(tmp_path / "natmon.db"))
    yield store
    store.close()


def test_posts_matched_by_the_previous_version_are_matched_again_and_reviews_stay(store, tmp_path) -> None:
    store.sync_registry(loads(REGISTRY, tmp_path / "sources.yaml"))
    channel = store.crawl_targets()[0].ref.id
    post = Post("p1", "https://t.me/s/school_one/1", datetime(2025, 3, 2, tzinfo=timezone.utc),
                "Спортзал отремонтировали по нацпроекту «Образование».")
    store.save_posts(channel, [post])
    with store.engine.connect() as conn:
        post_id = conn.execute(select(t.posts.c.id)).scalar_one()
    # as the previous release left it: a stale decision, and a reviewer's verdict on the post
    store.save_matches([{"post_id": post_id, "version": PREVIOUS_VERSION, "label": "none", "projects": [],
                         "federal_projects": [], "campaign": False, "formats": [], "evidence": [],
                         "content_hash": post.content_hash()}])
    with store.engine.begin() as conn:
        conn.execute(t.reviews.insert().values(post_id=post_id, decision="confirmed", who="Иванова",
                                               at=datetime(2025, 3, 3, tzinfo=timezone.utc), comment="видела сама"))

    assert MATCHER_VERSION != PREVIOUS_VERSION
    match_pending(store, default_matcher(), CampaignTerms())

    with store.engine.connect() as conn:
        match = conn.execute(select(t.matches.c.version, t.matches.c.label, t.matches.c.projects)).one()
        reviews = conn.execute(select(t.reviews.c.post_id, t.reviews.c.decision, t.reviews.c.who,
                                      t.reviews.c.comment)).all()
    assert (match.version, match.label) == (MATCHER_VERSION, "explicit")
    assert "Образование" in str(match.projects)
    assert reviews == [(post_id, "confirmed", "Иванова", "видела сама")]
    # matched once by this version: the next run leaves the post alone
    assert store.posts_to_match(MATCHER_VERSION) == []
