"""What a school's home page tells about where its news are and which other channels it runs."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import lxml.html

from channels.web_html import parse_html
from channels.web_urls import normalize_url, onclick_url, resolve, same_site

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml")
# Menu captions of a news section, best first, with their scores.
NEWS_CAPTIONS = (
    (re.compile(r"^(?:все\s+)?новости(?:\s+школы|\s+сада|\s+колледжа|\s+учреждения)?$"), 10),
    (re.compile(r"^лента\s+новостей$|^архив\s+новостей$|^новости\s+и\s+(?:события|объявления)$"), 9),
    (re.compile(r"^(?:наши\s+)?новости\b|\bновости$"), 7),
    (re.compile(r"^события$|^школьные\s+события$|^новости\s+и\s+мероприятия$"), 5),
    (re.compile(r"^объявления$"), 3),
)
MAX_NEWS_CANDIDATES = 3
CMS_MARKERS = (
    ("gosweb", re.compile(r"gosweb\.gosuslugi\.ru|/netcat_files/|gw-top-nav|tpl-block-list", re.I)),
    ("wordpress", re.compile(r"/wp-content/|/wp-includes/|content=.WordPress", re.I)),
    ("joomla", re.compile(r"content=.Joomla|/media/jui/|/components/com_|option=com_content", re.I)),
    ("bitrix", re.compile(r"/bitrix/(?:templates|js|cache|components)/|BX\.setJSList|bitrix_sessid", re.I)),
    ("ucoz", re.compile(r"\.ucoz\.(?:net|ru|org)|uCoz|narod\.ru/|\.do\.am", re.I)),
)

# Social links: (kind, host pattern). Share buttons and service pages are not channels.
SOCIAL_HOSTS = {"vk": ("vk.com", "vk.ru", "m.vk.com", "m.vk.ru", "www.vk.com", "new.vk.com"),
                "telegram": ("t.me", "telegram.me", "www.t.me", "telegram.dog"),
                "ok": ("ok.ru", "www.ok.ru", "m.ok.ru", "odnoklassniki.ru", "www.odnoklassniki.ru"),
                "max": ("max.ru", "www.max.ru")}
VK_SERVICE = re.compile(r"^(?:share\.php|widget_\w+\.php|away\.php|js|images|doc|login|feed|im|search|app\d+|"
                        r"apps|video|audios?|music|clips?|photos?|album|topic-|board|pages|dev|support|"
                        r"settings|friends|groups|ads|legal|terms|privacy|about|blog|jobs|id0)", re.I)
TG_SERVICE = re.compile(r"^(?:share|joinchat|addstickers|addemoji|proxy|socks|iv|setlanguage|login|\+)", re.I)
MAX_SERVICE = re.compile(r"^(?:join|app|apps|download|help|legal|privacy|terms|business|partners|dev|$)", re.I)
MAX_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,63}$")
OK_SERVICE = re.compile(r"^(?:dk|share|oauth|app|game|video|music|feed|messages|settings|help)(?:$|[/?])", re.I)
VK_WALL_RE = re.compile(r"^(?:wall|photo|video|album|topic)-(\d+)_\d+", re.I)
VK_NAME_RE = re.compile(r"^[A-Za-z0-9_.]{2,64}$")
TG_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def detect_cms(html: str, url: str) -> str | None:
    """The engine a site runs on, from markers in its home page (None when unknown)."""
    haystack = url + "\n" + html[:200_000]
    for name, pattern in CMS_MARKERS:
        if pattern.search(haystack):
            return name
    return None


def find_feeds(root: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """Feeds the page announces with <link rel="alternate">, comment feeds left out."""
    feeds = []
    for link in root.iter("link", "a"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = resolve(link.get("href"), base_url)
        if url and "comment" not in url.lower() and url not in feeds:
            feeds.append(url)
    return feeds


def find_news_pages(root: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """Addresses of the news section from menu captions («Новости», «Новости школы», «События» …), best first."""
    scored: dict[str, int] = {}
    home = normalize_url(base_url)
    for node in root.iter("a", "div", "li", "span", "td"):
        href = node.get("href") if node.tag == "a" else onclick_url(node.get("onclick"))
        url = resolve(href, base_url)
        if url is None or not same_site(url, base_url) or normalize_url(url) == home:
            continue
        caption = " ".join(node.text_content().split()).lower().strip(" »›>:")
        score = next((points for pattern, points in NEWS_CAPTIONS if pattern.search(caption)), 0)
        if score and len(caption) <= 40:
            if re.search(r"news|novost", url, re.I):
                score += 1
            scored[url] = max(score, scored.get(url, 0))
    ranked = sorted(scored, key=lambda url: -scored[url])
    return ranked[:MAX_NEWS_CANDIDATES]


def discover_channels(html: str, base_url: str) -> dict[str, list[str]]:
    """VK, Telegram, Одноклассники and MAX addresses linked from a site (share buttons left out).

    Addresses are in the form sources.yaml keeps: VK "club123" or a screen name, Telegram the
    channel name, Одноклассники "https://ok.ru/<path>", MAX "https://max.ru/<name>".
    """
    root = parse_html(html)
    found: dict[str, list[str]] = {"vk": [], "telegram": [], "ok": [], "max": []}
    for link in root.iter("a"):
        url = resolve(link.get("href"), base_url)
        if url is None:
            continue
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = parts.path.strip("/")
        for kind, hosts in SOCIAL_HOSTS.items():
            if host in hosts:
                address = _address(kind, path, parts.query)
                if address and address not in found[kind]:
                    found[kind].append(address)
    return found


def _address(kind: str, path: str, query: str) -> str | None:
    first = path.split("/")[0] if path else ""
    if kind == "vk":
        wall = VK_WALL_RE.match(first)
        if wall:
            return f"club{wall.group(1)}"
        if not first or VK_SERVICE.match(first) or "." in first and first.endswith(".php"):
            return None
        return first.lower() if VK_NAME_RE.match(first) else None
    if kind == "telegram":
        if first == "s" and "/" in path:
            first = path.split("/")[1]
        if not first or TG_SERVICE.match(first) or not TG_NAME_RE.match(first):
            return None
        return first.lower()
    if kind == "max":
        return f"https://max.ru/{first}" if first and not MAX_SERVICE.match(first) and MAX_NAME_RE.match(first) \
            else None
    if not path or OK_SERVICE.match(path) or dict(parse_qsl(query)).get("st.cmd"):
        return None
    segments = path.split("/")
    keep = segments[:2] if segments[0] in ("group", "profile") else segments[:1]
    return "https://ok.ru/" + "/".join(keep)
