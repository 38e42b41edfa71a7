"""Telegram public channels through the web preview `t.me/s/<name>`.

Pure parsers (HTML in, `TelegramMessage` records and the next page out) and one thin
`fetch` that pages backwards with `?before=<id>` until the cursor (the largest message
id already stored) or `ctx.since`. The markup is described in formats.md §1.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml import etree

from channels.base import MEDIA_KINDS, ChannelError, ChannelRef, FetchContext, FetchResult, Post

FOUND_BY = "t.me/s"
VIEW_MULTIPLIERS = {"": 1, "K": 1_000, "M": 1_000_000}
GROUP_MARKER = "members"  # a group's contact card says "N members, M online"
EDITED_MARKER = "edited"
# Class of a media element -> media kind (formats.md §1.3); stickers and locations have none.
MEDIA_CLASSES = {
    "tgme_widget_message_photo_wrap": "photo",
    "tgme_widget_message_video_player": "video",
    "tgme_widget_message_roundvideo_player": "video",
    "tgme_widget_message_document_wrap": "document",
    "tgme_widget_message_voice_player": "audio",
    "tgme_widget_message_poll": "poll",
    "tgme_widget_message_link_preview": "link",
}
AUDIO_ICON_CLASS = "audio"  # an audio file is a document whose icon has this class

_sleep = asyncio.sleep  # the one pause between pages of a channel; tests replace it
_WS = re.compile(r"\s+")
_VIEWS = re.compile(r"^(\d+(?:[.,]\d+)?)([KM]?)$")
_POST_ID = re.compile(r"^([^/]+)/(\d+)$")
_POST_MARKUP = re.compile(r'\bdata-post="[^"/]+/\d+"')  # counted on the raw text: a parser that fails sees none


def _has(cls: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


_MESSAGES = etree.XPath(f"//div[{_has('tgme_widget_message')}][@data-post]")
_TEXT = etree.XPath(f".//div[{_has('tgme_widget_message_text')}]"
                    f"[not(ancestor::*[{_has('tgme_widget_message_text')} or {_has('tgme_widget_message_reply')}])]")
_POLL_QUESTION = etree.XPath(f".//*[{_has('tgme_widget_message_poll_question')}]")
_VIEWS_SPAN = etree.XPath(f".//span[{_has('tgme_widget_message_views')}]")
_META = etree.XPath(f".//span[{_has('tgme_widget_message_meta')}]")
_DATE_LINK = etree.XPath(f".//a[{_has('tgme_widget_message_date')}]")
_FORWARDED = etree.XPath(f".//div[{_has('tgme_widget_message_forwarded_from')}]")
_FORWARDED_NAME = etree.XPath(f".//*[{_has('tgme_widget_message_forwarded_from_name')}]")
_REPLY = etree.XPath(f".//*[{_has('tgme_widget_message_reply')}]")
_AUDIO_ICON = etree.XPath(f".//*[{_has('tgme_widget_message_document_icon')}][{_has(AUDIO_ICON_CLASS)}]")
_CHANNEL_INFO = etree.XPath(f"//div[{_has('tgme_channel_info')}]")
_MORE = etree.XPath(f"//a[@data-before][{_has('js-messages_more')}]/@data-before")
_PREV = etree.XPath("//link[@rel='prev']/@href")
_NO_POSTS = etree.XPath(f"//div[{_has('tme_no_messages_found')}]")
_CONTACT_PAGE = etree.XPath(f"//*[{_has('tgme_page')}]")
_CONTACT_TITLE = etree.XPath(f"//*[{_has('tgme_page_title')}]")
_CONTACT_EXTRA = etree.XPath(f"//*[{_has('tgme_page_extra')}]")


@dataclass(slots=True)
class TelegramMessage:
    """One channel message as the web preview shows it; `Post` has no edited flag, so it lives here."""

    id: int
    post: Post
    edited: bool


@dataclass(slots=True)
class ChannelPage:
    """What one t.me/s page holds."""

    messages: list[TelegramMessage]  # oldest first, service messages left out
    before: int | None  # the "load more" id: older messages have ids below it; None on the last page
    max_id: int | None  # largest message id on the page, service messages included
    min_id: int | None
    has_channel_info: bool
    no_posts_found: bool
    service_skipped: int = 0
    notes: list[str] = field(default_factory=list)
    contact_kind: str | None = None  # a t.me/<name> card instead: "channel", "group" or "missing"
    markup_messages: int = 0  # message blocks in the raw HTML (`data-post="…"`), read or not


def parse_views(raw: str) -> int | None:
    """Compact Telegram counters: "48", "1.2K", "1,2M", "436.6K" -> int; None when unreadable."""
    match = _VIEWS.match(raw.replace(" ", "").replace("\xa0", "").upper())
    if match is None:
        return None
    try:
        number = Decimal(match[1].replace(",", "."))
    except InvalidOperation:
        return None
    return int(number * VIEW_MULTIPLIERS[match[2]])


def plain_text(element: lxml.html.HtmlElement) -> str:
    """Visible text: tags dropped, <br> kept as line breaks, source whitespace collapsed."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.text:
            parts.append(_WS.sub(" ", node.text))
        for child in node:
            if child.tag == "br":
                parts.append("\n")
            elif isinstance(child.tag, str):  # comments and processing instructions carry no text
                walk(child)
            if child.tail:
                parts.append(_WS.sub(" ", child.tail))

    walk(element)
    return "\n".join(line.strip() for line in "".join(parts).split("\n")).strip()


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _media(block: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Media kinds of the message itself; a reply quote's thumbnail is not one of them."""
    replies = set(_REPLY(block))
    kinds: set[str] = set()
    for element in block.iter("a", "div"):  # a plain walk: one XPath per kind costs ~10x more
        if "tgme_widget_message_" not in (element.get("class") or ""):
            continue
        if replies and any(parent in replies for parent in element.iterancestors()):
            continue
        for cls in _classes(element) & MEDIA_CLASSES.keys():
            kind = MEDIA_CLASSES[cls]
            if kind == "document" and _AUDIO_ICON(element):
                kind = "audio"
            kinds.add(kind)
    return tuple(kind for kind in MEDIA_KINDS if kind in kinds)


def _edited(block: lxml.html.HtmlElement) -> bool:
    """The literal "edited" sits as loose text in the meta span, not inside the author's name."""
    for meta in _META(block):
        loose = [meta.text or ""] + [child.tail or "" for child in meta]
        if any(EDITED_MARKER in piece for piece in loose):
            return True
    return False


def _repost_of(block: lxml.html.HtmlElement) -> str | None:
    forwarded = _FORWARDED(block)
    if not forwarded:
        return None
    names = _FORWARDED_NAME(block)
    if names:  # a link to the source, or a bare name when the source hides itself
        return names[0].get("href") or plain_text(names[0]) or None
    return plain_text(forwarded[0]).removeprefix("Forwarded from").strip() or None


def parse_message(block: lxml.html.HtmlElement) -> TelegramMessage:
    """One `div.tgme_widget_message[data-post]` -> record; ValueError when id or date is missing."""
    match = _POST_ID.match(block.get("data-post", ""))
    if match is None:
        raise ValueError(f"нет номера сообщения (data-post={block.get('data-post')!r})")
    slug, message_id = match[1], int(match[2])
    links = _DATE_LINK(block)
    stamps = links[0].xpath("./time/@datetime") if links else []
    if not stamps:
        raise ValueError(f"у сообщения {slug}/{message_id} нет даты публикации")
    published = datetime.fromisoformat(stamps[0])
    if published.tzinfo is None:
        raise ValueError(f"у сообщения {slug}/{message_id} дата без часового пояса: {stamps[0]}")
    texts = _TEXT(block) or _POLL_QUESTION(block)
    views = _VIEWS_SPAN(block)
    post = Post(
        external_id=str(message_id),
        url=links[0].get("href") or f"https://t.me/{slug}/{message_id}",
        published_at=published,
        text=plain_text(texts[0]) if texts else "",
        media=_media(block),
        views=parse_views(plain_text(views[0])) if views else None,
        repost_of=_repost_of(block),
        found_by=FOUND_BY,
    )
    return TelegramMessage(id=message_id, post=post, edited=_edited(block))


def _older_than(tree: lxml.html.HtmlElement) -> int | None:
    """The "load more" anchor's id, else the `rel=prev` link's `?before=`."""
    for value in _MORE(tree):
        if str(value).isdigit():
            return int(value)
    for href in _PREV(tree):
        before = parse_qs(urlsplit(str(href)).query).get("before", [""])[0]
        if before.isdigit():
            return int(before)
    return None


def _contact_kind(tree: lxml.html.HtmlElement) -> str | None:
    if not _CONTACT_PAGE(tree):
        return None
    if not _CONTACT_TITLE(tree):
        return "missing"
    extra = " ".join(plain_text(e) for e in _CONTACT_EXTRA(tree))
    return "group" if GROUP_MARKER in extra else "channel"


def parse_channel_page(html: str | bytes) -> ChannelPage:
    """A whole t.me/s page (or one message block) -> its messages and the way to older ones."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        return ChannelPage([], None, None, None, has_channel_info=False, no_posts_found=False)
    try:
        tree = lxml.html.document_fromstring(html)
    except etree.ParserError:  # only comments, stray end tags…: no document at all
        return ChannelPage([], None, None, None, has_channel_info=False, no_posts_found=False)
    page = ChannelPage([], _older_than(tree), None, None, has_channel_info=bool(_CHANNEL_INFO(tree)),
                       no_posts_found=bool(_NO_POSTS(tree)), markup_messages=len(_POST_MARKUP.findall(html)))
    ids: list[int] = []
    for block in _MESSAGES(tree):
        try:
            message = parse_message(block)
        except ValueError as exc:
            page.notes.append(f"Telegram: сообщение пропущено — {exc}")
            continue
        ids.append(message.id)
        if "service_message" in _classes(block):
            page.service_skipped += 1
        else:
            page.messages.append(message)
    page.max_id, page.min_id = (max(ids), min(ids)) if ids else (None, None)
    if not ids and not page.has_channel_info:
        page.contact_kind = _contact_kind(tree)
    return page


def check_channel_page(page: ChannelPage, name: str, final_url: str) -> None:
    """Raise a permanent ChannelError when the page is not a channel's public post list."""
    if page.has_channel_info or page.max_id is not None or page.no_posts_found:
        return
    kind = page.contact_kind
    if kind == "group":
        raise ChannelError(f"Telegram: «{name}» — группа, а не канал; у групп нет публичной ленты "
                           "t.me/s. Укажите канал учреждения.", url=final_url, permanent=True)
    if kind == "channel" or (kind is None and "/s/" not in urlsplit(final_url).path):
        raise ChannelError(f"Telegram: у канала «{name}» отключён веб-просмотр (t.me/s/{name} ведёт на "
                           "страницу контакта). Посты можно получать через бота natmon, если учреждение "
                           "сделает его администратором канала.", url=final_url, permanent=True)
    raise ChannelError(f"Telegram: канал «{name}» не найден — он удалён или адрес указан с ошибкой.",
                       url=final_url, permanent=True)


def channel_name(address: str) -> str:
    """"@name", "t.me/name", "https://t.me/s/name" or "name" -> "name"."""
    if "/" not in address:
        return address.strip().lstrip("@")
    path = urlsplit(address if "//" in address else f"//{address}").path
    parts = [part for part in path.split("/") if part and part != "s"]  # names are 5+ chars, never "s"
    return parts[0].lstrip("@") if parts else address


async def fetch(channel: ChannelRef, cursor: str | None, ctx: FetchContext) -> FetchResult:
    """New posts of one public channel, newest pages first, one page at a time."""
    name = channel_name(channel.address)
    url = f"{ctx.settings.telegram_url.rstrip('/')}/s/{name}"
    last_seen = int(cursor) if cursor and cursor.isdigit() else None
    posts: list[Post] = []
    notes: list[str] = []
    warnings: list[str] = []
    newest, service, before = last_seen, 0, None
    for number in range(ctx.settings.max_pages):
        if number:
            await _sleep(ctx.settings.page_delay)
        response = await ctx.http.get(url, params={"before": before} if before else None)
        page = parse_channel_page(response.content)
        if page.max_id is None and page.markup_messages:  # messages are there, the parser saw none
            warnings.append(f"страница не разобрана: {response.url} содержит разметку {page.markup_messages} "
                            "сообщений, но ни одно не прочитано (вёрстка Telegram изменилась или страница "
                            "испорчена); проверьте канал вручную")
            break
        if number == 0:  # later pages past the oldest message may come back bare
            check_channel_page(page, name, str(response.url))
        notes.extend(page.notes)
        service += page.service_skipped
        if page.max_id is not None and (newest is None or page.max_id > newest):
            newest = page.max_id
        fresh = [m for m in page.messages
                 if (last_seen is None or m.id > last_seen) and m.post.published_at >= ctx.since]
        posts.extend(m.post for m in reversed(fresh))  # newest first across pages
        reached_known = last_seen is not None and page.min_id is not None and page.min_id <= last_seen
        reached_since = any(m.post.published_at < ctx.since for m in page.messages)
        older = page.before if page.before is not None else page.min_id
        if page.min_id is None or reached_known or reached_since or older is None or older <= 1 \
                or (before is not None and older >= before):
            break
        before = older
    else:
        notes.append(f"Telegram: «{name}»: достигнут предел в {ctx.settings.max_pages} страниц; сообщения "
                     f"с номерами меньше {before} и больше {last_seen or 0} не загружены.")
    if service:
        notes.append(f"Telegram: «{name}»: пропущено служебных сообщений (создание канала, смена фото, "
                     f"закрепление): {service}.")
    posts.reverse()
    return FetchResult(posts=posts, cursor=str(newest) if newest is not None else cursor, notes=notes,
                       warnings=warnings)
