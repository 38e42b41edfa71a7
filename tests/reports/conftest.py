"""A small region in a real store (a SQLite file; PostgreSQL too for the modules in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import select

from channels.base import Post
from crawler import schema as t
from crawler.commands.report import register
from crawler.registry import Registry, load
from crawler.store import Store

REGISTRY_YAML = """
region:
  name: Иркутская область
  timezone: Asia/Irkutsk
campaigns:
  - id: itogi-np-2025
    name: Итоги реализации нацпроектов
    start: 2025-01-10
    end: 2025-03-31
    deadlines: [2025-01-13, 2025-01-24, 2025-02-10, 2025-02-21, 2025-03-10, 2025-03-24]
    recipient:
      name: Региональный центр мониторинга
    phrases: ["итоги реализации нацпроектов"]
    hashtags: ["#ИтогиНацпроектов"]
municipalities:
  - name: г. Ангарск
    authority: Управление образования
    institutions:
      - name: Школа № 1
        kind: school
        channels:
          - website: school1-angarsk.example.ru
          - vk: club1001
      - name: Школа № 2
        kind: school
        channels:
          - telegram: "@school2_angarsk"
      - name: Детский сад № 5
        kind: kindergarten
        channels:
          - vk: club1005
      - name: Детский сад № 7
        kind: kindergarten
        channels:
          - website: ds7-angarsk.example.ru
  - name: Шелеховский район
    authority: Управление образования района
    institutions:
      - name: Шелеховская школа № 4
        kind: school
        channels:
          - vk: club2004
"""

UTC = timezone.utc
MATCHER = "test-1"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def channel_id(store: Store, address: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(t.channels.c.id).where(t.channels.c.address.contains(address))).scalar_one())


def add_channel(store: Store, institution: str, kind: str, address: str) -> int:
    """A channel of a kind the registry on this branch may not know yet (ok, max), straight into the store."""
    with store.engine.begin() as conn:
        inst = conn.execute(select(t.institutions.c.id).where(t.institutions.c.name == institution)).scalar_one()
        return int(conn.execute(t.channels.insert().values(institution_id=inst, kind=kind, address=address,
                                                           options={})).inserted_primary_key[0])


def add_post(store: Store, address: str, external_id: str, published_utc: str, text: str, *,
             label: str = "explicit", projects: tuple[str, ...] = ("Образование",), views: int | None = None,
             likes: int | None = None, title: str = "", url: str | None = None,
             evidence: list[dict[str, Any]] | None = None, formats: tuple[str, ...] = ()) -> int:
    """Store one post and its match; returns the post id."""
    cid = channel_id(store, address)
    post = Post(external_id, url or f"https://example.ru/{address}/{external_id}", utc(published_utc), text,
                title=title, views=views, likes=likes)
    result = store.save_posts(cid, [post])
    post_id = (result.new or result.changed)[0]
    if evidence is None:
        phrase = projects[0].lower() if projects else ""
        start = text.lower().find(phrase)
        evidence = [{"phrase": phrase, "start": start, "end": start + len(phrase), "field": "text",
                     "kind": "project", "target": projects[0]}] if start >= 0 and phrase else []
    store.save_matches([{"post_id": post_id, "version": MATCHER, "label": label, "projects": list(projects),
                         "federal_projects": [], "campaign": False, "formats": list(formats), "evidence": evidence,
                         "content_hash": post.content_hash()}])
    return post_id


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    return load(path)


@pytest.fixture
def store(db: str, registry: Registry) -> Iterator[Store]:
    store = Store.open(db)
    store.sync_registry(registry)
    yield store
    store.close()


def fill(store: Store) -> dict[str, int]:
    """Posts around the deadlines of 13.01 and 24.01.2025 (Irkutsk is UTC+8)."""
    return {
        # period 1 (10.01–13.01)
        "p1_site": add_post(store, "school1-angarsk", "a1", "2025-01-11T03:00:00",
                            "Школа подвела итоги нацпроекта «Образование».", views=120),
        # period 2 (14.01–24.01)
        "p2_vk": add_post(store, "club1001", "v1", "2025-01-20T02:00:00",
                          "Новый кабинет по нацпроекту «Образование» открыт.", views=300, likes=25),
        "p2_tg": add_post(store, "school2_angarsk", "t1", "2025-01-22T05:00:00",
                          "Наши ученики — участники проекта «Образование».", views=80),
        "p2_near": add_post(store, "club1005", "v5", "2025-01-21T04:00:00",
                            "В детском саду прошёл конкурс «Точка роста».", label="implicit",
                            projects=("Образование",), evidence=[{"phrase": "Точка роста", "start": 31, "end": 42,
                                                                  "field": "text", "kind": "programme",
                                                                  "target": "Образование"}]),
        "p2_none": add_post(store, "ds7-angarsk", "s7", "2025-01-21T04:00:00", "Зимние забавы на участке.",
                            label="none", projects=()),
        # 24.01 23:59 local = 15:59 UTC: still period 2; 25.01 00:01 local = 24.01 16:01 UTC: period 3
        "edge_in": add_post(store, "club1001", "v2", "2025-01-24T15:59:00", "Итоги года по нацпроекту «Образование»."),
        "edge_out": add_post(store, "club1001", "v3", "2025-01-24T16:01:00",
                             "Продолжаем нацпроект «Образование» в феврале."),
        "other_muni": add_post(store, "club2004", "w1", "2025-01-15T04:00:00",
                               "Шелеховская школа: нацпроект «Образование».", views=50),
    }


@pytest.fixture
def filled(store: Store) -> dict[str, int]:
    return fill(store)


@pytest.fixture
def app() -> typer.Typer:
    """`natmon report …` alone, for CliRunner."""
    app = typer.Typer()
    register(app)

    @app.callback()
    def root() -> None:
        """natmon"""

    return app
