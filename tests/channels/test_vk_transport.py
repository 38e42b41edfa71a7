"""The vk_api boundary: base URL override, API version, error envelopes, translated exceptions."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from channels.vk_transport import VkAnswerTooLarge, VkTransport, VkTransportError

SECRET = "vk1.a.transport-secret"


class Recorder(BaseHTTPRequestHandler):
    """Answers with the class attributes `status` and `body`; remembers the last request."""

    status = 200
    body = b'{"response": {"count": 0, "items": []}}'
    headers_out: dict[str, str] = {}
    seen: list[tuple[str, dict[str, list[str]]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        length = int(self.headers.get("Content-Length") or 0)
        Recorder.seen.append((self.path, parse_qs(self.rfile.read(length).decode())))
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(self.body)))
        for name, value in self.headers_out.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet in tests
        return


@pytest.fixture
def base_url() -> Iterator[str]:
    Recorder.status, Recorder.body, Recorder.seen = 200, b'{"response": {"count": 0, "items": []}}', []
    Recorder.headers_out = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/vk/method/"
    finally:
        server.shutdown()
        server.server_close()


async def test_calls_go_to_the_configured_base_url_with_the_pinned_version(base_url: str) -> None:
    transport = VkTransport.create(1, SECRET, base_url, "5.199")
    assert await transport.call("wall.get", {"owner_id": -5, "count": 100}) == {"response": {"count": 0,
                                                                                             "items": []}}
    path, form = Recorder.seen[0]
    assert path == "/vk/method/wall.get"
    assert form["v"] == ["5.199"] and form["owner_id"] == ["-5"] and form["access_token"] == [SECRET]
    assert SECRET not in repr(transport)


async def test_api_errors_come_back_as_envelopes_without_the_token(base_url: str) -> None:
    Recorder.body = json.dumps({"error": {"error_code": 5, "error_msg": "User authorization failed",
                                          "request_params": [{"key": "access_token", "value": SECRET},
                                                             {"key": "method", "value": "wall.get"}]}}).encode()
    envelope = await VkTransport.create(2, SECRET, base_url, "5.199").call("wall.get", {"owner_id": -5})
    assert envelope["error"]["error_code"] == 5 and SECRET not in json.dumps(envelope)


@pytest.mark.parametrize(("status", "body", "words"), [(502, b"Bad Gateway", "HTTP 502"),
                                                       (200, b"<html>not json</html>", "недоступен")])
async def test_http_failures_become_transport_errors(base_url: str, status: int, body: bytes, words: str) -> None:
    Recorder.status, Recorder.body = status, body
    with pytest.raises(VkTransportError, match=words) as caught:
        await VkTransport.create(3, SECRET, base_url, "5.199").call("wall.get", {"owner_id": -5})
    assert caught.value.__cause__ is not None
    assert SECRET not in repr(vars(caught.value.__cause__)) and SECRET not in str(caught.value.__cause__)


async def test_unreachable_api_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(VkTransportError, match="недоступен") as caught:
        await VkTransport.create(4, SECRET, f"http://127.0.0.1:{port}/vk/method/", "5.199").call("wall.get", {})
    assert SECRET not in repr(vars(caught.value.__cause__))


async def test_an_answer_over_the_cap_after_decompression_is_refused_once(base_url: str) -> None:
    items = [{"id": i, "text": "Новость " * 50} for i in range(10_000)]  # ~6 MB of JSON, ~60 KB of gzip
    Recorder.body = gzip.compress(json.dumps({"response": {"count": 10_000, "items": items}}).encode())
    Recorder.headers_out = {"Content-Encoding": "gzip"}
    assert len(Recorder.body) < 1024 * 1024
    transport = VkTransport.create(1, SECRET, base_url, "5.199", max_bytes=1024 * 1024)
    with pytest.raises(VkAnswerTooLarge) as caught:
        await transport.call("wall.get", {"owner_id": -5, "count": 100})
    assert "больше допустимого размера (1048576 байт после распаковки" in caught.value.message
    assert caught.value.permanent and SECRET not in caught.value.message


async def test_an_answer_within_the_cap_is_read_as_before(base_url: str) -> None:
    Recorder.body = gzip.compress(b'{"response": {"count": 1, "items": [{"id": 1}]}}')
    Recorder.headers_out = {"Content-Encoding": "gzip"}
    transport = VkTransport.create(1, SECRET, base_url, "5.199", max_bytes=1024)
    assert await transport.call("wall.get", {"owner_id": -5}) == {"response": {"count": 1, "items": [{"id": 1}]}}
