"""A school's server turned hostile, on loopback: a gzip bomb, a trickle, a redirect inward.

Used beside the simulated region (tests/faults/conftest.py): its channels are added to the
region's sources.yaml, so one crawl shows the hostile channel failing and the others going on.
"""

from __future__ import annotations

import threading
import time
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from benchmarks.simregion.model import Region
from benchmarks.simregion.sources import sources_data

BOMB_DECODED = 300 * 1024 * 1024  # bytes of zeros the bomb expands to
TRICKLE_EVERY = 0.2  # seconds between the trickle's bytes
TRICKLE_FOR = 60.0  # the trickle gives up after this long (a client without a deadline waits it out)
NESTING = 100_000  # divs around the messages of the unreadable t.me page
MESSAGES = 5


def telegram_page(name: str, nested: int = 0) -> bytes:
    """A t.me/s page of MESSAGES messages (our own words), inside `nested` divs."""
    messages = "".join(
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
        f'text_not_supported_wrap js-widget_message" data-post="{name}/{number}"><div class="tgme_widget_message_text '
        f'js-message_text">Новость школы номер {number}: прошёл субботник.</div><div class="tgme_widget_message_footer">'
        f'<a class="tgme_widget_message_date" href="https://t.me/{name}/{number}"><time datetime="2026-11-2{number}'
        f'T10:00:00+00:00" class="time">10:00</time></a></div></div></div>' for number in range(1, MESSAGES + 1))
    return (f'<!DOCTYPE html><html><body><div class="tgme_channel_info"><div class="tgme_channel_info_header_title">'
            f'{name}</div></div><section class="tgme_channel_history js-message_history">{"<div>" * nested}'
            f'{messages}{"</div>" * nested}</section></body></html>').encode()


@cache
def gzip_bomb() -> bytes:
    """About 300 KB of gzip that expands to 300 MB (made once per test session)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    megabyte = bytes(1024 * 1024)
    parts = [squeeze.compress(megabyte) for _ in range(BOMB_DECODED // len(megabyte))]
    parts.append(squeeze.flush())
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append(self.path)
        if self.path.endswith("/robots.txt"):
            self._send(404, b"", {})
        elif self.path.startswith("/bomb"):
            self._send(200, gzip_bomb(), {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        elif self.path.startswith("/to-private"):
            self._send(302, b"", {"Location": self.server.private_target})
        elif self.path.startswith("/trickle"):
            self._trickle()
        elif self.path.startswith("/s/"):  # t.me/s/<name>: "unreadable…" channels are buried in divs
            name = self.path[3:].split("?")[0]
            self._send(200, telegram_page(name, NESTING if name.startswith("unreadable") else 0),
                       {"Content-Type": "text/html; charset=utf-8"})
        else:
            self._send(404, b"", {})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: what it should do
            pass

    def _trickle(self) -> None:
        """A page of 1,000 bytes sent one byte every TRICKLE_EVERY seconds: no read ever times out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        began = time.monotonic()
        try:
            while time.monotonic() - began < TRICKLE_FOR and not self.server.stopping.is_set():
                self.wfile.write(b" ")
                self.wfile.flush()
                self.server.stopping.wait(TRICKLE_EVERY)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, private_target: str = "http://10.20.30.41/") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.private_target = private_target
        self.requests: list[str] = []
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)


def sources_with(region: Region, port: int, path: Path, websites: dict[str, str],
                 settings: dict[str, object] | None = None) -> Path:
    """The simulated region's sources.yaml with one more municipality: an institution per hostile site."""
    data = sources_data(region, port, settings)
    data["municipalities"].append({  # type: ignore[union-attr]
        "name": "Район враждебных серверов", "authority": "Управление образования (тест)",
        "institutions": [{"name": name, "kind": "school", "channels": [{"website": url}]}
                         for name, url in websites.items()]})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
