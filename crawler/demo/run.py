"""`natmon demo`: the whole pipeline on the sample region, served on 127.0.0.1, no tokens needed."""

from __future__ import annotations

import asyncio
import errno
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from crawler import settings as config
from crawler.demo.server import (DEMO_MAX_TOKEN, DEMO_OK_KEY, DEMO_OK_SECRET, DEMO_OK_TOKEN, DemoServer,
                                 load_sources_text, start_demo_server)
from crawler.job import CrawlOptions, crawl
from crawler.progress import print_summary
from crawler.registry import Registry, load
from crawler.store import Store
from reports import write_draft, write_region_pages
from reports.api import file_name
from reports.periods import current_period

DEMO_VK_TOKEN = "demo-token"  # the stand-in accepts it; real tokens come only from NATMON_VK_TOKENS
# A fixed port: the sample sites' addresses contain it, and a second demo run must find the
# same channels in its store (so it adds nothing). When it is taken (another demo on a shared
# machine), the demo takes any free port and says which.
DEMO_PORT = 8738


class DemoError(Exception):
    """The demo cannot start; the message is Russian."""


def demo_settings(registry: Registry, db: Path, base_url: str) -> config.Settings:
    """Production settings pointed at the local stand-ins instead of the real services."""
    settings = config.from_yaml(config.Settings(db=str(db)), registry.settings)
    channels = replace(settings.channels, vk_api_url=f"{base_url}/vk/method/", telegram_url=f"{base_url}/tg",
                       vk_tokens=(DEMO_VK_TOKEN,), ok_api_url=f"{base_url}/ok/fb.do", ok_application_key=DEMO_OK_KEY,
                       ok_secret_key=DEMO_OK_SECRET, ok_access_token=DEMO_OK_TOKEN, ok_rate_limit_wait=0.1,
                       max_api_url=f"{base_url}/max", max_bot_token=DEMO_MAX_TOKEN)
    return replace(settings, channels=channels)


def run_demo(output_dir: Path, port: int = DEMO_PORT) -> list[Path]:
    """Serve the sample region, crawl it, write previews and drafts; returns the files written."""
    output_dir.mkdir(parents=True, exist_ok=True)
    server = start_server(port)
    with server:
        sources = output_dir / "sources.yaml"
        sources.write_text(load_sources_text(server), encoding="utf-8")
        registry = load(sources)
        settings = demo_settings(registry, output_dir / "natmon.db", server.base_url)
        store = Store.open(settings.db)
        try:
            print(f"Демонстрационный регион: {registry.region}; локальный сервер {server.base_url}")
            summary = asyncio.run(crawl(store, registry, settings, CrawlOptions()))
            print_summary(summary)
            written = write_reports(store, registry, output_dir)
        finally:
            store.close()
    print("Файлы:")
    for path in written:
        print(f"  {path}")
    return written


def start_server(port: int) -> DemoServer:
    """The demo server on `port`, or on a free port (said aloud) when that one is taken."""
    try:
        return start_demo_server(port=port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise DemoError(f"Не удалось запустить демо-сервер на 127.0.0.1:{port} ({exc.strerror}).") from exc
    try:
        server = start_demo_server(port=0)
    except OSError as exc:
        raise DemoError(f"Порт {port} занят, а свободный порт на 127.0.0.1 найти не удалось ({exc.strerror}).") \
            from exc
    print(f"Порт {port} занят (вероятно, другим natmon demo); демо-сервер запущен на свободном порту "
          f"{server.port}. Чтобы повторный запуск нашёл те же каналы, укажите --port {server.port}.")
    return server


def write_reports(store: Store, registry: Registry, output_dir: Path) -> list[Path]:
    """The region page with a preview per municipality, and a draft report per municipality.

    The sample campaign is over, so the demo shows its last period (the one running today when
    the campaign is current).
    """
    campaign = registry.campaign(None, datetime.now(registry.timezone).date())
    period = current_period(campaign, datetime.now(registry.timezone).date())
    written = write_region_pages(store, registry, campaign, period, output_dir / "region.html")
    for municipality in registry.municipalities:
        name = file_name("draft", municipality.name, period, "xlsx")
        written.append(write_draft(store, registry, campaign, municipality.name, period, output_dir / name))
    return written
