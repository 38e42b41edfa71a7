"""The simulated region: N institutions, their channels and posts, all generated from a seed.

Every institution has a website (one of the demo's CMS flavours), most a VK community and an
Одноклассники group (both official pages are mandatory), some a Telegram channel, a third a MAX
channel. Posts appear at a steady rate per channel kind over the last
`history_days`; what a source shows depends on the server's `cutoff` (the simulated
"now"), so moving the cutoff by a day produces the night's new posts.

Site rendering reuses the demo's templates and page map (crawler/demo/sample/build.py).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.simregion.text import news
from crawler.demo.telegram_pages import DemoMessage

TZ = ZoneInfo("Asia/Irkutsk")
DOMAIN = "sim.test"
VK_HOST = f"api.vk.{DOMAIN}"
TG_HOST = f"t.me.{DOMAIN}"
OK_HOST = f"api.ok.{DOMAIN}"
MAX_HOST = f"platform-api2.max.{DOMAIN}"
OK_GROUP_BASE = 70_000_000_000_000
MAX_CHAT_BASE = -71_000_000_000_000
# Credentials the simulated OK and MAX stand-ins accept.
SIM_OK = ("SIMOKAPPKEY", "sim-ok-secret", "sim-ok-token")
SIM_MAX_TOKEN = "sim-max-token"
SIM_API_DELAYS = {OK_HOST: 0.2, MAX_HOST: 0.1}  # what crawler/settings.py gives api.ok.ru and platform-api2.max.ru
VK_GROUP_BASE = 300_000
INSTITUTIONS_PER_MUNICIPALITY = 48  # Irkutsk Oblast: ~2,000 organisations in 42 municipalities
FLAVOURS = (("gosweb", 0.35), ("wordpress", 0.15), ("joomla", 0.15), ("bitrix", 0.1), ("bitrix_sef", 0.1),
            ("handmade_cp1251", 0.15))
KINDS = (("school", 0.55), ("kindergarten", 0.35), ("additional", 0.07), ("college", 0.03))
DAY_SECONDS = 86400.0
PAGE_SIZE = 10  # listing pages of Госвеб and Битрикс
PINNED_AGE_DAYS = 200
BUILD_PY = Path(__file__).resolve().parents[2] / "crawler" / "demo" / "sample" / "build.py"


def demo_build() -> ModuleType:
    """crawler/demo/sample/build.py as a module (it is a script, not a package member)."""
    spec = importlib.util.spec_from_file_location("natmon_demo_build", BUILD_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


BUILD = demo_build()


@dataclass(slots=True, frozen=True)
class SimConfig:
    """The shape of the simulated region; rates are posts per day per channel."""

    n: int = 2000
    seed: int = 38
    t0: float = 0.0  # epoch seconds of the final simulated "now" (0: set by the server at start)
    history_days: int = 45
    campaign_days: int = 30  # the campaign (and a first crawl) starts this long before t0
    extra_days: float = 0.0  # posts go on this long after t0 (more nights for a kept store; earlier posts unchanged)
    web_rate: float = 0.35
    vk_rate: float = 0.8
    tg_rate: float = 0.5
    vk_share: float = 0.9
    tg_share: float = 0.6
    ok_rate: float = 0.4  # OK groups mostly repeat the VK posts, a little less often
    max_rate: float = 0.3
    ok_share: float = 0.7  # госпаблики on OK are mandatory since 2022, but not every school keeps one yet
    max_share: float = 0.35  # MAX channels: ~53,000 of ~80,000 schools and kindergartens by early 2026, read by the bot
    broken_share: float = 0.02  # sources broken for good: site 503, closed VK wall, missing channel
    slow_share: float = 0.03  # sources answering in 1-3 s
    web_latency: tuple[float, float] = (0.05, 0.4)
    vk_latency: tuple[float, float] = (0.04, 0.12)
    tg_latency: tuple[float, float] = (0.06, 0.2)
    slow_latency: tuple[float, float] = (1.0, 3.0)
    ok_latency: tuple[float, float] = (0.05, 0.15)
    max_latency: tuple[float, float] = (0.04, 0.12)


@dataclass(slots=True)
class Institution:
    index: int
    name: str
    kind: str
    municipality: int
    flavour: str
    vk: int | None  # group id
    telegram: str | None  # channel name
    broken: frozenset[str] = field(default_factory=frozenset)  # kinds broken for good
    slow: bool = False
    ok: str | None = None  # OK group id
    max: int | None = None  # MAX chat id

    @property
    def site(self) -> str:
        return f"s{self.index:05d}"

    @property
    def host(self) -> str:
        return f"{self.site}.{DOMAIN}"


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in table], [weight for _, weight in table])[0]


class Region:
    """The generated region; posts are built on demand and cached."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.t0 = config.t0 or datetime.now(timezone.utc).timestamp()
        self.cutoff = self.t0  # what the sources show: posts published up to this moment
        self.institutions = [self._institution(i) for i in range(config.n)]
        self.by_host = {inst.host: inst for inst in self.institutions}
        self.by_group = {inst.vk: inst for inst in self.institutions if inst.vk is not None}
        self.by_telegram = {inst.telegram: inst for inst in self.institutions if inst.telegram}
        self.by_ok = {inst.ok: inst for inst in self.institutions if inst.ok is not None}
        self.by_max = {inst.max: inst for inst in self.institutions if inst.max is not None}
        self._sites: dict[int, list[Any]] = {}
        self._walls: dict[int, list[dict[str, Any]]] = {}
        self._channels: dict[str, list[DemoMessage]] = {}
        self._topics: dict[str, list[dict[str, Any]]] = {}
        self._max: dict[int, list[dict[str, Any]]] = {}

    @property
    def start(self) -> datetime:
        return datetime.fromtimestamp(self.t0, TZ) - timedelta(days=self.config.campaign_days)

    def since(self) -> datetime:
        """The crawl's `since`: local midnight of the campaign start."""
        return self.start.replace(hour=0, minute=0, second=0, microsecond=0)

    def _institution(self, index: int) -> Institution:
        rng = random.Random(f"{self.config.seed}:inst:{index}")
        kind = _pick(rng, KINDS)
        number = index + 1
        names = {"school": f"МБОУ «СОШ № {number}» (сим.)", "kindergarten": f"МБДОУ «Детский сад № {number}» (сим.)",
                 "additional": f"МБУ ДО «ЦДТ № {number}» (сим.)", "college": f"ГБПОУ «Техникум № {number}» (сим.)"}
        vk = VK_GROUP_BASE + index if rng.random() < self.config.vk_share else None
        telegram = f"sim_tg_{index:05d}" if rng.random() < self.config.tg_share else None
        broken = frozenset(k for k, present in (("website", True), ("vk", vk), ("telegram", telegram))
                           if present and rng.random() < self.config.broken_share)
        flavour, slow = _pick(rng, FLAVOURS), rng.random() < self.config.slow_share
        # OK and MAX are drawn after everything else, so the rest of the region is what it was before them.
        ok = str(OK_GROUP_BASE + index) if rng.random() < self.config.ok_share else None
        chat = MAX_CHAT_BASE - index if rng.random() < self.config.max_share else None
        broken |= frozenset(k for k, present in (("ok", ok), ("max", chat))
                            if present and rng.random() < self.config.broken_share)
        return Institution(index, names[kind], kind, index // INSTITUTIONS_PER_MUNICIPALITY, flavour, vk, telegram,
                           broken, slow, ok, chat)

    def latency(self, inst: Institution | None, kind: str, rng: random.Random) -> float:
        low, high = {"website": self.config.web_latency, "vk": self.config.vk_latency,
                     "telegram": self.config.tg_latency, "ok": self.config.ok_latency,
                     "max": self.config.max_latency}[kind]
        if inst is not None and inst.slow and kind == "website":
            low, high = self.config.slow_latency
        return rng.uniform(low, high)

    # -- posts ------------------------------------------------------------------------------

    def _times(self, kind: str, index: int, rate: float) -> list[datetime]:
        """Publication moments of one channel: a Poisson process over the history window."""
        rng = random.Random(f"{self.config.seed}:{kind}:{index}")
        end = self.t0 + self.config.extra_days * DAY_SECONDS
        moment = self.t0 - self.config.history_days * DAY_SECONDS
        times = []
        while True:
            moment += rng.expovariate(rate / DAY_SECONDS)
            if moment > end:
                return times
            times.append(datetime.fromtimestamp(int(moment // 60 * 60), TZ))

    def site_items(self, inst: Institution) -> list[Any]:
        """Every news item of a site (newest first), as build.Item."""
        items = self._sites.get(inst.index)
        if items is None:
            items = self._sites[inst.index] = self._build_site(inst.index)
        return items

    def visible_site_items(self, inst: Institution) -> list[Any]:
        return [item for item in self.site_items(inst) if item.date.timestamp() <= self.cutoff]

    def wall(self, group: int) -> list[dict[str, Any]]:
        """Visible wall.get items of a community, pinned first, then newest first."""
        items = self._walls.get(group)
        if items is None:
            items = self._walls[group] = self._build_wall(group)
        return [item for item in items if item.get("is_pinned") or item["date"] <= self.cutoff]

    def telegram_messages(self, name: str) -> list[DemoMessage]:
        messages = self._channels.get(name)
        if messages is None:
            messages = self._channels[name] = self._build_telegram(name)
        return [m for m in messages if m.date.timestamp() <= self.cutoff]

    def topics(self, gid: str) -> list[dict[str, Any]]:
        """Visible topics of an OK group, newest first (the mediatopic.getTopics shape)."""
        topics = self._topics.get(gid)
        if topics is None:
            topics = self._topics[gid] = self._build_topics(gid)
        return [topic for topic in topics if topic["created_ms"] <= self.cutoff * 1000]

    def max_messages(self, chat: int) -> list[dict[str, Any]]:
        """Visible messages of a MAX channel, newest first (Bot API Message objects)."""
        messages = self._max.get(chat)
        if messages is None:
            messages = self._max[chat] = self._build_max(chat)
        return [message for message in messages if message["timestamp"] <= self.cutoff * 1000]

    def _build_topics(self, gid: str) -> list[dict[str, Any]]:
        index = int(gid) - OK_GROUP_BASE
        rng = random.Random(f"{self.config.seed}:text:ok:{index}")
        raws = []
        for number, moment in enumerate(self._times("ok", index, self.config.ok_rate), start=1):
            title, text = news(rng)
            raws.append({"id": str(156_000_000_000_000 + index * 10_000 + number),
                         "date": moment.strftime("%Y-%m-%d %H:%M"), "text": f"{title}\n\n{text}",
                         "media": [rng.choice(("photo", "movie", "link"))] if rng.random() < 0.7 else [],
                         "likes": rng.randint(0, 60), "views": rng.randint(30, 1500)})
        return [BUILD.ok_topic(gid, raw) for raw in reversed(raws)]

    def _build_max(self, chat: int) -> list[dict[str, Any]]:
        index = MAX_CHAT_BASE - chat
        rng = random.Random(f"{self.config.seed}:text:max:{index}")
        channel = {"chat_id": chat, "name": f"sim_max_{index:05d}", "title": self.institutions[index].name}
        raws = []
        for number, moment in enumerate(self._times("max", index, self.config.max_rate), start=1):
            title, text = news(rng)
            raws.append({"mid": f"mid.{-chat:016x}{number:06d}", "date": moment.strftime("%Y-%m-%d %H:%M"),
                         "text": f"{title}\n\n{text}", "views": rng.randint(20, 900),
                         "att": rng.choice((None, "image", "images", "video", "file"))})
        return [BUILD.max_message(channel, raw) for raw in reversed(raws)]

    def _build_site(self, index: int) -> list[Any]:
        rng = random.Random(f"{self.config.seed}:text:website:{index}")
        items = []
        used: set[tuple[str, str]] = set()
        for number, moment in enumerate(self._times("website", index, self.config.web_rate), start=1):
            title, text = news(rng)
            while (title, moment.date().isoformat()) in used:  # the adapter keeps one of same-day twins
                title += " (продолжение)"
            used.add((title, moment.date().isoformat()))
            item_id = 1000 + number
            items.append(BUILD.Item(id=item_id, date=moment, title=title, text=text, photo=rng.random() < 0.6,
                                    code=f"{BUILD.slugify(title)}-{item_id}",
                                    paragraphs=[p.strip() for p in text.split("\n\n")]))
        return list(reversed(items))

    def _build_wall(self, group: int) -> list[dict[str, Any]]:
        index = group - VK_GROUP_BASE
        rng = random.Random(f"{self.config.seed}:text:vk:{index}")
        pinned_at = datetime.fromtimestamp(self.t0, TZ) - timedelta(days=PINNED_AGE_DAYS)
        raws: list[dict[str, Any]] = []
        post_id = 10
        for moment in self._times("vk", index, self.config.vk_rate):  # ids grow with time, with gaps
            post_id += rng.randint(1, 3)
            title, text = news(rng)
            raws.append({"id": post_id, "date": moment.strftime("%Y-%m-%d %H:%M"), "text": f"{title}\n\n{text}",
                         "views": rng.randint(40, 3000), "att": rng.choice((None, "photo", "photos", "video"))})
        pinned = {"id": 10, "date": pinned_at.strftime("%Y-%m-%d %H:%M"), "text": "Добро пожаловать в сообщество!",
                  "views": 900, "pinned": True}
        return [BUILD.wall_item(-group, raw) for raw in [pinned] + list(reversed(raws))]

    def _build_telegram(self, name: str) -> list[DemoMessage]:
        index = int(name.rsplit("_", 1)[1])
        rng = random.Random(f"{self.config.seed}:text:telegram:{index}")
        messages, last = [], 1
        for moment in self._times("telegram", index, self.config.tg_rate):
            title, text = news(rng)
            last += rng.randint(1, 4)  # albums and deleted posts leave gaps
            messages.append(DemoMessage(id=last, date=moment, text=f"{title}\n{text}",
                                        views=rng.randint(30, 2500), photo=rng.random() < 0.5))
        return messages

    # -- what a correct crawl stores -------------------------------------------------------------

    def expected(self) -> dict[tuple[str, str], set[str]]:
        """(kind, address) -> the post keys a complete crawl holds now (healthy sources only).

        Keys: website article path (+query), VK post id, Telegram message id, OK topic id, MAX mid.
        """
        since = self.since()
        result: dict[tuple[str, str], set[str]] = {}
        for inst in self.institutions:
            if "website" not in inst.broken:
                result[("website", inst.host)] = {article_path(inst, item) for item in self.visible_site_items(inst)
                                                  if item.date >= since}
            if inst.vk is not None and "vk" not in inst.broken:
                result[("vk", f"club{inst.vk}")] = {str(item["id"]) for item in self.wall(inst.vk)
                                                    if not item.get("is_pinned") and item["date"] >= since.timestamp()}
            if inst.telegram and "telegram" not in inst.broken:
                result[("telegram", inst.telegram)] = {str(m.id) for m in self.telegram_messages(inst.telegram)
                                                       if m.date >= since}
            if inst.ok is not None and "ok" not in inst.broken:
                result[("ok", f"https://ok.ru/group/{inst.ok}")] = {
                    t["id"] for t in self.topics(inst.ok) if t["created_ms"] >= since.timestamp() * 1000}
            if inst.max is not None and "max" not in inst.broken:
                result[("max", str(inst.max))] = {m["body"]["mid"] for m in self.max_messages(inst.max)
                                                  if m["timestamp"] >= since.timestamp() * 1000}
        return result


def site_spec(inst: Institution) -> dict[str, Any]:
    """The `site` context of the demo templates."""
    return {"title": inst.name, "flavour": inst.flavour, "page_size": PAGE_SIZE, "component": 300 + inst.index % 50,
            "category": "novosti"}


def article_path(inst: Institution, item: Any) -> str:
    """Where a site serves an item (as the demo's templates link it)."""
    flavour, spec = inst.flavour, site_spec(inst)
    if flavour == "gosweb":
        return f"/novosti/novosti-{spec['component']}_{item.id}.html"
    if flavour == "wordpress":
        return f"/{item.date:%Y/%m/%d}/{item.slug}/"
    if flavour == "joomla":
        return f"/{spec['category']}/{item.id}-{item.slug}.html"
    if flavour == "bitrix":
        return f"/news/detail.php?ID={item.id}"
    if flavour == "bitrix_sef":
        return f"/news/{item.slug}/"
    return f"/news.php?id={item.id}"




def ok_max_env(port: int) -> dict[str, str]:
    """Environment pointing a `natmon crawl` at the simulated OK and MAX stand-ins."""
    key, secret, token = SIM_OK
    return {"NATMON_OK_API_URL": f"http://{OK_HOST}:{port}/fb.do", "NATMON_OK_APPLICATION_KEY": key,
            "NATMON_OK_SECRET_KEY": secret, "NATMON_OK_ACCESS_TOKEN": token,
            "NATMON_MAX_API_URL": f"http://{MAX_HOST}:{port}", "NATMON_MAX_BOT_TOKEN": SIM_MAX_TOKEN}


def ok_max_settings(port: int) -> dict[str, Any]:
    """The same as `ChannelSettings` fields, for crawls run in-process."""
    key, secret, token = SIM_OK
    return {"ok_api_url": f"http://{OK_HOST}:{port}/fb.do", "ok_application_key": key, "ok_secret_key": secret,
            "ok_access_token": token, "max_api_url": f"http://{MAX_HOST}:{port}", "max_bot_token": SIM_MAX_TOKEN}
