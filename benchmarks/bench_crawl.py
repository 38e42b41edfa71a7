"""The real `natmon crawl` on a simulated region served on loopback: time, CPU, memory, correctness.

For each N: start the simulated region (benchmarks/simregion/server.py) in its own process,
write its sources.yaml, then run `natmon crawl` in a subprocess (through
benchmarks/simregion/resolver.py, which makes *.sim.test resolve to 127.0.0.1):

1. the first crawl (the campaign began `campaign_days` ago; the sources show posts up to
   one day before the simulated "now");
2. a night passes (`/_sim/advance`: new posts appear, VK quotas reset);
3. the nightly incremental crawl.

With --shares N, each crawl is N `natmon crawl --share k/N` processes side by side writing one
store (--db: any SQLAlchemy URL, e.g. a PostgreSQL database the benchmark may empty; SQLite in
the work directory by default). Telegram, OK and MAX channels are revisited by their posting rate
(crawler/revisit.py): before each nightly crawl the store's last visits are moved a day back, as
the simulated night moves the sources a day on, and the store is checked against what each channel
served when it was last visited.

With --deadline-eve, each crawled night is the eve of a report deadline (a deadline on the region's
tomorrow is added to sources.yaml when none is that near), so every channel is visited that night,
revisits or not: the longest night of a campaign.

With --faults R, both crawls run with R of all requests failing (500, 503, 429 + Retry-After,
reset, stall, truncated body, slow), then a third crawl without faults. After the last crawl
the store is compared post by post with what the sources serve (nothing missing, nothing
extra, nothing twice). Politeness stays at natmon's defaults: 1 request/s and 2 at once per
host, t.me 2.5 requests/s (its built-in delay, given to the stand-in's t.me host), VK 3
requests/s per token with its daily quota.

Wall time and the crawl process's CPU seconds and peak RSS come from wait4(); phase times
from NATMON_PROFILE. Usage:

    .venv/bin/python benchmarks/bench_crawl.py --n 2000
    .venv/bin/python benchmarks/bench_crawl.py --n 500 2000 5000 --faults 0.2
    .venv/bin/python benchmarks/bench_crawl.py --n 500 --shares 2 --db postgresql+psycopg://…/bench
    .venv/bin/python benchmarks/bench_crawl.py --n 2000 --keep /tmp/b2k --more-nights 1 --deadline-eve
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.simregion.model import SIM_API_DELAYS, Region, SimConfig, ok_max_env
from benchmarks.simregion.sources import write_sources
from benchmarks.simregion.verify import visited_since, verify
from crawler.settings import BUILTIN_HOST_DELAYS, db_url

PYTHON = sys.executable
VK_QUOTA = 5000  # wall.get per token per day, as VK's
QUOTA_HEADROOM = 0.8  # plan tokens so a night uses at most this share of their quota
READY_TIMEOUT = 60.0


@dataclass(slots=True)
class Run:
    name: str
    wall: float
    cpu: float
    maxrss_mb: float
    requests: dict[str, int]
    profile: dict[str, Any]
    exit_code: int
    summary: str
    memory: list[tuple[float, float]]  # (seconds since start, RSS MB), sampled

    def memory_line(self) -> str:
        """RSS through the run's phases (from the samples and the profile's phase times)."""
        if not self.memory:
            return ""
        setup_end = self.wall - self.profile.get("fetch_s", 0) - self.profile.get("match_s", 0)
        match_start = self.wall - self.profile.get("match_s", 0)
        phases = {"setup": [m for t, m in self.memory if t < setup_end],
                  "fetch": [m for t, m in self.memory if setup_end <= t < match_start],
                  "match": [m for t, m in self.memory if t >= match_start]}
        top_t, top = max(self.memory, key=lambda sample: sample[1])
        parts = [f"{name} max {max(values):.0f}" + (f" median {sorted(values)[len(values) // 2]:.0f}"
                                                   if name == "fetch" else "")
                 for name, values in phases.items() if values]
        return (f"{self.name:<9} RSS MB by phase: {', '.join(parts)}; highest sample {top:.0f} at "
                f"{top_t:.0f} s of {self.wall:.0f} s; peak {self.maxrss_mb:.0f}")

    def line(self) -> str:
        pages = self.requests.get("website", 0) + self.requests.get("telegram", 0)
        api = self.requests.get("vk", 0)
        per_page = self.cpu / pages if pages else float("nan")
        return (f"{self.name:<9} wall {self.wall:8.1f} s  cpu {self.cpu:7.1f} s  peak {self.maxrss_mb:6.0f} MB  "
                f"pages {pages:7d} ({pages / self.wall:6.1f}/s; t.me {self.requests.get('telegram', 0)})  VK calls {api:6d} ({api / self.wall:5.2f}/s)  "
                f"cpu/page {per_page * 1000:6.2f} ms  exit {self.exit_code}")


def control(port: int, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return json.loads(response.read())


def start_server(n: int, work: Path, seed: int, *extra: str) -> tuple[subprocess.Popen[bytes], int, float]:
    ready = work / "ready.json"
    ready.unlink(missing_ok=True)
    with open(work / "server.log", "wb") as log:  # the child keeps its own handle
        server = subprocess.Popen([PYTHON, "-m", "benchmarks.simregion.server", "--n", str(n), "--seed",
                                   str(seed), "--ready-file", str(ready), *extra], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + READY_TIMEOUT
    while not ready.exists():
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit(f"simulated region did not start; see {work / 'server.log'}")
        time.sleep(0.1)
    time.sleep(0.1)
    info = json.loads(ready.read_text())
    return server, int(info["port"]), float(info["t0"])


@dataclass(slots=True)
class BenchStore:
    """Where the crawls write, and which sources' state each channel was last read in."""

    url: str
    shares: int = 1
    seen_at: dict[tuple[str, str], float] | None = None  # channel -> the sources' cutoff at its last visit
    seen_file: Path | None = None  # where seen_at is kept for --more-nights

    def __post_init__(self) -> None:
        self.seen_at = {}
        if self.seen_file is not None and self.seen_file.exists():
            self.seen_at = {(kind, address): cutoff for kind, address, cutoff in json.loads(self.seen_file.read_text())}

    def visited(self, channels: list[tuple[str, str]], cutoff: float) -> None:
        for channel in channels:
            self.seen_at[channel] = cutoff  # type: ignore[index]
        if self.seen_file is not None:
            self.seen_file.write_text(json.dumps([[*key, value] for key, value in self.seen_at.items()]))  # type: ignore[union-attr]


