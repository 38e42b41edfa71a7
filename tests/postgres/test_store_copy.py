"""`natmon store copy`: a region's SQLite store moved into the federal PostgreSQL, whole or not at all."""

from __future__ import annotations

import itertools
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, inspect, select
from typer.testing import CliRunner

from crawler import schema as t
from crawler.cli import app
from crawler.demo.run import run_demo
from crawler.registry import Registry, load
from crawler.store import Store
from reports.review_store import Decision, save
from reports.users import add_user
from reports.web import WebConfig, create_app

pytestmark = pytest.mark.postgres

PASSWORD = "Пароль-для-переноса-7"
SECRET = "test-secret-key-not-for-production"
TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')
THIS_LOGIN = re.compile(r"<td>[\d.: ]+</td><td>[^<]*</td><td>вход</td>")  # the audit log's row of the test's own login
_EMPTY_NUMBERS = itertools.count(1)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reports.users._HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a real demo crawl, its store with an operator and a few review decisions added."""
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, 0)
    store = Store.open(str(folder / "natmon.db"))
    try:
        add_user(store, "operator", PASSWORD, "operator", full_name="Петрова Е. В.")
        with store.engine.connect() as conn:
            post_ids = conn.execute(select(t.posts.c.id).order_by(t.posts.c.id).limit(4)).scalars().all()
        decisions = [Decision(post_id, ("confirmed", "rejected")[n % 2], f"решение {n}")
                     for n, post_id in enumerate(post_ids)]
        save(store.engine, decisions, [], "operator", datetime.now(timezone.utc))
    finally:
        store.close()
    return folder


@pytest.fixture
def source(demo: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo store (a test may spoil it)."""
    shutil.copy(demo / "natmon.db", tmp_path / "natmon.db")
    return tmp_path / "natmon.db"


