"""The simulated region's server: every source of N institutions from one asyncio process.

One listening socket on 127.0.0.1; the Host header picks the source, so each website keeps
its own host name (`s00042.sim.test`) and natmon's per-host limits apply per site, as on
the real internet. `benchmarks.simregion.resolver` makes `*.sim.test` resolve to
127.0.0.1 in the crawl process. Hosts:

* ``sNNNNN.sim.test``   a school site in one of the demo's CMS flavours (demo templates);
* ``api.vk.sim.test``   the VK API stand-in (`VkStandin`: 3 requests/s per token -> error 6,
                        daily wall.get quota -> error 29) at ``/method/<name>``;
* ``t.me.sim.test``     t.me/s pages (`render_channel_page`), one host as in reality;
* ``api.ok.sim.test``   the Одноклассники API stand-in (`OkStandin`) at ``/fb.do``; a broken group is closed;
* ``platform-api2.max.sim.test`` the MAX Bot API stand-in (`MaxStandin`); a broken channel has not
                        added the bot (403);
* ``127.0.0.1``         control: ``/_sim/advance?days=1`` (a night passes: new posts appear,
                        VK quotas reset), ``/_sim/faults?rate=0.2``, ``/_sim/stats``.

Each answer waits a latency drawn per source kind; `FaultPlan` injects transient faults
(500, 503, 429 with Retry-After, connection reset, stall, truncated body, slow answer).
Run ``python -m benchmarks.simregion.server --n 2000`` (see `main`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from benchmarks.simregion.model import (
    BUILD,
    DAY_SECONDS,
    DOMAIN,
    MAX_HOST,
    OK_HOST,
    SIM_MAX_TOKEN,
    SIM_OK,
    TG_HOST,
    VK_HOST,
    Institution,
    Region,
    SimConfig,
    site_spec,
)
from crawler.demo.max_standin import MaxChannel, MaxStandin
from crawler.demo.ok_standin import OkGroup, OkStandin
from crawler.demo.server import CONTACT_PAGE, ERROR_PAGE, ROBOTS, Reply, json_reply, not_found
from crawler.demo.telegram_pages import render_channel_page
from crawler.demo.vk_standin import VkStandin

TEMPLATES = BUILD.HERE / "templates"
VK_METHOD = "/method/"
CONTROL_HOSTS = ("127.0.0.1", "localhost")
FAULT_KINDS = ("500", "503", "429", "reset", "stall", "truncated", "slow")
FAULT_WEIGHTS = (3, 2, 2, 2, 1, 1, 1)
RETRY_AFTER = "1"
STALL_SECONDS = 120.0  # longer than any client read timeout
SLOW_EXTRA = (2.0, 5.0)
INDEX_FILES = ("index.html", "index.php", "index.rss", "index.xml")
MEDIA_TYPES = {".html": "text/html", ".php": "text/html", ".rss": "application/rss+xml", ".xml": "application/xml"}
ENDLESS_LIMIT = 200 * 1024 * 1024  # bytes; "endless" for any sane client, bounded for the server
MAX_HEADER_LINES = 100


@dataclass(slots=True)
class FaultPlan:
    """Transient faults: each request fails with probability `rate`, kind drawn by weight."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    weights: tuple[int, ...] = FAULT_WEIGHTS
    sources: frozenset[str] = frozenset({"website", "vk", "telegram", "ok", "max"})  # source kinds that get faults
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def draw(self, source: str = "website") -> str | None:
        if self.rate <= 0 or source not in self.sources or self.rng.random() >= self.rate:
            return None
        return self.rng.choices(self.kinds, self.weights)[0]


class SimVk(VkStandin):
    """VkStandin over the generated walls (looked up by id, not scanned)."""

    def __init__(self, region: Region, **kwargs: Any) -> None:
        super().__init__({}, {}, **kwargs)
        self.region = region

    def _group_by_id(self, group_id: int) -> dict[str, Any] | None:
        inst = self.region.by_group.get(group_id)
        if inst is None:
            return None
        return {"id": group_id, "name": inst.name, "screen_name": f"club{group_id}", "type": "group",
                "is_closed": 1 if "vk" in inst.broken else 0}

    def _wall_get(self, params: dict[str, Any]) -> dict[str, Any]:
        owner_id = int(params.get("owner_id") or 0)
        group = self._group_by_id(-owner_id)
        if group is None:
            return self._error(100, "wall.get", params)
        if group["is_closed"]:
            return self._error(15, "wall.get", params)
        items = self.region.wall(-owner_id)
        offset, count = int(params.get("offset") or 0), min(int(params.get("count") or 20), 100)
        return {"response": {"count": len(items), "items": items[offset:offset + count]}}