def crawl(name: str, work: Path, port: int, tokens: list[str], store: BenchStore,
          extra_env: dict[str, str] | None = None) -> Run:
    """One crawl: `natmon crawl`, or `store.shares` of them side by side (`--share k/N`) into one store."""
    env = {**os.environ, "NATMON_VK_API_URL": f"http://api.vk.sim.test:{port}/method/",
           "NATMON_TELEGRAM_URL": f"http://t.me.sim.test:{port}",
           "NATMON_VK_TOKENS": ",".join(tokens), **ok_max_env(port), **(extra_env or {})}
    before = control(port, "/_sim/stats")["stats"]
    began_utc = time.time()
    started = time.monotonic()
    parts = [""] if store.shares == 1 else [f"{k}/{store.shares}" for k in range(1, store.shares + 1)]
    processes = []
    for part in parts:
        suffix = f"-{part.replace('/', 'of')}" if part else ""
        profile = work / f"profile-{name}{suffix}.json"
        log_path = work / f"crawl-{name}{suffix}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([PYTHON, "-m", "benchmarks.simregion.resolver", "crawl", "--sources",
                                        str(work / "sources.yaml"), "--db", store.url,
                                        *(["--share", part] if part else [])],
                                       cwd=ROOT, env={**env, "NATMON_PROFILE": str(profile)}, stdout=log,
                                       stderr=subprocess.STDOUT)
        processes.append((process, profile, log_path))
    memory: list[tuple[float, float]] = []  # of the first process (each share's is alike)
    sampler = threading.Thread(target=sample_rss, args=(processes[0][0].pid, started, memory), daemon=True)
    sampler.start()
    cpu, peak, codes, summaries, profiles = 0.0, 0.0, [], [], []
    for process, profile, log_path in processes:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
        codes.append(process.returncode)
        text = log_path.read_text(encoding="utf-8", errors="replace")
        summaries.append("\n".join(line for line in text.splitlines()
                                    if line.startswith(("Обход №", "Каналов", "Новых", "Профиль"))))
        profiles.append(json.loads(profile.read_text()) if profile.exists() else {})
    wall = time.monotonic() - started
    sampler.join()
    after = control(port, "/_sim/stats")
    cutoff = float(after["cutoff"])
    store.visited(visited_since(store.url, began_utc), cutoff)
    requests = {key: after["stats"].get(key, 0) - before.get(key, 0) for key in after["stats"]}
    with open(work / f"memory-{name}.tsv", "w", encoding="utf-8") as out:
        out.writelines(f"{t:.1f}\t{mb:.1f}\n" for t, mb in memory)
    return Run(name, wall, cpu, peak, requests, profiles[0] if len(profiles) == 1 else {"shares": profiles},
               max(codes, key=abs), "\n".join(summaries), memory)


