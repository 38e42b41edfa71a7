"""A stand-in for the VK API, for the demo, tests and benchmarks.

`VkStandin.handle(method, params)` answers with the envelopes the real API sends
(`{"response": …}` or `{"error": {"error_code", "error_msg", "request_params"}}`) for
`wall.get`, `utils.resolveScreenName`, `groups.getById` (5.199 object form) and
`execute` in the plain list form natmon writes (`return [API.m({...}),...];`). It keeps
the per-token request rate (error 6), the daily `wall.get` quota (error 29), unknown
tokens (error 5), service tokens refused by `execute` (error 28) and closed walls
(error 15). `serve_vk` puts it on a loopback HTTP server at `/vk/method/<name>`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

METHOD_PATH = "/vk/method/"
RATE_WINDOW = 1.0  # seconds
SHUTDOWN_POLL = 0.05  # seconds; how quickly `server.shutdown()` returns
EXECUTE_CALL = re.compile(r"\s*API\.([A-Za-z]+\.[A-Za-z]+)\(")
EXECUTE_MAX_CALLS = 25
MESSAGES = {
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    15: "Access denied: this wall available only for community members",
    28: "Application authorization failed: method is unavailable with service token.",
    29: "Rate limit reached",
    100: "One of the parameters specified was missing or invalid: owner_id is undefined",
}


class VkStandin:
    """A pure request handler that plays the VK API for the given walls and communities."""

    def __init__(self, walls: dict[int, list[dict[str, Any]]], groups: dict[str, dict[str, Any]],
                 rps_limit: float | None = 3.0, daily_quota: int | None = 5000,
                 valid_tokens: set[str] | None = None, service_tokens: Iterable[str] = frozenset()) -> None:
        self.walls = walls
        self.groups = groups  # by lowercase screen name; "type": "user" makes a name resolve to a user
        self.rps_limit = rps_limit
        self.daily_quota = daily_quota
        self.valid_tokens = valid_tokens
        self.service_tokens = frozenset(service_tokens)
        self.calls: list[tuple[str, dict[str, str]]] = []  # every request, for tests
        self.errors: list[int] = []  # every error code answered, top level and inside execute
        self.faults: dict[tuple[str, int | None], deque[int]] = defaultdict(deque)  # error codes to answer next
        self.wall_get_used: dict[str, int] = defaultdict(int)
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def inject(self, method: str, *codes: int, owner_id: int | None = None) -> None:
        """Make the next calls of `method` (for this wall only, given `owner_id`) fail with these codes."""
        self.faults[(method, owner_id)].extend(codes)

    def _fault(self, method: str, params: dict[str, Any]) -> int | None:
        owner = params.get("owner_id")
        for key in ((method, int(owner)) if owner not in (None, "") else None, (method, None)):
            if key is not None and self.faults.get(key):
                return self.faults[key].popleft()
        return None

    def handle(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        """Answer one API request with the envelope VK would send."""
        with self._lock:
            self.calls.append((method, dict(params)))
            token = params.get("access_token", "")
            if self.valid_tokens is not None and token not in self.valid_tokens:
                return self._error(5, method, params)
            if self.rps_limit is not None and not self._within_rate(token):
                return self._error(6, method, params)
            if method == "execute":
                fault = self._fault(method, params)
                if fault is not None:
                    return self._error(fault, method, params)
                if token in self.service_tokens:
                    return self._error(28, method, params)
                return self._execute(params.get("code", ""), token, params)
            return self._call(method, params, token)

    # -- methods --------------------------------------------------------------------------

    def _call(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        fault = self._fault(method, params)
        if fault is not None:
            return self._error(fault, method, params)
        if method == "wall.get":
            if self.daily_quota is not None and self.wall_get_used[token] >= self.daily_quota:
                return self._error(29, method, params)
            self.wall_get_used[token] += 1
            return self._wall_get(params)
        if method == "utils.resolveScreenName":
            group = self.groups.get(str(params.get("screen_name", "")).lower())
            if group is None:
                return {"response": []}
            kind = group.get("type", "group")
            return {"response": {"type": "user" if kind == "user" else kind, "object_id": group["id"]}}
        if method == "groups.getById":
            return self._groups_get_by_id(params)
        return self._error(3, method, params, "Unknown method passed")

    def _wall_get(self, params: dict[str, Any]) -> dict[str, Any]:
        owner_id = int(params.get("owner_id") or 0)
        group = self._group_by_id(-owner_id)
        if owner_id not in self.walls and group is None:
            return self._error(100, "wall.get", params)
        if group is not None and (group.get("is_closed") or group.get("deactivated")):
            return self._error(15, "wall.get", params)
        items = self.walls.get(owner_id, [])
        ordered = [i for i in items if i.get("is_pinned")] + [i for i in items if not i.get("is_pinned")]
        offset, count = int(params.get("offset") or 0), min(int(params.get("count") or 20), 100)
        return {"response": {"count": len(items), "items": ordered[offset:offset + count]}}

    def _groups_get_by_id(self, params: dict[str, Any]) -> dict[str, Any]:
        wanted = [part for part in str(params.get("group_ids") or params.get("group_id") or "").split(",") if part]
        found = []
        for key in wanted:
            group = self._group_by_id(int(key)) if key.isdigit() else self.groups.get(key.lower())
            if group is not None and group.get("type") != "user":
                found.append(group)
        if not found:
            return self._error(100, "groups.getById", params, "One of the parameters specified was missing or "
                                                              "invalid: group_ids is invalid")
        return {"response": {"groups": found, "profiles": []}}

    def _execute(self, code: str, token: str, params: dict[str, str]) -> dict[str, Any]:
        calls = parse_execute_code(code)
        if calls is None or len(calls) > EXECUTE_MAX_CALLS:
            return self._error(12, "execute", params, "Unable to compile code")
        results: list[Any] = []
        errors: list[dict[str, Any]] = []
        for method, inner in calls:
            answer = self._call(method, {k: str(v) for k, v in inner.items()}, token)
            if "error" in answer:
                results.append(False)
                error = answer["error"]
                errors.append({"method": method, "error_code": error["error_code"], "error_msg": error["error_msg"]})
            else:
                results.append(answer["response"])
        envelope: dict[str, Any] = {"response": results}
        if errors:
            envelope["execute_errors"] = errors
        return envelope

    # -- helpers --------------------------------------------------------------------------

    def _group_by_id(self, group_id: int) -> dict[str, Any] | None:
        return next((g for g in self.groups.values() if int(g["id"]) == group_id and g.get("type") != "user"), None)

    def _within_rate(self, token: str) -> bool:
        now = time.monotonic()
        recent = self._recent[token]
        while recent and recent[0] <= now - RATE_WINDOW:
            recent.popleft()
        if len(recent) >= (self.rps_limit or 0):
            return False
        recent.append(now)
        return True

    def _error(self, code: int, method: str, params: dict[str, Any], message: str | None = None) -> dict[str, Any]:
        self.errors.append(code)
        shown = [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}]
        shown += [{"key": k, "value": str(v)} for k, v in params.items() if k not in ("access_token", "code")]
        return {"error": {"error_code": code, "error_msg": message or MESSAGES.get(code, "Unknown error occurred"),
                          "request_params": shown}}


def parse_execute_code(code: str) -> list[tuple[str, dict[str, Any]]] | None:
    """Read `return [API.m({...}),API.m({...})];`; None when the code has another form."""
    text = code.strip()
    if not (text.startswith("return [") and text.endswith("];")):
        return None
    body, position, calls = text[len("return ["):-2], 0, []
    decoder = json.JSONDecoder()
    while position < len(body):
        match = EXECUTE_CALL.match(body, position)
        if not match:
            return None
        try:
            params, position = decoder.raw_decode(body, match.end())
        except json.JSONDecodeError:
            return None
        if not body.startswith(")", position) or not isinstance(params, dict):
            return None
        calls.append((match.group(1), params))
        position += 1
        if body.startswith(",", position):
            position += 1
    return calls


def serve_vk(handler: VkStandin, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve `handler` at `http://host:port/vk/method/<name>` in a daemon thread.

    Returns the server (call `shutdown()` and `server_close()` when done) and the base
    URL to put in `vk_api_url`.
    """

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body: bytes) -> None:
            url = urlsplit(self.path)
            if not url.path.startswith(METHOD_PATH):
                self.send_error(404)
                return
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            data = json.dumps(handler.handle(url.path[len(METHOD_PATH):], params), ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self._answer(b"")

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
            return

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL}, name="vk-standin",
                     daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}{METHOD_PATH}"