class _SimGroups:
    """The OK stand-in's groups, looked up in the region (what it shows moves with the cutoff)."""

    def __init__(self, region: Region) -> None:
        self.region = region

    def get(self, gid: str) -> OkGroup | None:
        inst = self.region.by_ok.get(gid)
        if inst is None:
            return None
        return OkGroup(gid, f"sim_ok_{inst.index:05d}", self.region.topics(gid), closed="ok" in inst.broken)

    def values(self) -> list[OkGroup]:  # url.getInfo scans by name; the simulated registry gives ids
        return []


class _SimChannels:
    """The MAX stand-in's channels, looked up in the region."""

    def __init__(self, region: Region) -> None:
        self.region = region

    def get(self, chat: int) -> MaxChannel | None:
        inst = self.region.by_max.get(chat)
        if inst is None:
            return None
        return MaxChannel(chat, f"sim_max_{inst.index:05d}", inst.name, self.region.max_messages(chat),
                          bot_added="max" not in inst.broken)

    def values(self) -> list[MaxChannel]:
        return []


class SimRoutes:
    """Pure routing of requests to replies (and to fault decisions)."""

    def __init__(self, region: Region, faults: FaultPlan | None = None, vk_quota: int | None = 5000) -> None:
        self.region = region
        self.faults = faults or FaultPlan()
        self.vk = SimVk(region, rps_limit=3.0, daily_quota=vk_quota)
        self.ok = OkStandin(*SIM_OK, _SimGroups(region))  # type: ignore[arg-type]
        self.max = MaxStandin(SIM_MAX_TOKEN, _SimChannels(region))  # type: ignore[arg-type]
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                               keep_trailing_newline=True)
        self.rng = random.Random(11)
        self.stats: Counter[str] = Counter()
        self.modes: dict[str, str] = {}  # host -> "endless" | "stall" | "redirect_loop" | "mislabelled" (tests)
        self.log: list[tuple[float, str, str, str]] | None = None  # (monotonic, host, target, fault) when set
        self._files: dict[tuple[int, float], dict[str, tuple[str, dict[str, Any]]]] = {}

    # -- control --------------------------------------------------------------------------

    def control(self, path: str, query: dict[str, str]) -> Reply:
        if path == "/_sim/advance":
            self.region.cutoff += float(query.get("days", "1")) * DAY_SECONDS
            self.vk.wall_get_used.clear()  # a new day: fresh quotas
            self._files.clear()
        elif path == "/_sim/faults":
            self.faults.rate = float(query.get("rate", "0"))
        elif path != "/_sim/stats":
            return not_found()
        body = {"cutoff": self.region.cutoff, "t0": self.region.t0, "faults": self.faults.rate,
                "stats": dict(self.stats), "vk_errors": dict(Counter(self.vk.errors)),
                "vk_calls": len(self.vk.calls)}
        return Reply(HTTPStatus.OK, json.dumps(body).encode(), "application/json")

    # -- sources --------------------------------------------------------------------------

    def kind_of(self, host: str) -> tuple[str, Institution | None]:
        if host == VK_HOST:
            return "vk", None
        if host == TG_HOST:
            return "telegram", None
        if host == OK_HOST:
            return "ok", None
        if host == MAX_HOST:
            return "max", None
        return "website", self.region.by_host.get(host)

    def answer(self, kind: str, inst: Institution | None, method: str, target: str, body: bytes,
               headers: dict[str, str] | None = None) -> Reply:
        parts = urlsplit(target)
        path = unquote(parts.path)
        self.stats[kind] += 1
        if kind == "ok":
            form = dict(parse_qsl(parts.query, keep_blank_values=True))
            form.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
            return json_reply(HTTPStatus.OK, self.ok.handle(form)) if path == "/fb.do" else not_found()
        if kind == "max":
            status, answer, extra = self.max.handle(method, path, dict(parse_qsl(parts.query)), headers or {})
            reply = json_reply(status, answer)
            reply.headers.update(extra)
            return reply
        if kind == "vk":
            if not path.startswith(VK_METHOD):
                return not_found()
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            params.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
            answer = self.vk.handle(path[len(VK_METHOD):], params)
            return Reply(HTTPStatus.OK, json.dumps(answer, ensure_ascii=False).encode(),
                         "application/json; charset=utf-8")
        if path == "/robots.txt":
            return Reply(HTTPStatus.OK, ROBOTS, "text/plain; charset=utf-8")
        if kind == "telegram":
            return self._telegram(path, parts.query)
        if inst is None:
            return not_found()
        if "website" in inst.broken:
            return Reply(HTTPStatus.SERVICE_UNAVAILABLE, ERROR_PAGE.format(status=503).encode())
        return self._site(inst, path, parts.query)

    def _telegram(self, path: str, query: str) -> Reply:
        if path.startswith("/s/"):
            name = path[3:].strip("/").lower()
            inst = self.region.by_telegram.get(name)
            if inst is None or "telegram" in inst.broken:
                return Reply(HTTPStatus.FOUND, b"", headers={"Location": f"/{quote(name)}"})
            before = dict(parse_qsl(query)).get("before", "")
            page = render_channel_page(name, inst.name, self.region.telegram_messages(name),
                                       int(before) if before.isdigit() else None)
            return Reply(HTTPStatus.OK, page.encode("utf-8"))
        name = path.strip("/")
        if not name or "/" in name:
            return not_found()
        return Reply(HTTPStatus.OK, CONTACT_PAGE.format(name=name, title="").encode())

    def _site(self, inst: Institution, path: str, query: str) -> Reply:
        files = self._site_files(inst)
        found = lookup(files, path, query)
        if found is None:
            return not_found()
        if found.startswith("redirect:"):
            return Reply(HTTPStatus.MOVED_PERMANENTLY, b"", headers={"Location": found[len("redirect:"):]})
        template, extra = files[found]
        items = self.region.visible_site_items(inst)
        text = self.env.get_template(template).render(site=site_spec(inst), items=items, base="", **extra)
        encoding = BUILD.FILE_ENCODING.get(inst.flavour, "utf-8")
        kind = MEDIA_TYPES.get(Path(found).suffix, "text/html")
        return Reply(HTTPStatus.OK, text.encode(encoding), kind + ("; charset=utf-8" if encoding == "utf-8" else ""))

    def _site_files(self, inst: Institution) -> dict[str, tuple[str, dict[str, Any]]]:
        key = (inst.index, self.region.cutoff)
        files = self._files.get(key)
        if files is None:
            items = self.region.visible_site_items(inst)
            files = {rel: (template, extra) for rel, template, extra in BUILD.pages(site_spec(inst), items)}
            if len(self._files) > 4096:
                self._files.clear()
            self._files[key] = files
        return files