def a_night_passes(url: str) -> None:
    """The store's side of `/_sim/advance`: every channel's last visit moves a day back, as the sources
    move a day on (the crawls run minutes apart in real time, and revisits are planned by the night)."""
    from sqlalchemy import create_engine, select, update

    from crawler import schema as t

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            rows = conn.execute(select(t.channels.c.id, t.channels.c.last_success)
                                .where(t.channels.c.last_success.is_not(None))).all()
            for start in range(0, len(rows), 500):
                for row in rows[start:start + 500]:
                    conn.execute(update(t.channels).where(t.channels.c.id == row.id)
                                 .values(last_success=row.last_success - timedelta(days=1)))
    finally:
        engine.dispose()


def prepare_store(work: Path, db: str | None, shares: int) -> BenchStore:
    """An empty store: natmon.db in the work directory, or the given URL's tables dropped."""
    if db is None:
        (work / "natmon.db").unlink(missing_ok=True)
        (work / "seen_at.json").unlink(missing_ok=True)
        return BenchStore(db_url(str(work / "natmon.db")), shares, seen_file=work / "seen_at.json")
    from sqlalchemy import create_engine

    from crawler import schema as t

    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            t.metadata.drop_all(conn)
    finally:
        engine.dispose()
    return BenchStore(db, shares)


