"""Fixtures shared by every test package."""

from __future__ import annotations

import importlib.util
import itertools
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from crawler.http import PoliteClient
from crawler.settings import HttpPolicy
from crawler.store import Store
from tests import pgserver

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "natmon_template"
_DATABASE_NUMBERS = itertools.count(1)

# The crawl policy with its waits shrunk to nothing, so fetch tests run fast but still
# go through robots.txt, retries, Retry-After (capped), the size cap and the user agent.
FAST_POLICY = HttpPolicy(per_host_delay=0.0, backoff_base=0.001, backoff_max=0.01, max_retry_after=1.0,
                         attempts=3, timeout=2.0, connect_timeout=1.0, max_bytes=1024 * 1024,
                         contact="test@example.org", allow_private_addresses=True)  # servers on 127.0.0.1


@pytest.fixture
async def polite_client() -> AsyncIterator[PoliteClient]:
    """A real PoliteClient without delays; mock its HTTP with respx."""
    client = PoliteClient(FAST_POLICY)
    try:
        yield client
    finally:
        await client.aclose()


# -- the store on SQLite and on PostgreSQL -------------------------------------------------------
# Test modules (paths from the repository root) or single tests ("module::name") whose tests that take
# the `db` fixture run on both; everywhere else `db` is a SQLite file. A test marked `both_stores` runs
# on both wherever it is.
ON_BOTH_STORES = frozenset({
    "tests/crawler/test_store.py",
    "tests/crawler/test_job.py",
    "tests/crawler/test_shares.py",
    "tests/faults/test_store_faults.py::test_review_decisions_written_during_a_crawl_are_all_kept",
    "tests/web/test_access.py",
    "tests/web/test_cli.py",
    "tests/web/test_concurrency.py",
    "tests/web/test_pages.py",
    "tests/web/test_review.py",
    "tests/web/test_sessions.py",
    "tests/reports/test_cli.py",
    "tests/reports/test_coverage.py",
    "tests/reports/test_draft.py",
    "tests/reports/test_mail.py",
    "tests/reports/test_mail_status.py",
    "tests/reports/test_preview.py",
    "tests/reports/test_report_queries.py",
    "tests/reports/test_round_trip.py",
})


def at_once(count: int, action: Callable[[int], None]) -> list[BaseException]:
    """Run `action(0)` … `action(count - 1)` on as many threads, released together (hosts, web
    workers or crawls hitting one store at the same moment); returns what they raised."""
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def run(number: int) -> None:
        barrier.wait()
        try:
            action(number)
        except BaseException as exc:  # noqa: BLE001 - the caller asserts there are none
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames:
        return
    module = Path(metafunc.definition.path).relative_to(ROOT).as_posix()
    test = f"{module}::{metafunc.definition.originalname}"
    if {module, test} & ON_BOTH_STORES or metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.Server]:
    """One throwaway PostgreSQL for the session, with a migrated empty store as the template of every test's."""
    if importlib.util.find_spec("psycopg") is None:  # the driver the `test` extra brings
        pytest.fail("Тесты на PostgreSQL не могут идти: нет драйвера psycopg; установите natmon с тестовыми "
                    "дополнениями: pip install -e '.[test]' (или make test)", pytrace=False)
    try:
        server = pgserver.start()
    except pgserver.ServerError as exc:
        pytest.fail(f"Тесты на PostgreSQL не могут идти: {exc}", pytrace=False)
    try:
        Store.open(server.create_database(TEMPLATE)).close()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_database(pg_server: pgserver.Server) -> Iterator[str]:
    """A fresh PostgreSQL store (a copy of the migrated template), dropped after the test."""
    name = f"test_{next(_DATABASE_NUMBERS)}"
    url = pg_server.create_database(name, template=TEMPLATE)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the test's store lives, as `--db` takes it: a SQLite file, or a PostgreSQL URL."""
    if getattr(request, "param", "sqlite") == "postgres":
        return request.getfixturevalue("pg_database")
    return str(tmp_path / "natmon.db")
