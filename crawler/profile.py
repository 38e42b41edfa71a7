"""Where a crawl's time goes, when NATMON_PROFILE names a file (off otherwise, and then free).

Phases (wall seconds): setup (registry sync), fetch (all channels), match. Inside fetch,
summed over concurrent channels: channel seconds per kind, store seconds, HTTP wire and
politeness waits (from PoliteClient), and the CPU seconds of the adapters' pure parsers,
which are wrapped with timers for the run. Written as JSON and summarised in one line.
"""

from __future__ import annotations

import functools
import importlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

# Adapter module -> the parser names it calls through its own namespace.
PARSERS: dict[str, tuple[str, ...]] = {
    "channels.website": ("parse_listing", "parse_article", "parse_feed_entries", "parse_sitemap", "decode_html",
                         "parse_html", "find_feeds", "find_news_pages", "detect_cms", "looks_like_feed"),
    "channels.telegram": ("parse_channel_page", "check_channel_page"),
    "channels.vk": ("parse_wall",),
}


@dataclass(slots=True)
class Profile:
    enabled: bool = False
    times: dict[str, float] = field(default_factory=dict)
    http: dict[str, float] = field(default_factory=dict)
    _cpu_start: float = field(default_factory=time.process_time)

    def add(self, key: str, value: float) -> None:
        if self.enabled:
            self.times[key] = self.times.get(key, 0.0) + value

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Wall seconds of a phase, and the CPU the event-loop thread spent in it."""
        wall, cpu = time.monotonic(), time.thread_time()
        try:
            yield
        finally:
            self.add(f"{name}_s", time.monotonic() - wall)
            self.add(f"{name}_loop_cpu_s", time.thread_time() - cpu)

    @contextmanager
    def timed(self, key: str) -> Iterator[None]:
        began = time.monotonic()
        try:
            yield
        finally:
            self.add(f"{key}_s", time.monotonic() - began)

    @contextmanager
    def instrumented(self) -> Iterator[None]:
        """Time the adapters' parsers for this run; restore them afterwards."""
        if not self.enabled:
            yield
            return
        saved: list[tuple[Any, str, Any]] = []
        for module_name, names in PARSERS.items():
            module = importlib.import_module(module_name)
            kind = module_name.rsplit(".", 1)[1]
            for name in names:
                original = getattr(module, name)
                saved.append((module, name, original))
                setattr(module, name, self._timer(original, f"parse_cpu_s.{kind}"))
        try:
            yield
        finally:
            for module, name, original in saved:
                setattr(module, name, original)

    def _timer(self, function: Callable[..., Any], key: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(key, time.thread_time() - began)
        return timed

    def as_dict(self, channels: int) -> dict[str, Any]:
        data: dict[str, Any] = {"channels": channels, "process_cpu_s": round(time.process_time() - self._cpu_start, 1)}
        for key, value in sorted(self.times.items()):
            group, _, kind = key.partition(".")
            if kind:
                data.setdefault(group, {})[kind] = round(value, 2)
            else:
                data[key] = round(value, 2)
        data["http"] = self.http
        return data

    def write(self, path: str, channels: int) -> str:
        """Write the JSON file; return the one-line Russian summary for the crawl report."""
        data = self.as_dict(channels)
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        parse = sum(data.get("parse_cpu_s", {}).values())
        return (f"Профиль обхода ({path}): подготовка {data.get('setup_s', 0):.1f} с, обход "
                f"{data.get('fetch_s', 0):.1f} с, разметка {data.get('match_s', 0):.1f} с; процессор "
                f"{data['process_cpu_s']:.1f} с, из них разбор страниц {parse:.1f} с; запросов "
                f"{self.http.get('requests', 0)}, ожидание вежливости {self.http.get('host_wait_s', 0):.0f} с, "
                f"в сети {self.http.get('wire_s', 0):.0f} с, запись в хранилище {data.get('store_s', 0):.0f} с "
                "(секунды каналов, суммарно).")
