"""The demo's local "internet": the sample region served on 127.0.0.1.

One ThreadingHTTPServer in a daemon thread answers for every kind of source, so the
demo and the end-to-end tests crawl with the production code and no network:

* ``/robots.txt``            allows everything;
* ``/sites/<site>/…``         static files of crawler/demo/sample/web/<site>/ (query strings map
                              to files as sample/README.md says; a site with a STATUS file answers
                              that status for every path);
* ``/vk/method/<name>``      the VK API stand-in (`crawler.demo.vk_standin.VkStandin`);
* ``/tg/s/<name>[?before=N]`` t.me/s pages (`crawler.demo.telegram_pages`); an unknown name is
                              redirected to ``/tg/<name>``, a contact page without messages;
* ``/ok/fb.do``              the Одноклассники API stand-in (`crawler.demo.ok_standin.OkStandin`);
* ``/max/<path>``            the MAX Bot API stand-in (`crawler.demo.max_standin.MaxStandin`).
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SOURCES_FILE = "sources.yaml"
SERVER_PLACEHOLDER = "{server}"
SITES_PREFIX = "/sites/"
VK_PREFIX = "/vk/method/"
TG_PREFIX = "/tg/"
TG_PAGE_PREFIX = "/tg/s/"
OK_PATH = "/ok/fb.do"
MAX_PREFIX = "/max/"
# Credentials the demo stand-ins accept; real ones come only from NATMON_OK_* and NATMON_MAX_BOT_TOKEN.
DEMO_OK_KEY, DEMO_OK_SECRET, DEMO_OK_TOKEN = "DEMOAPPKEY", "demo-secret-key", "demo-ok-token"
DEMO_MAX_TOKEN = "demo-max-token"
STATUS_FILE = "STATUS"  # a site folder holding it answers this HTTP status for every path
INDEX_FILES = ("index.html", "index.php", "index.rss", "index.xml")
ROBOTS = b"User-agent: *\nAllow: /\n"
# Extension -> media type; UTF-8 text gets "; charset=utf-8", other bytes no charset at all.
MEDIA_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".php": "text/html", ".rss": "application/rss+xml",
    ".xml": "application/xml", ".txt": "text/plain", ".json": "application/json", ".jpg": "image/jpeg",
    ".png": "image/png",
}
TEXT_TYPES = ("text/", "application/rss+xml", "application/xml", "application/json")
DEFAULT_MEDIA_TYPE = "application/octet-stream"
NOT_FOUND_PAGE = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head>" \
                 "<body><h1>Страница не найдена</h1></body></html>"
ERROR_PAGE = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{status}</title></head>" \
             "<body><h1>Ошибка сервера</h1><p>Сайт временно недоступен.</p></body></html>"
CONTACT_PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>Telegram: Contact @{name}</title>
  </head>
  <body class="no_transition">
    <div class="tgme_page_wrap">
      <div class="tgme_body_wrap">
        <div class="tgme_page">
          <div class="tgme_page_icon"><i class="tgme_icon_user"></i></div>
{title}          <div class="tgme_page_description">
            If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain={name}">@{name}</a> right away.
          </div>
          <div class="tgme_page_action"><a class="tgme_action_button_new" href="tg://resolve?domain={name}">Send Message</a></div>
        </div>
      </div>
    </div>
  </body>
</html>
"""


CONTACT_TITLE = """          <div class="tgme_page_title" dir="auto"><span dir="auto">{title}</span></div>
          <div class="tgme_page_extra">demo channel</div>
"""


