"""`kill -9` of a running `natmon crawl` at random points, then a new crawl: nothing lost or doubled.

After every kill the store must be consistent: no post twice, no post the sources never
served, and no cursor ahead of the posts stored for it (a VK or Telegram cursor is the
largest id stored; every post of the campaign up to it must be there). The next crawl
takes the dead process's lock over and completes the store. Both run on SQLite and on PostgreSQL
(where the dead crawl's advisory lock goes with its connection).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from benchmarks.simregion.sources import write_sources
from benchmarks.simregion.verify import verify
from crawler import schema as t
from crawler.store import Store
from tests.faults.conftest import FAST_SOURCES, SimRegion

pytestmark = pytest.mark.both_stores  # the tests taking `db` (through `sim`) run on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parents[2]
KILLS = 3
STARTED_MARK = "обход начат"
START_TIMEOUT = 30.0
SLOW_SOURCES = {**FAST_SOURCES, "per_host_delay": 0.15, "page_delay": 0.1}  # a crawl of a few seconds


def _start(sim: SimRegion, sources: Path, log: Path, *options: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as stderr:  # the child keeps its own copy of the handle
        return subprocess.Popen([sys.executable, "-m", "benchmarks.simregion.resolver", "crawl", "--sources",
                                 str(sources), "--db", str(sim.db), *options], cwd=ROOT,
                                env={**os.environ, **sim.env()}, stdout=subprocess.DEVNULL, stderr=stderr)


def _wait_started(process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while STARTED_MARK not in log.read_text(encoding="utf-8", errors="replace"):
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, "the crawl did not start"
        time.sleep(0.02)


@contextmanager
def _reading(sim: SimRegion) -> Iterator[Connection]:
    store = Store.open(str(sim.db))
    try:
        with store.engine.connect() as conn:
            yield conn
    finally:
        store.close()


def _count(sim: SimRegion, table) -> int:  # type: ignore[no-untyped-def]
    with _reading(sim) as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _last_run_new_posts(sim: SimRegion) -> int:
    with _reading(sim) as conn:
        return int(conn.execute(select(t.crawl_runs.c.posts_new).order_by(t.crawl_runs.c.id.desc()).limit(1)).scalar_one())


def _runs(sim: SimRegion) -> list[tuple[int, str, object]]:
    runs = t.crawl_runs
    with _reading(sim) as conn:
        return [tuple(row) for row in conn.execute(select(runs.c.id, runs.c.status, runs.c.finished_at).order_by(runs.c.id))]


def _cursors_behind_posts(sim: SimRegion) -> list[str]:
    """Channels whose cursor promises posts the store does not hold."""
    expected = sim.region.expected()
    problems = []
    c, p = t.channels, t.posts
    with _reading(sim) as conn:
        rows = conn.execute(select(c.c.id, c.c.kind, c.c.address, c.c.cursor).where(c.c.cursor.is_not(None))).all()
        for cid, kind, address, cursor in rows:
            stored = set(conn.execute(select(p.c.external_id).where(p.c.channel_id == cid)).scalars())
            if kind in ("vk", "telegram"):
                promised = {key for key in expected.get((kind, address), ()) if int(key) <= int(cursor)}
            elif kind == "ok":  # the cursor is the newest topic's created_ms
                promised = {str(t["id"]) for t in sim.region.topics(address.rsplit("/", 1)[-1])
                            if t["created_ms"] <= int(cursor)} & {str(k) for k in expected.get((kind, address), ())}
            elif kind == "max":  # the cursor is the newest message's timestamp
                promised = {str(m["body"]["mid"]) for m in sim.region.max_messages(int(address))
                            if m["timestamp"] <= int(cursor)} & {str(k) for k in expected.get((kind, address), ())}
            else:
                seen = json.loads(cursor).get("seen", {})
                host = address.split("//")[-1].split(":")[0]
                promised = {url for url in seen if "/" + url.split("/", 3)[-1] in expected.get((kind, host), ())}
            if promised - stored:
                problems.append(f"{kind} {address}: {sorted(promised - stored)[:3]}")
    return problems


def test_kill_9_at_random_points_loses_and_doubles_nothing(sim, tmp_path):
    sources = write_sources(sim.region, sim.port, tmp_path / "slow-sources.yaml", SLOW_SOURCES)
    rng = random.Random(9)
    killed_mid_crawl = 0
    for number in range(KILLS):
        log = tmp_path / f"crawl-{number}.log"
        process = _start(sim, sources, log)
        _wait_started(process, log)
        time.sleep(rng.uniform(0.1, 1.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed_mid_crawl += 1
        process.wait(timeout=30)
        assert "другой обход" not in log.read_text(encoding="utf-8", errors="replace").lower()
        check = verify(sim.region, sim.db)
        assert not check.duplicated and not check.extra, check.describe()
        assert _cursors_behind_posts(sim) == []
    assert killed_mid_crawl >= 2
    assert _count(sim, t.locks) == 1  # the last victim's lock row is left
    final = _start(sim, sources, tmp_path / "final.log")
    assert final.wait(timeout=120) == 0, (tmp_path / "final.log").read_text(encoding="utf-8")
    assert sim.check() == ""
    assert _count(sim, t.locks) == 0
    assert _last_run_new_posts(sim) > 0
    again = _start(sim, sources, tmp_path / "again.log")
    assert again.wait(timeout=120) == 0
    assert _last_run_new_posts(sim) == 0
    assert sim.check() == ""


def test_a_crawl_killed_with_9_is_marked_interrupted_by_the_next_one(sim, tmp_path):
    sources = write_sources(sim.region, sim.port, tmp_path / "slow-sources.yaml", SLOW_SOURCES)
    victim = _start(sim, sources, tmp_path / "victim.log")
    _wait_started(victim, tmp_path / "victim.log")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert _runs(sim) == [(1, "running", None)]
    before = time.time()
    with (tmp_path / "next.log").open("wb") as log:
        after = subprocess.run([sys.executable, "-m", "benchmarks.simregion.resolver", "crawl", "--sources",
                                str(sources), "--db", str(sim.db)], cwd=ROOT, env={**os.environ, **sim.env()},
                               stdout=subprocess.PIPE, stderr=log, timeout=120)
    assert after.returncode == 0
    assert "Обход №1 не был завершён (процесс остановлен); он отмечен как прерванный." in after.stdout.decode()
    rows = _runs(sim)
    assert [(number, status) for number, status, _ in rows] == [(1, "interrupted"), (2, "finished")]
    marked = rows[0][2].timestamp()  # type: ignore[attr-defined]
    assert before - 1 <= marked <= time.time() + 1  # the moment the next crawl took the lock over


def test_a_share_killed_with_9_is_closed_by_its_own_next_crawl_and_the_shares_complete_the_store(sim, tmp_path):
    sources = write_sources(sim.region, sim.port, tmp_path / "slow-sources.yaml", SLOW_SOURCES)
    victim = _start(sim, sources, tmp_path / "victim.log", "--share", "1/2")
    _wait_started(victim, tmp_path / "victim.log")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    other = _start(sim, sources, tmp_path / "other.log", "--share", "2/2")
    assert other.wait(timeout=120) == 0, (tmp_path / "other.log").read_text(encoding="utf-8")
    assert [(number, status) for number, status, _ in _runs(sim)] == [(1, "running"), (2, "finished")]
    with (tmp_path / "again.log").open("wb") as log:
        again = subprocess.run([sys.executable, "-m", "benchmarks.simregion.resolver", "crawl", "--sources",
                                str(sources), "--db", str(sim.db), "--share", "1/2"], cwd=ROOT,
                               env={**os.environ, **sim.env()}, stdout=subprocess.PIPE, stderr=log, timeout=120)
    assert again.returncode == 0
    assert "Обход №1 не был завершён (процесс остановлен); он отмечен как прерванный." in again.stdout.decode()
    assert [(number, status) for number, status, _ in _runs(sim)] == \
        [(1, "interrupted"), (2, "finished"), (3, "finished")]
    assert _count(sim, t.locks) == 0 and _cursors_behind_posts(sim) == []
    assert sim.check() == ""  # the two shares together hold every post once