@pytest.fixture
def empty_database(pg_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A database just made with createdb: no natmon tables at all."""
    name = f"empty_{next(_EMPTY_NUMBERS)}"
    url = pg_server.create_database(name)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


def copy(source: str, target: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["store", "copy", source, target])
    return result.exit_code, result.stdout, result.stderr


def every_row(db: str) -> dict[str, list[tuple[object, ...]]]:
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                        select(table).order_by(*(table.primary_key.columns or table.columns)))]
                    for table in t.metadata.sorted_tables}
    finally:
        store.close()


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


async def web_pages(db: str, registry: Registry, paths: list[str]) -> list[str]:
    """The pages as the operator sees them (their CSRF tokens, which differ per session, left out)."""
    store = Store.open(db)
    try:
        web = create_app(store, registry, WebConfig(secret_key=SECRET))
        transport = httpx.ASGITransport(app=web, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            form = (await client.get("/login")).text
            token = TOKEN.search(form).group(0).split('value="')[1].rstrip('"')  # type: ignore[union-attr]
            login = await client.post("/login", data={"login": "operator", "password": PASSWORD, "csrf_token": token})
            assert login.status_code == 303
            pages = []
            for path in paths:
                response = await client.get(path)
                assert response.status_code == 200, path
                pages.append(THIS_LOGIN.sub("", TOKEN.sub("", response.text), count=1))
            return pages
    finally:
        store.close()


async def test_a_demo_store_copied_to_postgresql_gives_the_same_reports_and_pages(demo, source, empty_database,
                                                                                tmp_path):
    target = empty_database.replace("natmon@", "natmon:tainy-parol@")  # the test server trusts any password
    code, out, err = copy(str(source), target)
    assert code == 0, err
    assert "tainy-parol" not in out + err and "natmon:***@" in err
    assert re.search(r"posts — строк: \d+", err) and re.search(r"users — строк: 1\n", err)
    before = every_row(str(source))
    assert before["posts"] and before["reviews"] and before["matches"] and before["crawl_runs"]
    assert every_row(empty_database) == before  # every table, every row, with its id

    registry = load(demo / "sources.yaml")
    sources = ["--sources", str(demo / "sources.yaml")]
    for db, folder in ((str(source), tmp_path / "from-sqlite"), (empty_database, tmp_path / "from-postgresql")):
        result = CliRunner().invoke(app, ["report", "preview", "--region", "--period", "24.03.2025",
                                          "--output-dir", str(folder), *sources, "--db", db])
        assert result.exit_code == 0, result.stderr
    written = sorted(path.name for path in (tmp_path / "from-sqlite").iterdir())
    assert written and written == sorted(path.name for path in (tmp_path / "from-postgresql").iterdir())
    for name in written:
        assert (tmp_path / "from-sqlite" / name).read_text(encoding="utf-8") == \
            (tmp_path / "from-postgresql" / name).read_text(encoding="utf-8"), name
    with closing(sqlite3.connect(source)) as conn:
        municipality = conn.execute("SELECT min(id) FROM municipalities").fetchone()[0]
    paths = ["/", f"/m/{municipality}", "/posts", f"/posts/{before['reviews'][0][1]}", "/audit"]
    assert await web_pages(empty_database, registry, paths) == await web_pages(str(source), registry, paths)

    store = Store.open(empty_database)  # new rows continue after the copied ids (PostgreSQL's sequences moved)
    try:
        assert store.start_run() == max(row[0] for row in before["crawl_runs"]) + 1
        add_user(store, "coordinator2", PASSWORD, "operator")
    finally:
        store.close()


def test_a_target_that_holds_data_is_refused_and_left_as_it_was(source, pg_database):
    store = Store.open(pg_database)
    try:
        add_user(store, "already-there", PASSWORD, "operator")
    finally:
        store.close()
    before = every_row(pg_database)
    code, _, err = copy(str(source), pg_database)
    assert code == 2
    assert "уже есть данные" in err and "users — 1" in err and "пустую базу" in err
    assert every_row(pg_database) == before


def test_a_second_copy_into_the_same_target_is_refused(source, empty_database):
    assert copy(str(source), empty_database)[0] == 0
    code, _, err = copy(str(source), empty_database)
    assert code == 2 and "уже есть данные" in err
    assert every_row(empty_database) == every_row(str(source))


def test_a_source_postgresql_cannot_take_fails_midway_and_leaves_the_target_without_a_table(source, empty_database):
    # SQLite keeps a value longer than its column; PostgreSQL refuses it, after earlier tables went in
    with closing(sqlite3.connect(source)) as conn:
        changed = conn.execute("UPDATE reviews SET decision = ? WHERE id = (SELECT max(id) FROM reviews)",
                               ("confirmed" * 3,)).rowcount
        conn.commit()
    assert changed == 1
    code, out, err = copy(str(source), empty_database)
    assert code == 3, out + err
    assert "значение длиннее 10 символов" in err and "цель не изменено" in err and "Traceback" not in err
    assert re.search(r"posts — строк: \d+", err)  # it failed in the last table, the reviews
    assert table_names(empty_database) == set()  # not even the tables were left behind


def test_a_source_that_is_not_a_natmon_store_or_missing_is_refused(tmp_path, empty_database):
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    code, _, err = copy(str(other), empty_database)
    assert code == 2 and "не хранилище natmon" in err
    code, _, err = copy(str(tmp_path / "missing.db"), empty_database)
    assert code == 2 and "нет такого файла" in err
    assert not (tmp_path / "missing.db").exists()
    assert table_names(empty_database) == set()


def test_a_store_cannot_be_copied_onto_itself(source):
    code, _, err = copy(str(source), str(source.parent / "." / source.name))
    assert code == 2 and "одно и то же хранилище" in err


def test_a_store_missing_columns_of_its_version_is_copied_with_their_defaults(source, empty_database):
    # a store made by a development build whose version-6 schema lacked the version-5 columns of users
    with closing(sqlite3.connect(source)) as conn:
        conn.execute("ALTER TABLE users DROP COLUMN notify_via")
        conn.execute("ALTER TABLE users DROP COLUMN max_user_id")
    code, out, err = copy(str(source), empty_database)
    assert code == 0, err
    assert "users: в источнике нет столбцов notify_via, max_user_id — в цели у них значения по умолчанию" in err
    store = Store.open(empty_database)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(select(t.users.c.login, t.users.c.notify_via, t.users.c.max_user_id)).all() == \
                [("operator", "telegram", None)]
    finally:
        store.close()


def test_a_column_this_natmon_does_not_know_is_refused_not_dropped(source, empty_database):
    with closing(sqlite3.connect(source)) as conn:
        conn.execute("ALTER TABLE posts ADD COLUMN sentiment TEXT")
        conn.execute("UPDATE posts SET sentiment = 'хорошо'")
        conn.commit()
    code, _, err = copy(str(source), empty_database)
    assert code == 2 and "posts" in err and "(sentiment)" in err and "цель не изменена" in err
    assert table_names(empty_database) == set()


def test_a_postgresql_store_copies_into_another_and_back_into_sqlite(source, empty_database, pg_server, tmp_path):
    assert copy(str(source), empty_database)[0] == 0
    second = pg_server.create_database("copy_of_copy")
    try:
        code, _, err = copy(empty_database, second)  # moving to another server: the source read in one snapshot
        assert code == 0, err
        back = tmp_path / "back.db"
        code, _, err = copy(second, str(back))
        assert code == 0, err
        assert every_row(second) == every_row(str(back)) == every_row(str(source))
    finally:
        pg_server.drop_database("copy_of_copy")
