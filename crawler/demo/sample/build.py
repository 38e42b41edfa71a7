"""Render the demo sample (web/, vk/, telegram/, ok/, max/) from the texts in src/.

The texts live in src/*.yaml; the markup of each CMS flavour lives in templates/. The
rendered files are committed, so the demo and the tests never run this; run it after
editing a text or a template and commit what changed:

    .venv/bin/python crawler/demo/sample/build.py

`tests/crawler/test_demo_server.py` checks that the committed files match a fresh build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

HERE = Path(__file__).resolve().parent
TZ = ZoneInfo("Asia/Irkutsk")
SITE_PREFIX = "/sites"
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r", "s",
                     "t", "u", "f", "h", "c", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
SLUG_WORDS = 5
PHOTO_SIZES = (("m", 130, 97), ("x", 604, 453), ("y", 807, 605))
VIDEO_DURATION = 74
FILE_ENCODING = {"handmade_cp1251": "cp1251"}
TEMPLATE_DIRS = {"bitrix_sef": "bitrix"}  # flavours that share templates
PARTS = ("web", "vk", "telegram", "ok", "max")  # rendered folders, all rebuilt by `build`


@dataclass(slots=True)
class Item:
    """One news item of a website."""

    id: int
    date: datetime
    title: str
    text: str
    photo: bool = False
    code: str = ""
    paragraphs: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.code or slugify(self.title)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def rfc822_utc(self) -> str:
        return format_datetime(self.date.astimezone(timezone.utc))

    @property
    def rfc822_local(self) -> str:
        return format_datetime(self.date)

    @property
    def dotted(self) -> str:
        return self.date.strftime("%d.%m.%Y")

    @property
    def words(self) -> str:
        return f"{self.date.day} {MONTHS[self.date.month - 1]} {self.date.year}"

    @property
    def announce(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


def local(value: Any) -> datetime:
    """A YAML date "YYYY-MM-DD HH:MM" as an aware Irkutsk datetime."""
    return datetime.strptime(str(value), "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def slugify(title: str) -> str:
    letters = "".join(TRANSLIT.get(ch, ch) if ch.isalpha() or ch.isdigit() else " " for ch in title.lower())
    return "-".join(letters.split()[:SLUG_WORDS])


def load(name: str) -> Any:
    return yaml.safe_load((HERE / "src" / name).read_text(encoding="utf-8"))


def build_sites(out: Path) -> None:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    for site, spec in load("sites.yaml").items():
        items = [Item(id=raw["id"], date=local(raw["date"]), title=raw["title"], text=raw["text"].strip(),
                      photo=raw.get("photo", False), code=raw.get("code", ""),
                      paragraphs=[p.strip() for p in raw["text"].strip().split("\n\n")])
                 for raw in spec["items"]]
        items.sort(key=lambda item: item.date, reverse=True)
        root = out / site
        context = {"site": spec, "items": items, "base": f"{SITE_PREFIX}/{site}"}
        for relative, template, extra in pages(spec, items):
            text = env.get_template(template).render(**context, **extra)
            write(root / relative, text, FILE_ENCODING.get(spec["flavour"], "utf-8"))


def pages(spec: dict[str, Any], items: list[Item]) -> list[tuple[str, str, dict[str, Any]]]:
    """(file under the site, template, extra context) for every file of a site."""
    flavour = spec["flavour"]
    if flavour == "broken":
        return [("STATUS", "broken/STATUS", {})]
    templates = TEMPLATE_DIRS.get(flavour, flavour)
    result: list[tuple[str, str, dict[str, Any]]] = [("index.html", f"{templates}/home.html", {})]
    if flavour == "gosweb":
        size = spec["page_size"]
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        for number, chunk in enumerate(chunks):
            name = "novosti/index.html" if number == 0 else f"novosti/index.curPos={number * size}.html"
            result.append((name, "gosweb/list.html", {"page": chunk, "number": number, "pages": len(chunks),
                                                     "size": size}))
        result += [(f"novosti/novosti-{spec['component']}_{i.id}.html", "gosweb/article.html", {"item": i})
                   for i in items]
    elif flavour == "wordpress":
        result += [("category/novosti/index.html", "wordpress/list.html", {}),
                   ("feed/index.rss", "wordpress/feed.rss", {})]
        result += [(f"{i.date:%Y/%m/%d}/{i.slug}/index.html", "wordpress/article.html", {"item": i}) for i in items]
    elif flavour == "joomla":
        category = spec["category"]
        result += [(f"{category}.html", "joomla/list.html", {}),
                   ("index.format=feed&type=rss.rss", "joomla/feed.rss", {}),
                   (f"{category}.format=feed&type=rss.rss", "joomla/feed.rss", {})]
        result += [(f"{category}/{i.id}-{i.slug}.html", "joomla/article.html", {"item": i}) for i in items]
    elif flavour in ("bitrix", "bitrix_sef"):
        size = spec.get("page_size", len(items))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        for number, chunk in enumerate(chunks):
            name = "news/index.html" if number == 0 else f"news/index.PAGEN_1={number + 1}.html"
            result.append((name, "bitrix/list.html", {"page": chunk, "number": number, "pages": len(chunks)}))
        for i in items:
            name = f"news/{i.slug}/index.html" if flavour == "bitrix_sef" else f"news/detail.ID={i.id}.php"
            result.append((name, "bitrix/article.html", {"item": i}))
    elif flavour == "handmade_cp1251":
        result.append(("news.php", "handmade_cp1251/list.html", {}))
        result += [(f"news.id={i.id}.php", "handmade_cp1251/article.html", {"item": i}) for i in items]
    else:
        raise SystemExit(f"unknown flavour {flavour!r}")
    return result


def write(path: Path, text: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def stamp(owner: int, post: int, salt: str) -> str:
    return hashlib.sha1(f"{salt}:{owner}:{post}".encode()).hexdigest()


def attachments(kind: str | None, owner: int, post: int, date: int) -> list[dict[str, Any]]:
    """VK attachments of one post: photo, photos (three) or video, in the 5.199 shape."""
    if not kind:
        return []
    if kind == "video":
        return [{"type": "video", "video": {
            "id": 456239000 + post, "owner_id": owner, "title": "Видео", "description": "",
            "duration": VIDEO_DURATION, "date": date, "views": 0, "comments": 0, "type": "video",
            "access_key": stamp(owner, post, "video")[:18], "can_add": 1,
            "image": [{"url": f"https://example.org/demo-vk/video{owner}_{post}.jpg", "width": 320, "height": 240,
                       "with_padding": 1}]}}]
    count = 3 if kind == "photos" else 1
    return [{"type": "photo", "photo": {
        "id": 457239000 + post * 10 + n, "album_id": -7, "owner_id": owner, "date": date, "text": "",
        "has_tags": False, "access_key": stamp(owner, post * 10 + n, "photo")[:18],
        "sizes": [{"type": t, "width": w, "height": h,
                   "url": f"https://example.org/demo-vk/photo{owner}_{post}_{n}_{t}.jpg"} for t, w, h in PHOTO_SIZES]}}
        for n in range(count)]


def wall_item(owner: int, raw: dict[str, Any]) -> dict[str, Any]:
    date = int(local(raw["date"]).timestamp())
    views = int(raw["views"])
    item: dict[str, Any] = {
        "inner_type": "wall_wallpost", "type": "post", "post_type": "post", "id": raw["id"], "owner_id": owner,
        "from_id": owner, "date": date, "text": raw["text"], "marked_as_ads": 0, "is_favorite": False,
        "attachments": attachments(raw.get("att"), owner, raw["id"], date),
        "comments": {"can_post": 1, "count": views // 150, "groups_can_post": True},
        "likes": {"can_like": 1, "count": views // 12, "user_likes": 0, "can_publish": 1,
                  "repost_disabled": False},
        "reposts": {"count": views // 200, "user_reposted": 0},
        "views": {"count": views}, "post_source": {"type": "vk"}, "donut": {"is_donut": False},
        "short_text_rate": 0.8, "hash": stamp(owner, raw["id"], "hash")[:28],
    }
    if raw.get("pinned"):
        item["is_pinned"] = 1
    original = raw.get("repost")
    if original:
        original_date = int(local(original["date"]).timestamp())
        source = int(original["owner_id"])
        item["copy_history"] = [{
            "inner_type": "wall_wallpost", "type": "post", "post_type": "post", "id": original["id"],
            "owner_id": source, "from_id": source, "date": original_date, "text": original["text"],
            "attachments": attachments(original.get("att"), source, original["id"], original_date),
            "post_source": {"type": "vk"}}]
    return item


def build_vk(out: Path) -> None:
    walls: dict[str, list[dict[str, Any]]] = {}
    groups: dict[str, dict[str, Any]] = {}
    for community in load("vk.yaml")["communities"]:
        gid = int(community["id"])
        posts = sorted(community["posts"], key=lambda p: local(p["date"]), reverse=True)
        pinned = [p for p in posts if p.get("pinned")]
        walls[str(-gid)] = [wall_item(-gid, p) for p in pinned + [p for p in posts if not p.get("pinned")]]
        groups[community["screen_name"]] = {
            "id": gid, "name": community["name"], "screen_name": community["screen_name"], "is_closed": 0,
            "type": "group", "is_admin": 0, "is_member": 0, "is_advertiser": 0,
            "photo_50": f"https://example.org/demo-vk/club{gid}_50.jpg",
            "photo_100": f"https://example.org/demo-vk/club{gid}_100.jpg",
            "photo_200": f"https://example.org/demo-vk/club{gid}_200.jpg"}
    dump(out / "walls.json", walls)
    dump(out / "groups.json", groups)


def build_telegram(out: Path) -> None:
    for name, channel in load("telegram.yaml").items():
        messages = [{"id": m["id"], "date": local(m["date"]).isoformat(), "text": m["text"], "views": m["views"],
                     "photo": bool(m.get("photo", False))} for m in channel["messages"]]
        dump(out / f"{name}.json", {"title": channel["title"], "messages": sorted(messages, key=lambda m: m["id"])})


def millis(value: Any) -> int:
    return int(local(value).timestamp() * 1000)


def ok_topic(gid: str, raw: dict[str, Any]) -> dict[str, Any]:
    """One `mediatopic.getTopics` topic object (formats.md §5.2); summaries only where the source has them."""
    media: list[dict[str, Any]] = [{"type": "text", "text": raw["text"]}] if raw["text"] else []
    for number, kind in enumerate(raw.get("media") or (), start=1):
        if kind == "poll":
            media.append({"type": "poll", "question": raw["question"], "answers": []})
        elif kind == "link":
            media.append({"type": "link", "url": f"https://example.org/demo-ok/{raw['id']}", "title": "Подробнее"})
        else:
            media.append({"type": kind, f"{kind}_refs": [f"group_{kind}:{raw['id']}{number}"]})
    topic: dict[str, Any] = {"id": raw["id"], "created_ms": millis(raw["date"]), "author_ref": f"group:{gid}",
                             "owner_ref": f"group:{gid}", "media": media}
    for field_name, summary, key in (("likes", "like_summary", "count"), ("reshares", "reshare_summary", "count"),
                                     ("comments", "discussion_summary", "comments_count")):
        if raw.get(field_name) is not None:
            topic[summary] = {key: raw[field_name]}
    if raw.get("views") is not None:
        topic["views_count"] = raw["views"]
    return topic


def build_ok(out: Path) -> None:
    groups = {}
    for group in load("ok.yaml")["groups"]:
        topics = sorted(group["topics"], key=lambda t: local(t["date"]), reverse=True)
        groups[group["gid"]] = {"name": group["name"], "title": group["title"],
                                "topics": [ok_topic(group["gid"], t) for t in topics]}
    dump(out / "groups.json", groups)


MAX_ATTACHMENTS = {"image": ("image", 1), "images": ("image", 3), "video": ("video", 1), "file": ("file", 1)}


def max_message(channel: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """One Bot API Message object (formats.md §6) of a channel post."""
    attachments = []
    if raw.get("att"):
        kind, count = MAX_ATTACHMENTS[raw["att"]]
        attachments = [{"type": kind, "payload": {"url": f"https://example.org/demo-max/{raw['mid']}-{n}",
                                                  "token": f"{raw['mid']}-{n}"}} for n in range(1, count + 1)]
    chat_id = int(channel["chat_id"])
    message: dict[str, Any] = {
        "sender": {"user_id": -chat_id % 100000, "name": channel["title"], "is_bot": False},
        "recipient": {"chat_id": chat_id, "chat_type": "channel", "user_id": None},
        "timestamp": millis(raw["date"]), "link": None,
        "body": {"mid": raw["mid"], "seq": millis(raw["date"]), "text": raw["text"] or None,
                 "attachments": attachments or None},
        "stat": {"views": raw["views"]}, "url": f"https://max.ru/{channel['name']}/{raw['mid'][-6:]}"}
    if raw.get("forward"):
        original = raw["forward"]
        message["link"] = {"type": "forward", "chat_id": int(original["chat_id"]),
                           "sender": {"user_id": 1, "name": "Министерство образования (демо)"},
                           "message": {"mid": original["mid"], "seq": 1, "text": original["text"], "attachments": None}}
    return message


def build_max(out: Path) -> None:
    channels = {}
    for channel in load("max.yaml")["channels"]:
        messages = sorted(channel["messages"], key=lambda m: local(m["date"]), reverse=True)
        channels[str(channel["chat_id"])] = {"name": channel["name"], "title": channel["title"],
                                             "bot_added": channel.get("bot_added", True),
                                             "messages": [max_message(channel, m) for m in messages]}
    dump(out / "channels.json", channels)


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build(out: Path) -> None:
    """Render everything under `out` (web/, vk/, telegram/, ok/, max/), replacing what was there."""
    for part in PARTS:
        shutil.rmtree(out / part, ignore_errors=True)
    build_sites(out / "web")
    build_vk(out / "vk")
    build_telegram(out / "telegram")
    build_ok(out / "ok")
    build_max(out / "max")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
