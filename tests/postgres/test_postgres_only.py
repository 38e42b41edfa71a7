"""What only PostgreSQL does: it refuses a value longer than its column, where SQLite keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler import schema as t
from crawler.registry import load
from crawler.store import Store, StoreError

GOOD = Path(__file__).parent.parent / "data" / "registry" / "good.yaml"


@pytest.mark.postgres
def test_a_name_too_long_for_its_column_is_explained_and_nothing_is_half_written(pg_database, tmp_path):
    store = Store.open(pg_database)
    try:
        store.sync_registry(load(GOOD))
        long_name = "Муниципальное образование " + "очень " * 40 + "длинное"
        sources = tmp_path / "sources.yaml"
        sources.write_text(GOOD.read_text(encoding="utf-8").replace("name: г. Зима", f"name: {long_name}"),
                           encoding="utf-8")
        with pytest.raises(StoreError, match="значение длиннее 200 символов"):
            store.sync_registry(load(sources))
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.municipalities)
                                .where(t.municipalities.c.name == long_name)).scalar() == 0
        assert len(store.crawl_targets()) == 6  # the earlier mirror is intact
    finally:
        store.close()


@pytest.mark.postgres
@pytest.mark.parametrize(("change", "words"), [
    (lambda url: url.replace("/test_", "/нет_такой_"), "на сервере PostgreSQL нет базы «нет_такой_"),
    (lambda url: url.replace("natmon@", "chuzhoy@"), "на сервере PostgreSQL нет пользователя «chuzhoy»"),
])
def test_a_missing_database_or_user_is_named_with_what_to_create(pg_database, change, words):
    with pytest.raises(StoreError) as raised:
        Store.open(change(pg_database))
    assert words in str(raised.value) and "FATAL" not in str(raised.value), str(raised.value)
