"""URL normalisation and link classification."""

from __future__ import annotations

import pytest

from channels.web_urls import looks_like_article, normalize_url, onclick_url, resolve


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://School.Example/news/?utm_source=vk&utm_medium=post", "https://school.example/news"),
    ("https://school.example/news/1/?yclid=123&fbclid=abc#photo", "https://school.example/news/1"),
    ("https://school.example:443/a?b=2&a=1", "https://school.example/a?a=1&b=2"),
    ("http://school.example", "http://school.example/"),
    ("https://school.example//news//", "https://school.example/news"),
])
def test_normalize_url_strips_tracking_and_trailing_slash(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_relative_and_protocol_relative_links_resolve() -> None:
    assert resolve("//cdn.example/a.jpg", "https://school.example/news/") == "https://cdn.example/a.jpg"
    assert resolve("../files/p.pdf", "http://school.example/news/n1.htm") == "http://school.example/files/p.pdf"
    assert resolve("mailto:school@example.ru", "https://school.example/") is None
    assert resolve("javascript:void(0)", "https://school.example/") is None


def test_onclick_location_links_are_read() -> None:
    assert onclick_url("location.href='news.php?y=2017-2018&amp;n=460';") == "news.php?y=2017-2018&n=460"


@pytest.mark.parametrize(("url", "article"), [
    ("https://s.example/roditelyam/novosti/novosti_1003.html", True),
    ("https://s.example/2025/03/14/tochka-rosta/", True),
    ("https://s.example/news.php?y=2017-2018&n=460", True),
    ("https://s.example/news/?filter[115][Category]=9", False),
    ("https://s.example/news/?curPos=10", False),
    ("https://s.example/category/novosti/page/2/", False),
    ("https://s.example/files/prikaz.pdf", False),
])
def test_article_links_are_told_from_sections(url: str, article: bool) -> None:
    assert looks_like_article(url) is article
