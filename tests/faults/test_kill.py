"""`kill -9` of a running `natmon crawl` at random points, then a new crawl: nothing lost or doubled.

After every kill the store must be consistent: no post twice, no post the sources never
served, and no cursor ahead of the posts stored for it (a VK or Telegram cursor is the
largest id stored; every post of the campaign up to it must be there). The next crawl
takes the dead process's lock over and completes the store.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

from benchmarks.simregion.sources import write_sources
from benchmarks.simregion.verify import verify
from tests.faults.conftest import FAST_SOURCES, SimRegion

ROOT = Path(__file__).resolve().parents[2]
KILLS = 3
STARTED_MARK = "обход начат"
START_TIMEOUT = 30.0
SLOW_SOURCES = {**FAST_SOURCES, "per_host_delay": 0.15, "page_delay": 0.1}  # a crawl of a few seconds


def _start(sim: SimRegion, sources: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as stderr:  # the child keeps its own copy of the handle
        return subprocess.Popen([sys.executable, "-m", "benchmarks.simregion.resolver", "crawl", "--sources",
                                 str(sources), "--db", str(sim.db)], cwd=ROOT, env={**os.environ, **sim.env()},
                                stdout=subprocess.DEVNULL, stderr=stderr)


def _wait_started(process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while STARTED_MARK not in log.read_text(encoding="utf-8", errors="replace"):
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, "the crawl did not start"
        time.sleep(0.02)


def _cursors_behind_posts(sim: SimRegion) -> list[str]:
    """Channels whose cursor promises posts the store does not hold."""
    expected = sim.region.expected()
    problems = []
    with closing(sqlite3.connect(sim.db)) as conn:
        rows = conn.execute("SELECT id, kind, address, cursor FROM channels WHERE cursor IS NOT NULL").fetchall()
        for cid, kind, address, cursor in rows:
            stored = {row[0] for row in conn.execute("SELECT external_id FROM posts WHERE channel_id = ?", (cid,))}
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
    with closing(sqlite3.connect(sim.db)) as conn:
        assert conn.execute("SELECT count(*) FROM locks").fetchone()[0] == 1  # the last victim's lock is left
    final = _start(sim, sources, tmp_path / "final.log")
    assert final.wait(timeout=120) == 0, (tmp_path / "final.log").read_text(encoding="utf-8")
    assert sim.check() == ""
    with closing(sqlite3.connect(sim.db)) as conn:
        assert conn.execute("SELECT count(*) FROM locks").fetchone()[0] == 0
        assert conn.execute("SELECT posts_new FROM crawl_runs ORDER BY id DESC").fetchone()[0] > 0
    again = _start(sim, sources, tmp_path / "again.log")
    assert again.wait(timeout=120) == 0
    with closing(sqlite3.connect(sim.db)) as conn:
        assert conn.execute("SELECT posts_new FROM crawl_runs ORDER BY id DESC").fetchone()[0] == 0
    assert sim.check() == ""


def test_a_crawl_killed_with_9_is_marked_interrupted_by_the_next_one(sim, tmp_path):
    sources = write_sources(sim.region, sim.port, tmp_path / "slow-sources.yaml", SLOW_SOURCES)
    victim = _start(sim, sources, tmp_path / "victim.log")
    _wait_started(victim, tmp_path / "victim.log")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    with closing(sqlite3.connect(sim.db)) as conn:
        assert conn.execute("SELECT id, status, finished_at FROM crawl_runs").fetchall() == [(1, "running", None)]
    before = time.time()
    with (tmp_path / "next.log").open("wb") as log:
        after = subprocess.run([sys.executable, "-m", "benchmarks.simregion.resolver", "crawl", "--sources",
                                str(sources), "--db", str(sim.db)], cwd=ROOT, env={**os.environ, **sim.env()},
                               stdout=subprocess.PIPE, stderr=log, timeout=120)
    assert after.returncode == 0
    assert "Обход №1 не был завершён (процесс остановлен); он отмечен как прерванный." in after.stdout.decode()
    with closing(sqlite3.connect(sim.db)) as conn:
        rows = conn.execute("SELECT id, status, finished_at FROM crawl_runs ORDER BY id").fetchall()
    assert [(number, status) for number, status, _ in rows] == [(1, "interrupted"), (2, "finished")]
    marked = datetime.fromisoformat(rows[0][2]).timestamp()
    assert before - 1 <= marked <= time.time() + 1  # the moment the next crawl took the lock over
