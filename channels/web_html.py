"""HTML helpers shared by the website parsers: a forgiving parser, plain text, media kinds."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from channels.web_urls import is_document, resolve

BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                        "section", "article", "blockquote", "header", "footer", "dd", "dt", "dl", "pre",
                        "figure", "figcaption", "hr", "address", "aside", "nav", "main", "form"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "select",
                       "button", "head", "title", "meta", "link"})
BOILERPLATE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
# Class/id words of menus, sidebars, footers, share buttons and breadcrumbs across the CMSs we meet.
BOILERPLATE_RE = re.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|navigation|footer|header|sidebar|side-bar|aside|breadcrumbs?|"
    r"share|social|widget|banner|cookie|copyright|counter|gw-top-nav|gw-footer|pagination|pager|"
    r"comments?|search|login|top-?menu|left-?col|right-?col|leftcolumn|rightcolumn|levo|pravo|podval|shapka|"
    r"widget-area|sharedaddy|ya-share2?|likes?)(?:$|[\s_-])", re.I)
# What a page's frame is made of (menus, footers, sidebars): a header inside an article is not frame.
CHROME_TAGS = frozenset({"nav", "footer", "aside"})
CHROME_RE = re.compile(r"(?:^|[\s_-])(?:menu|nav|navbar|navigation|footer|breadcrumbs?|pagination|pager|sidebar|"
                       r"gw-top-nav|top-?menu|main-?menu|submenu|copyright|share|social|swchitem|widget-area|"
                       r"left-?col|right-?col|leftcolumn|rightcolumn|levo|pravo|podval|shapka)(?:$|[\s_-])", re.I)
# Lines of meta information around an article's text: dates, views, authors, categories.
META_RE = re.compile(r"(?:^|[\s_-])(?:edetails|entry-meta|article-info|post-meta|news-meta|item-date|news-date|"
                     r"news-date-time|entry-date|date|posted-on|byline)(?:$|[\s_-])", re.I)
LAYOUT_CHILDREN = ("p", "div", "table", "h1", "h2", "h3", "h4", "ul", "ol", "img")
VIDEO_HOST_RE = re.compile(r"(?:^|\.)(?:youtube\.com|youtu\.be|youtube-nocookie\.com|rutube\.ru|vk\.com/video|"
                           r"vk\.ru/video|vkvideo\.ru|vk\.com/clip|ok\.ru/video(?:embed)?|dzen\.ru/video|"
                           r"platform\.twitch)", re.I)
VIDEO_LINK_RE = re.compile(r"//(?:[\w-]+\.)*(?:youtube\.com/(?:watch|embed|shorts|live)|youtu\.be/|rutube\.ru/"
                           r"(?:video|play/embed|shorts)|vk(?:video)?\.(?:com|ru)/(?:video|clip|video_ext\.php)|"
                           r"ok\.ru/video|dzen\.ru/video)", re.I)
SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200b]+")
BLANK_LINES_RE = re.compile(r"\n\s*\n+")
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # invisible, and lxml refuses them in edits
ICON_HINT_RE = re.compile(r"logo|icon|ico[-_]|sprite|counter|pixel|banner|button|emoji|avatar|spacer|blank",
                          re.I)


def parse_html(html: str) -> lxml.html.HtmlElement:
    """An lxml tree of any page, however broken (an empty one for an empty page)."""
    html = CONTROL_RE.sub("", XML_DECL_RE.sub("", html, count=1))
    if not html.strip():
        html = "<html><body></body></html>"
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def clean_text(text: str) -> str:
    """Collapse spaces inside lines, keep line breaks, drop blank runs."""
    lines = [SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def text_of(element: lxml.html.HtmlElement, *, skip_boilerplate: bool = False) -> str:
    """Plain text of an element with block elements on their own lines."""
    parts: list[str] = []
    _walk(element, parts, skip_boilerplate)
    return clean_text("".join(parts))


def _walk(element: etree._Element, parts: list[str], skip_boilerplate: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIP_TAGS or (skip_boilerplate and is_boilerplate(element)):
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in BLOCK_TAGS
    if block:
        parts.append("\n")
    if element.text and tag:
        parts.append(element.text)
    for child in element:
        _walk(child, parts, skip_boilerplate)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary, an announce)."""
    if "<" not in fragment and "&" not in fragment:
        return clean_text(fragment)
    root = parse_html(f"<html><body>{fragment}</body></html>")
    body = root.find("body")
    return text_of(body if body is not None else root)


def is_boilerplate(element: etree._Element) -> bool:
    """A menu, header, footer, sidebar, share block or pager, by tag, role, class or id."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in BOILERPLATE_TAGS:
        return True
    role = element.get("role") or ""
    if role in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    marks = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    return bool(marks) and bool(BOILERPLATE_RE.search(marks))


def inside_boilerplate(element: etree._Element, stop: etree._Element | None = None) -> bool:
    node = element
    while node is not None and node is not stop:
        if is_boilerplate(node):
            return True
        node = node.getparent()
    return False


def in_page_chrome(node: etree._Element | None, stop: etree._Element | None = None) -> bool:
    """Inside the page's frame: nav, footer, aside, a top-level header, or a menu/sidebar/footer class."""
    while node is not None and node is not stop:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in CHROME_TAGS:
            return True
        if tag == "header" and next(node.iterancestors("article"), None) is None:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and CHROME_RE.search(marks):
            return True
        node = node.getparent()
    return False


def prune_for_text(root: lxml.html.HtmlElement) -> None:
    """Drop the page frame and meta lines, and turn layout tables into blocks, before text extraction.

    Old school sites lay pages out with tables; a text extractor then reads the menu column and
    the article as one table. Tables whose cells hold paragraphs or nested tables are layout.
    """
    doomed = [node for node in root.iter() if isinstance(node.tag, str) and node.tag not in ("html", "body")
              and (node.tag in SKIP_TAGS or in_page_chrome(node, stop=node.getparent())
                   or META_RE.search(f"{node.get('class') or ''}"))]
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()
    for table in list(root.iter("table")):
        if any(cell.find(child) is not None for cell in table.iter("td", "th") for child in LAYOUT_CHILDREN):
            for node in list(table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th")):
                node.tag = "div"


def media_kinds(element: lxml.html.HtmlElement, base_url: str) -> tuple[str, ...]:
    """Media kinds in a part of a page: content photos, embedded or linked video, attached documents."""
    kinds: set[str] = set()
    for node in element.iter("img", "iframe", "video", "a", "embed", "source"):
        if in_page_chrome(node, stop=element):
            continue
        if node.tag == "img":
            src = node.get("src") or node.get("data-src") or node.get("data-lazy-src") or ""
            if src and not ICON_HINT_RE.search(src + " " + (node.get("class") or "")) and _big_enough(node):
                kinds.add("photo")
        elif node.tag in ("iframe", "embed"):
            src = node.get("src") or node.get("data-src") or ""
            if VIDEO_LINK_RE.search(src) or VIDEO_HOST_RE.search(src):
                kinds.add("video")
        elif node.tag in ("video", "source"):
            kinds.add("video")
        else:
            url = resolve(node.get("href"), base_url)
            if url is None:
                continue
            if VIDEO_LINK_RE.search(url):
                kinds.add("video")
            elif is_document(url):
                kinds.add("document")
    return tuple(kind for kind in ("photo", "video", "document") if kind in kinds)


def _big_enough(img: lxml.html.HtmlElement) -> bool:
    """Icons and counters declare tiny sizes; content photos declare none or real ones."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 50:
            return False
    return True