def lookup(files: dict[str, Any], path: str, query: str) -> str | None:
    """The page a request maps to, by the demo's rules (crawler/demo/sample/README.md)."""
    rel = path.lstrip("/")
    if query:
        pairs = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(query, keep_blank_values=True)))
        if path.endswith("/"):
            folder, stem = rel, "index"
        else:
            folder, _, name = rel.rpartition("/")
            folder, stem = folder + "/" if folder else "", name.rpartition(".")[0] or name
        prefix = f"{folder}{stem}.{pairs}."
        return next((name for name in files if name.startswith(prefix) and "." not in name[len(prefix):]), None)
    if rel in files:
        return rel
    folder = rel if not rel or rel.endswith("/") else rel + "/"
    for index in INDEX_FILES:
        if folder + index in files:
            return folder + index if not rel or rel.endswith("/") else "redirect:" + path + "/"
    return None


class SimServer:
    """The asyncio HTTP/1.1 server (keep-alive) in front of `SimRoutes`."""

    def __init__(self, routes: SimRoutes) -> None:
        self.routes = routes
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self.server = await asyncio.start_server(self._connection, host, port, backlog=4096, limit=1 << 20)
        self.port = int(self.server.sockets[0].getsockname()[1])
        return self.port

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, asyncio.LimitOverrunError,
                asyncio.CancelledError):  # a closing server cancels its connections: end quietly
            pass
        finally:
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        line = await reader.readline()
        if not line.strip():
            return False
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        for _ in range(MAX_HEADER_LINES):
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length") or 0))
        host = headers.get("host", "").rsplit(":", 1)[0].lower()
        routes = self.routes
        if host in CONTROL_HOSTS:
            parts = urlsplit(target)
            return await self._send(writer, routes.control(parts.path, dict(parse_qsl(parts.query))), method)
        kind, inst = routes.kind_of(host)
        fault = routes.faults.draw(kind)
        latency = routes.region.latency(inst, kind, routes.rng)
        if fault:
            routes.stats[f"fault:{fault}"] += 1
        if routes.log is not None:
            routes.log.append((time.monotonic(), host, target, fault or ""))
        mode = routes.modes.get(host)
        if mode == "endless":
            await asyncio.sleep(latency)
            return await _endless(writer)
        if mode == "stall":
            await asyncio.sleep(STALL_SECONDS)
            return False
        if mode == "redirect_loop":
            location = "/loop-b" if urlsplit(target).path != "/loop-b" else "/loop-a"
            return await self._send(writer, Reply(HTTPStatus.FOUND, b"", headers={"Location": location}), method)
        if fault == "slow":
            latency += routes.rng.uniform(*SLOW_EXTRA)
        await asyncio.sleep(latency)
        if fault == "reset":
            _reset(writer)
            return False
        if fault == "stall":
            await asyncio.sleep(STALL_SECONDS)
            return False
        if fault in ("500", "503"):
            reply = Reply(int(fault), ERROR_PAGE.format(status=fault).encode())
        elif fault == "429":
            reply = Reply(HTTPStatus.TOO_MANY_REQUESTS, b"Too Many Requests", "text/plain",
                          {"Retry-After": RETRY_AFTER})
        else:
            try:
                reply = routes.answer(kind, inst, method, target, body, headers)
            except Exception as exc:  # noqa: BLE001 - a generator bug shows as a 500, not a dead server
                reply = Reply(HTTPStatus.INTERNAL_SERVER_ERROR, repr(exc).encode(), "text/plain")
        if fault == "truncated":
            await self._send(writer, reply, method, truncate=True)
            return False
        if mode == "mislabelled" and reply.content_type.startswith("text/html"):
            reply.content_type = "text/html; charset=utf-8"  # whatever the bytes really are
        return await self._send(writer, reply, method)

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, reply: Reply, method: str, truncate: bool = False) -> bool:
        head = [f"HTTP/1.1 {int(reply.status)} {HTTPStatus(int(reply.status)).phrase}",
                f"Content-Type: {reply.content_type}", f"Content-Length: {len(reply.body)}"]
        head += [f"{name}: {value}" for name, value in reply.headers.items()]
        body = reply.body if method != "HEAD" else b""
        if truncate:
            body = body[:len(body) // 2]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        if truncate:
            _reset(writer)
        return not truncate


async def _endless(writer: asyncio.StreamWriter) -> bool:
    """A chunked HTML body that never ends (until the client hangs up or ENDLESS_LIMIT)."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"<p>" + "бесконечная страница ".encode() * 1000 + b"</p>"
    sent = 0
    while sent < ENDLESS_LIMIT:
        writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        await writer.drain()
        sent += len(chunk)
    return False


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset, as a crashing server or a middlebox does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class ThreadedSim:
    """The server on its own event loop in a daemon thread (tests)."""

    def __init__(self, routes: SimRoutes) -> None:
        self.routes = routes
        self.loop = asyncio.new_event_loop()
        self.sim = SimServer(routes)
        self.port = self.loop.run_until_complete(self.sim.start())
        self.thread = threading.Thread(target=self.loop.run_forever, name="simregion", daemon=True)
        self.thread.start()

    def close(self) -> None:
        async def stop() -> None:
            assert self.sim.server is not None
            self.sim.server.close()
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.sim.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()

    def __enter__(self) -> ThreadedSim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main() -> None:
    """Serve a region until killed; write {"port", "t0"} to --ready-file once listening."""
    parser = argparse.ArgumentParser(description="Simulated region on 127.0.0.1 (natmon benchmarks)")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--faults", type=float, default=0.0)
    parser.add_argument("--phase-days", type=float, default=1.0, help="start this many days before t0")
    parser.add_argument("--t0", type=float, default=0.0, help="the simulated 'now' (epoch s; default: the real now)")
    parser.add_argument("--extra-days", type=float, default=0.0, help="posts go on this many days after t0")
    parser.add_argument("--ready-file", type=Path, required=True)
    args = parser.parse_args()
    region = Region(SimConfig(n=args.n, seed=args.seed, t0=args.t0, extra_days=args.extra_days))
    region.cutoff = region.t0 - args.phase_days * DAY_SECONDS
    routes = SimRoutes(region, FaultPlan(rate=args.faults))

    async def serve() -> None:
        server = SimServer(routes)
        port = await server.start(port=args.port)
        args.ready_file.write_text(json.dumps({"port": port, "t0": region.t0, "domain": DOMAIN}))
        await asyncio.Event().wait()

    asyncio.run(serve())


__all__ = ["FaultPlan", "SimRoutes", "SimServer", "ThreadedSim", "lookup"]

if __name__ == "__main__":
    main()