def sample_rss(pid: int, started: float, memory: list[tuple[float, float]], every: float = 0.25) -> None:
    """Append (seconds, RSS MB) of a running process until it exits (reading /proc, so cheap)."""
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            return
        if "State:\tZ" in text:  # exited, not yet reaped
            return
        kb = next((int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:")), None)
        if kb is None:
            return
        memory.append((time.monotonic() - started, kb / 1024))
        time.sleep(every)


def vk_tokens(walls: int, crawls: float, label: str = "") -> list[str]:
    """Enough tokens for `crawls` crawls of every wall on one real day (natmon counts VK's daily
    quota by the real day, across runs): a first crawl takes 1.75 wall.get a wall at N = 20,000,
    a nightly one 1. Another label gives tokens with no use recorded in the store yet."""
    count = max(1, math.ceil(walls * crawls / (VK_QUOTA * QUOTA_HEADROOM)))
    return [f"sim-token-{label}{i}" for i in range(1, count + 1)]


def region_sources(region: Region, port: int, work: Path, tme_delay: float, deadline_eve: bool) -> Path:
    """sources.yaml of the simulated region; with `deadline_eve`, tonight is the eve of a report deadline."""
    path = write_sources(region, port, work / "sources.yaml",
                         {"host_delays": {"t.me.sim.test": tme_delay, **SIM_API_DELAYS}})
    if deadline_eve:
        from zoneinfo import ZoneInfo

        import yaml

        from crawler.revisit import deadline_near

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        campaign = data["campaigns"][0]
        # the crawl's own "today" (crawler/job.py): the real date in the region's timezone
        today = datetime.now(ZoneInfo(data["region"]["timezone"])).date()
        if not deadline_near(today, campaign["deadlines"]):
            campaign["deadlines"] = sorted({*campaign["deadlines"], today + timedelta(days=1)})
        print(f"deadline eve: deadlines {', '.join(map(str, campaign['deadlines']))}; today {today}", flush=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bench(n: int, faults: float, seed: int, keep: Path | None, tme_delay: float, db: str | None = None,
          shares: int = 1, deadline_eve: bool = False) -> list[Run]:
    work = keep or Path(tempfile.mkdtemp(prefix=f"natmon-bench-{n}-"))
    work.mkdir(parents=True, exist_ok=True)
    store = prepare_store(work, db, shares)
    server, port, t0 = start_server(n, work, seed)
    try:
        region = Region(SimConfig(n=n, seed=seed, t0=t0))
        region_sources(region, port, work, tme_delay, deadline_eve)
        walls = sum(inst.vk is not None for inst in region.institutions)
        tokens = vk_tokens(walls, 2.75)
        channels = sum(1 + (i.vk is not None) + bool(i.telegram) + (i.ok is not None) + (i.max is not None)
                       for i in region.institutions)
        print(f"\nN = {n}: {channels} channels ({walls} VK walls, "
              f"{sum(bool(i.telegram) for i in region.institutions)} Telegram, "
              f"{sum(i.ok is not None for i in region.institutions)} OK, "
              f"{sum(i.max is not None for i in region.institutions)} MAX), VK tokens {len(tokens)}, "
              f"faults {faults:.0%}, t.me delay {tme_delay} s, "
              f"{f'{shares} shares side by side, ' if shares > 1 else ''}store {store.url}, work dir {work}",
              flush=True)
        control(port, f"/_sim/faults?rate={faults}")
        runs = [crawl("first", work, port, tokens, store)]
        print(runs[-1].line(), flush=True)
        control(port, "/_sim/advance?days=1")
        a_night_passes(store.url)
        runs.append(crawl("nightly", work, port, tokens, store))
        print(runs[-1].line(), flush=True)
        if faults:
            control(port, "/_sim/faults?rate=0")
            runs.append(crawl("recovery", work, port, tokens, store))
            print(runs[-1].line(), flush=True)
        report(region, work, port, runs, store)
        return runs
    finally:
        server.terminate()
        server.wait(timeout=10)


def more_nights(n: int, nights: int, seed: int, work: Path, tme_delay: float, deadline_eve: bool = False) -> list[Run]:
    """Go on from a kept work directory: the same region (same port, same t0, so the same
    channels and the same posts so far) is served again with `nights` more days of posts, and
    each night is crawled into the kept store (sources.yaml is written again for `tme_delay`)."""
    if not (work / "natmon.db").exists() or not (work / "ready.json").exists():
        raise SystemExit(f"{work}: no kept run here (natmon.db and ready.json are needed)")
    before = json.loads((work / "ready.json").read_text())
    done_file = work / "nights-after-t0.txt"  # nights already crawled past t0 by earlier --more-nights
    done = int(done_file.read_text()) if done_file.exists() else 0
    server, port, t0 = start_server(n, work, seed, "--port", str(before["port"]), "--t0", str(before["t0"]),
                                    "--phase-days", str(-done), "--extra-days", str(done + nights))
    try:
        region = Region(SimConfig(n=n, seed=seed, t0=t0, extra_days=done + nights))
        region_sources(region, port, work, tme_delay, deadline_eve)
        walls = sum(inst.vk is not None for inst in region.institutions)
        tokens = vk_tokens(walls, nights + 0.25, label=f"{int(time.time())}-")
        print(f"\nN = {n}: {nights} more night(s) on the kept store in {work}, VK tokens {len(tokens)}, "
              f"t.me delay {tme_delay} s", flush=True)
        runs = []
        if not (work / "seen_at.json").exists():
            print("no seen_at.json from the kept run: channels left for a later night are checked as of now, "
                  "so their newest posts show as missing", flush=True)
        store = BenchStore(db_url(str(work / "natmon.db")), seen_file=work / "seen_at.json")
        for night in range(1, nights + 1):
            control(port, "/_sim/advance?days=1")
            a_night_passes(store.url)
            runs.append(crawl(f"nightly+{done + night}", work, port, tokens, store))
            done_file.write_text(str(done + night))
            print(runs[-1].line(), flush=True)
        report(region, work, port, runs, store)
        return runs
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(region: Region, work: Path, port: int, runs: list[Run], store: BenchStore) -> None:
    """Memory by phase, the store compared with the sources, and each run's summary and profile."""
    for run in runs:
        print(run.memory_line())
    region.cutoff = control(port, "/_sim/stats")["cutoff"]
    check = verify(region, store.url, store.seen_at)
    stats = control(port, "/_sim/stats")
    print(f"store vs sources: {'OK' if check.ok else 'MISMATCH'} — {check.describe()}")
    faults_seen = {k[6:]: v for k, v in stats["stats"].items() if k.startswith("fault:")}
    if faults_seen:
        print(f"faults injected: {faults_seen}")
    print(f"VK stand-in errors: {stats['vk_errors'] or 'none'}")
    for run in runs:
        print(f"  {run.name}: {run.summary.replace(chr(10), ' | ')}")
        if run.profile:
            print(f"  {run.name} profile: {json.dumps(run.profile, ensure_ascii=False)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[200], help="institutions (several: a growth table); "
                        "200 by default, a quick look; `make bench-crawl` runs 2000, a region")
    parser.add_argument("--faults", type=float, default=0.0, help="share of requests that fail (0.2 = 20 %%)")
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--keep", type=Path, help="work directory to keep (store, logs, profiles)")
    parser.add_argument("--tme-delay", type=float, default=BUILTIN_HOST_DELAYS["t.me"],
                        help="seconds between t.me requests (sources.yaml host_delays); default: natmon's own for t.me")
    parser.add_argument("--db", help="the store: a SQLAlchemy URL of a database the benchmark empties first "
                        "(e.g. postgresql+psycopg://user@host/bench); default: natmon.db in the work directory")
    parser.add_argument("--shares", type=int, default=1, help="crawl with N `natmon crawl --share k/N` processes "
                        "side by side into one store")
    parser.add_argument("--more-nights", type=int, default=0, help="instead of a new run: this many more nights "
                        "crawled into the store kept by an earlier run with the same --keep, --n and --seed")
    parser.add_argument("--deadline-eve", action="store_true", help="make every crawled night the eve of a report "
                        "deadline (one is added to sources.yaml for the region's tomorrow if none is that near): "
                        "every channel is visited, revisits or not")
    args = parser.parse_args()
    if args.more_nights and not args.keep:
        parser.error("--more-nights needs the --keep directory of an earlier run")
    if args.more_nights and (args.db or args.shares > 1):
        parser.error("--more-nights goes on with the kept SQLite store of one crawl")
    if len(args.n) > 1 and args.db:
        parser.error("--db holds one store: give one --n with it")
    table = []
    for n in args.n:
        if args.more_nights:
            runs = more_nights(n, args.more_nights, args.seed, args.keep / str(n), args.tme_delay,
                               args.deadline_eve)
        else:
            runs = bench(n, args.faults, args.seed, args.keep / str(n) if args.keep else None, args.tme_delay,
                         args.db, args.shares, args.deadline_eve)
        table.append((n, runs))
    print("\nGrowth with N (first / nightly): wall s, cpu s, peak MB")
    for n, runs in table:
        print(f"  N={n:>6}: " + "   ".join(f"{r.name} {r.wall:.0f} s, {r.cpu:.0f} s, {r.maxrss_mb:.0f} MB"
                                          for r in runs))


if __name__ == "__main__":
    main()
