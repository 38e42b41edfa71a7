"""Serve the static test sites of tests/data/web/sites through respx, by the README's mapping."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import httpx
import respx

SITES = Path(__file__).parent.parent / "data" / "web" / "sites"
TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html", ".xml": "application/xml"}


def static_file(site: Path, path: str, query: str) -> Path:
    """The file a URL maps to: a folder URL is its index.html; a query is appended as `name?query`."""
    relative = unquote(path).lstrip("/")
    target = site / relative
    if not relative or relative.endswith("/") or target.is_dir():
        target = target / "index.html"
    if query:
        target = target.with_name(f"{target.name}?{query}")
    return target


def mount_site(router: respx.MockRouter, name: str, base_url: str) -> Counter[str]:
    """Route every request to `base_url` to the files of site `name`; returns a counter of paths asked."""
    site = SITES / name
    asked: Counter[str] = Counter()

    def serve(request: httpx.Request) -> httpx.Response:
        path, query = request.url.path, request.url.query.decode()
        asked[path + (f"?{query}" if query else "")] += 1
        if path == "/robots.txt":
            return httpx.Response(404)
        target = static_file(site, path, query)
        if not target.is_file():
            return httpx.Response(404, text="Not found")
        suffix = target.suffix if "?" not in target.name else Path(target.name.split("?")[0]).suffix
        content_type = TYPES.get(suffix, "text/html")
        return httpx.Response(200, content=target.read_bytes(), headers={"Content-Type": content_type})

    router.route(host=httpx.URL(base_url).host).mock(side_effect=serve)
    return asked


def test_static_mapping_documented_in_the_readme() -> None:
    gosweb = SITES / "gosweb"
    assert static_file(gosweb, "/", "") == gosweb / "index.html"
    assert static_file(gosweb, "/roditelyam-i-uchenikam/novosti/", "curPos=3") == \
        gosweb / "roditelyam-i-uchenikam/novosti/index.html?curPos=3"
    assert static_file(gosweb, "/roditelyam-i-uchenikam/novosti/", "curPos=3").is_file()
    assert static_file(SITES / "joomla", "/", "format=feed&type=rss").is_file()
    assert static_file(SITES / "ucoz", "/news/lyzhnya_semeynaya/2025-03-02-41", "").is_file()
    assert static_file(SITES / "wordpress", "/feed/", "").is_file()
