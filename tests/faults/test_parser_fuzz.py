"""Input built to break the pure parsers: they return records or raise only their documented errors.

Documented: `parse_wall` raises `VkParseError` for what is not a wall.get/execute answer;
`parse_channel_page`, `parse_listing`, `parse_article` and `parse_feed` raise nothing (an
unusable page gives no records, and notes say why).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.telegram import ChannelPage, parse_channel_page
from channels.vk_parse import VkParseError, WallPage, parse_wall
from channels.website import ListingPage, parse_article, parse_feed, parse_listing

TZ = ZoneInfo("Asia/Irkutsk")
NOW = datetime(2025, 3, 20, 12, 0, tzinfo=TZ)
URL = "https://school.example.ru/novosti/"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the real markups (t.me/s, Госвеб, WordPress, Битрикс, RSS) and of broken HTML.
TOKENS = (
    "<div class=\"tgme_widget_message js-widget_message\" data-post=\"", "school_news/", "12\">", "abc/0\">",
    "<a class=\"tgme_widget_message_date\" href=\"https://t.me/x/1\">", "<time datetime=\"", "2025-03-01T10:00:00+00:00",
    "2025-13-45T99:99:99", "\">", "</time></a>", "<span class=\"tgme_widget_message_views\">", "1.2K", "9.9.9M",
    "</span>", "<div class=\"tgme_widget_message_text\">", "<br/>", "<div class=\"tgme_channel_info\">",
    "<a class=\"tme_messages_more js-messages_more\" data-before=\"", "<link rel=\"prev\" href=\"?before=",
    "<div class=\"tgme_page\"><div class=\"tgme_page_title\">", "<div class='object-item'>",
    "<meta itemprop='datePublished' content='", "<h2 class=\"entry-title\"><a href=\"", "/2025/03/01/x/",
    "<span class=\"news-date-time\">", "31.02.2025", "01.03.2025", "<article>", "</article>", "<time datetime=\"",
    "<a href=\"javascript:alert(1)\">", "<a href=\"?PAGEN_1=2\">След.</a>", "<a href=\"http://[::1\">",
    "<a href=\"//\">", "<base href=\"::::\">", "<meta charset=\"koi8-r\">", "<meta charset=\"nonsense\">",
    "<?xml version=\"1.0\"?>", "<rss version=\"2.0\"><channel><item><title>", "<pubDate>", "</pubDate>",
    "<link>", "</link>", "</item></channel></rss>", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>",
    "<!--", "-->", "<![CDATA[", "]]>", "&#0;", "&#xD800;", "&amp;", "&nbsp;", "\x00", "\ufeff", "\u202e",
    "<div>" * 30, "</div>" * 30, "<script>", "</script>", "<p>", "Новости", "«Точка роста»", "сегодня", "вчера",
    "15 марта 2025", "<table><tr><td>", "</td></tr></table>", "<img src=\"data:,\">", ">", "<", "\"", "'",
)
html_soup = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=80).map("".join)
raw_bytes = st.one_of(st.binary(max_size=400), html_soup.map(lambda text: text.encode("utf-8", "surrogatepass")),
                      html_soup.map(lambda text: text.encode("cp1251", "replace")))

VK_KEYS = ("response", "items", "count", "id", "owner_id", "from_id", "date", "text", "attachments", "type",
           "photo", "copy_history", "is_pinned", "views", "likes", "reposts", "comments", "execute_errors", "error",
           "error_code", "error_msg", "post_type", "sizes", "video")
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**63),
              st.floats(allow_nan=True), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=6),
                            st.dictionaries(st.one_of(st.sampled_from(VK_KEYS), st.text(max_size=6)), inner,
                                            max_size=8)),
    max_leaves=40,
)


@FUZZ
@given(html_soup)
def test_telegram_channel_page_never_raises(html):
    assert isinstance(parse_channel_page(html), ChannelPage)
    assert isinstance(parse_channel_page(html.encode("utf-8", "surrogatepass")), ChannelPage)


@FUZZ
@given(json_values, st.one_of(st.none(), st.integers(min_value=-10**12, max_value=10**12)))
def test_vk_wall_raises_only_vk_parse_error(answer, owner_id):
    try:
        page = parse_wall(answer, owner_id)
    except VkParseError:
        return
    assert isinstance(page, WallPage)


@FUZZ
@given(html_soup)
def test_website_listing_never_raises(html):
    assert isinstance(parse_listing(html, URL, TZ, NOW), ListingPage)


@FUZZ
@given(html_soup)
def test_website_article_never_raises(html):
    notes: list[str] = []
    post = parse_article(html, URL + "1.html", TZ, NOW, notes=notes)
    assert post is not None or notes  # no article: the reason is written down


@FUZZ
@given(raw_bytes)
def test_website_feed_never_raises(body):
    assert isinstance(parse_feed(body, URL, tz=TZ), list)
