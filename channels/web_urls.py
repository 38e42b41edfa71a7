"""URLs of school websites: normalising, resolving and classifying links."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track a visit; the same news under them is the same news.
TRACKING_PARAMS = frozenset({
    "yclid", "fbclid", "gclid", "dclid", "msclkid", "_openstat", "from", "ref", "utm", "_ga",
    "ysclid", "etext", "vkclid", "igshid", "mc_cid", "mc_eid",
})
TRACKING_PREFIXES = ("utm_",)
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".rtf", ".ppt", ".pptx",
                       ".zip", ".rar", ".7z")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".tif", ".tiff")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#", "skype:", "viber:", "whatsapp:")
ONCLICK_URL_RE = re.compile(r"""(?:location(?:\.href)?|window\.open)\s*(?:=|\()\s*['"]([^'"]+)['"]""")
DEFAULT_PORTS = {"http": 80, "https": 443}
# A link that carries an object id: Gosweb `_6946.html`, WordPress `/2025/01/13/`, `?p=12`, `news.php?n=460`.
ARTICLE_ID_RE = re.compile(r"(?:_\d+\.html?$|/\d{4}/\d{1,2}/|[?&](?:p|id|n|news_id|ELEMENT_ID|ID)=\d+|"
                           r"\d{4}-\d{2}-\d{2}-\d+|/\d{2,}(?:[-_/.]|$)|[-_]\d{2,}(?:\.html?|/)?$)", re.I)
NEWS_WORD_RE = re.compile(r"news|novost|novosti|sobyti|meropr|obyavl|anons|blog|press|article|stati|post",
                          re.I)
PAGED_PATH_RE = re.compile(r"/(?:page|stranitsa)[/-]?\d+/?$|/\?page\d+$", re.I)
NAVIGATION_KEYS = ("filter", "tag", "category", "sort", "order", "print", "lang", "search", "q")
NAVIGATION_PATH_RE = re.compile(r"/(?:tag|tags|category|author|rubric|rubrika|search|print)/", re.I)
PAGINATION_QUERY_KEYS = ("curpos", "page", "start", "limitstart", "pagen_1", "pagen_2", "paged", "cur_cc")


def normalize_url(url: str) -> str:
    """The one spelling of a URL: lower-case host, no default port, no fragment,
    no tracking parameters, sorted query, no trailing slash (except the root)."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except UnicodeError:
        pass
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(key)]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, safe="/[]:,"), ""))


def _is_tracking(key: str) -> bool:
    low = key.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def resolve(href: str | None, base_url: str) -> str | None:
    """An absolute http(s) URL for a link as written on a page, or None for anchors, mail, scripts."""
    if not href:
        return None
    href = href.strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href.lower().startswith(SKIP_SCHEMES):
        return None
    try:
        absolute = urljoin(base_url, href)
        urlsplit(absolute)  # "http://[::1" and the like: unusable, not an error of the page
    except ValueError:
        return None
    if not absolute.lower().startswith(("http://", "https://")):
        return None
    return absolute.split("#", 1)[0]


def onclick_url(onclick: str | None) -> str | None:
    """The address in `onclick="location.href='news.php?n=1'"`, as hand-made sites write links."""
    if not onclick:
        return None
    found = ONCLICK_URL_RE.search(onclick)
    return found.group(1).replace("&amp;", "&") if found else None


def host_of(url: str) -> str:
    """Host without `www.`, for same-site checks."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, base_url: str) -> bool:
    return host_of(url) == host_of(base_url)


def site_root(url: str) -> str:
    """`https://host/` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def is_image(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS)


def looks_like_article(url: str, listing_url: str | None = None) -> bool:
    """Whether a same-site link plausibly leads to one news item (not a section or a file)."""
    parts = urlsplit(url)
    if is_document(url) or is_image(url):
        return False
    if is_navigation(url):
        return False
    target = parts.path + ("?" + parts.query if parts.query else "")
    if ARTICLE_ID_RE.search(target):
        return True
    if listing_url:
        base_path = urlsplit(listing_url).path.rstrip("/")
        path = parts.path.rstrip("/")
        if base_path and path.startswith(base_path + "/") and len(path) > len(base_path) + 1:
            return True
    return False


def is_navigation(url: str) -> bool:
    """A filter, tag, category, author, print or pager link: never one news item."""
    parts = urlsplit(url)
    keys = {key.lower() for key, _ in parse_qsl(parts.query)}
    if keys & set(PAGINATION_QUERY_KEYS) or any(word in key for key in keys for word in NAVIGATION_KEYS):
        return True
    return bool(PAGED_PATH_RE.search(parts.path) or NAVIGATION_PATH_RE.search(parts.path))


def looks_like_news_section(url: str) -> bool:
    return bool(NEWS_WORD_RE.search(urlsplit(url).path + "?" + urlsplit(url).query))