@dataclass(slots=True)
class Reply:
    """What one request gets back."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class SampleRoutes:
    """Pure routing of demo requests to replies; the HTTP handler only moves bytes."""

    def __init__(self, sample_dir: Path, base_url: str) -> None:
        self.sample_dir = sample_dir
        self.web_dir = (sample_dir / "web").resolve()
        self.base_url = base_url
        self._vk: Any = None
        self._ok: Any = None
        self._max: Any = None
        self._channels: dict[str, tuple[str, list[Any]]] | None = None
        self._lock = threading.Lock()

    def answer(self, method: str, target: str, body: bytes, headers: dict[str, str] | None = None) -> Reply:
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path == "/robots.txt":
            return Reply(HTTPStatus.OK, ROBOTS, "text/plain; charset=utf-8")
        if path.startswith(VK_PREFIX) or path == OK_PATH:
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            params.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
            if path == OK_PATH:
                return json_reply(HTTPStatus.OK, self._standin("_ok", self._build_ok).handle(params))
            return self._vk_method(path[len(VK_PREFIX):], params)
        if path.startswith(MAX_PREFIX):
            status, answer, extra = self._standin("_max", self._build_max).handle(
                method, "/" + path[len(MAX_PREFIX):], dict(parse_qsl(parts.query)), headers or {})
            reply = json_reply(status, answer)
            reply.headers.update(extra)
            return reply
        if method != "GET":
            return Reply(HTTPStatus.METHOD_NOT_ALLOWED, NOT_FOUND_PAGE.encode())
        if path.startswith(TG_PAGE_PREFIX):
            return self._telegram_page(path[len(TG_PAGE_PREFIX):].strip("/"), parts.query)
        if path.startswith(TG_PREFIX):
            return self._telegram_link(path[len(TG_PREFIX):].strip("/"))
        if path.startswith(SITES_PREFIX):
            return self._static(path, parts.query)
        return not_found()

    # -- websites -------------------------------------------------------------------------

    def _static(self, path: str, query: str) -> Reply:
        site, _, rest = path[len(SITES_PREFIX):].partition("/")
        site_dir = (self.web_dir / site).resolve()
        if not site or site_dir.parent != self.web_dir or not site_dir.is_dir():
            return not_found()
        status_file = site_dir / STATUS_FILE
        if status_file.is_file():
            status = int(status_file.read_text(encoding="utf-8").strip())
            return Reply(status, ERROR_PAGE.format(status=status).encode())
        target = (site_dir / rest).resolve()
        if target != site_dir and site_dir not in target.parents:
            return not_found()
        if target.is_dir() and not path.endswith("/"):  # as Apache and nginx do
            location = quote(path + "/") + (f"?{query}" if query else "")
            return Reply(HTTPStatus.MOVED_PERMANENTLY, b"", headers={"Location": location})
        found = query_file(target, query)
        if found is None:
            return not_found()
        return Reply(HTTPStatus.OK, found.read_bytes(), media_type(found))

    # -- VK ----------------------------------------------------------------------------------

    def _vk_method(self, name: str, params: dict[str, str]) -> Reply:
        with self._lock:
            if self._vk is None:
                self._vk = self._build_vk()
        answer = self._vk.handle(name, params)
        return Reply(HTTPStatus.OK, json.dumps(answer, ensure_ascii=False).encode("utf-8"),
                     "application/json; charset=utf-8")

    def _build_vk(self) -> Any:
        from crawler.demo.vk_standin import VkStandin

        walls_raw = json.loads((self.sample_dir / "vk" / "walls.json").read_text(encoding="utf-8"))
        groups = json.loads((self.sample_dir / "vk" / "groups.json").read_text(encoding="utf-8"))
        return VkStandin({int(owner): items for owner, items in walls_raw.items()}, groups)

    # -- Одноклассники and MAX --------------------------------------------------------------

    def _standin(self, attribute: str, build: Any) -> Any:
        with self._lock:
            if getattr(self, attribute) is None:
                setattr(self, attribute, build())
            return getattr(self, attribute)

    def _build_ok(self) -> Any:
        from crawler.demo.ok_standin import OkGroup, OkStandin

        raw = json.loads((self.sample_dir / "ok" / "groups.json").read_text(encoding="utf-8"))
        groups = {gid: OkGroup(gid, group["name"], group["topics"]) for gid, group in raw.items()}
        return OkStandin(DEMO_OK_KEY, DEMO_OK_SECRET, DEMO_OK_TOKEN, groups)

    def _build_max(self) -> Any:
        from crawler.demo.max_standin import MaxChannel, MaxStandin

        raw = json.loads((self.sample_dir / "max" / "channels.json").read_text(encoding="utf-8"))
        channels = {int(chat): MaxChannel(int(chat), c["name"], c["title"], c["messages"], c["bot_added"])
                    for chat, c in raw.items()}
        return MaxStandin(DEMO_MAX_TOKEN, channels)

    # -- Telegram ----------------------------------------------------------------------------

    def _telegram_page(self, name: str, query: str) -> Reply:
        from crawler.demo.telegram_pages import render_channel_page

        channel = self._telegram_channels().get(name.lower())
        if channel is None:  # t.me/s of a name without a public post list ends up on t.me/<name>
            return Reply(HTTPStatus.FOUND, b"", headers={"Location": f"{TG_PREFIX}{quote(name)}"})
        before_raw = dict(parse_qsl(query)).get("before", "")
        before = int(before_raw) if before_raw.isdigit() else None
        title, messages = channel
        html = render_channel_page(name, title, messages, before, site=self.base_url + TG_PREFIX.rstrip("/"))
        return Reply(HTTPStatus.OK, html.encode("utf-8"))

    def _telegram_link(self, link: str) -> Reply:
        """t.me/<name> (the contact card) or t.me/<name>/<id> (one post: its place in the feed)."""
        name, _, post = link.partition("/")
        channel = self._telegram_channels().get(name.lower())
        if channel is not None and post.isdigit():
            location = f"{TG_PAGE_PREFIX}{quote(name)}?before={int(post) + 1}"
            return Reply(HTTPStatus.FOUND, b"", headers={"Location": location})
        if post or not name:
            return not_found()
        title = CONTACT_TITLE.format(title=html.escape(channel[0])) if channel is not None else ""
        return Reply(HTTPStatus.OK, CONTACT_PAGE.format(name=html.escape(name), title=title).encode())

    def _telegram_channels(self) -> dict[str, tuple[str, list[Any]]]:
        with self._lock:
            if self._channels is None:
                self._channels = load_telegram(self.sample_dir / "telegram")
            return self._channels


def load_telegram(folder: Path) -> dict[str, tuple[str, list[Any]]]:
    """telegram/<name>.json files -> name -> (title, DemoMessage list)."""
    from crawler.demo.telegram_pages import DemoMessage

    channels: dict[str, tuple[str, list[Any]]] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        messages = [DemoMessage(id=int(m["id"]), date=datetime.fromisoformat(m["date"]), text=m["text"],
                                views=int(m["views"]), photo=bool(m.get("photo", False)))
                    for m in data["messages"]]
        channels[path.stem.lower()] = (data["title"], messages)
    return channels


def query_file(target: Path, query: str) -> Path | None:
    """The file that answers a path and query string (sample/README.md, «Адреса и файлы»).

    Without a query: the file itself, or a directory's index file. With one: the file
    `<name>.<query>.<ext>` next to it, where `<name>` is the requested file name without
    its extension (`index` for a directory) and the query's parameters are sorted by name.
    """
    if not query:
        if target.is_file():
            return target
        if target.is_dir():
            return next((target / name for name in INDEX_FILES if (target / name).is_file()), None)
        return None
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    canonical = "&".join(f"{key}={value}" for key, value in pairs)
    folder, stem = (target, "index") if target.is_dir() else (target.parent, target.stem)
    if not folder.is_dir():
        return None
    prefix = f"{stem}.{canonical}."
    matches = sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(prefix)
                     and "." not in p.name[len(prefix):])
    return matches[0] if matches else None


def media_type(path: Path) -> str:
    """Content-Type of a sample file: a charset only when the bytes really are UTF-8."""
    kind = MEDIA_TYPES.get(path.suffix.lower(), DEFAULT_MEDIA_TYPE)
    if not kind.startswith(TEXT_TYPES):
        return kind
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return kind  # windows-1251 pages: the client has to find the encoding itself
    return f"{kind}; charset=utf-8"


def json_reply(status: int, answer: Any) -> Reply:
    return Reply(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def not_found() -> Reply:
    return Reply(HTTPStatus.NOT_FOUND, NOT_FOUND_PAGE.encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: SampleRoutes


class _Handler(BaseHTTPRequestHandler):
    """Moves bytes between the socket and `SampleRoutes`; quiet (no request log)."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self._reply(self.server.routes.answer("GET", self.path, b"", dict(self.headers)), send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server API
        self._reply(self.server.routes.answer("GET", self.path, b""), send_body=False)

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length") or 0)
        self._reply(self.server.routes.answer("POST", self.path, self.rfile.read(length), dict(self.headers)),
                    send_body=True)

    def _reply(self, reply: Reply, *, send_body: bool) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server API
        return


class DemoServer:
    """The running demo server; close it (or use it as a context manager) when done."""

    def __init__(self, sample_dir: Path, host: str, port: int) -> None:
        self.sample_dir = sample_dir
        self._httpd = _Server((host, port), _Handler)
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://{host}:{self.port}"
        self.routes = SampleRoutes(sample_dir, self.base_url)
        self._httpd.routes = self.routes
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="natmon-demo-server", daemon=True)
        self._thread.start()

    @property
    def netloc(self) -> str:
        """"127.0.0.1:PORT", what replaces `{server}` in the demo sources.yaml."""
        return f"{self.host}:{self.port}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_demo_server(sample_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    """Serve the sample region (crawler/demo/sample by default) on host:port (0: any free port)."""
    return DemoServer(sample_dir or SAMPLE_DIR, host, port)


def load_sources_text(server: DemoServer) -> str:
    """The demo sources.yaml with `{server}` replaced by the running server's host:port."""
    text = (server.sample_dir / SOURCES_FILE).read_text(encoding="utf-8")
    return text.replace(SERVER_PLACEHOLDER, server.netloc)
