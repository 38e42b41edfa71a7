"""t.me/s pages for the demo's local "internet", in the real markup (formats.md §1.2).

The structure follows the recorded page `tme_s_vmkononov_…html`: channel header with
`tgme_channel_info`, the `js-messages_more` anchor with `data-before` ahead of the posts,
then one `tgme_widget_message_wrap` per message, oldest first. Text goes through Jinja's
autoescape: demo text is treated like any crawled text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from jinja2 import Environment
from markupsafe import Markup, escape

PAGE_SIZE = 20
PUBLIC_URL = "https://t.me"
THOUSAND = 1_000
MILLION = 1_000_000

_TEMPLATE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{{ title }} – Telegram</title>
<meta property="og:title" content="{{ title }}">
<meta property="og:site_name" content="Telegram">
{% if before_link %}    <link rel="prev" href="/s/{{ name }}?before={{ before_link }}">
{% endif %}<link rel="canonical" href="/s/{{ name }}{% if canonical %}?before={{ canonical }}{% endif %}">
  </head>
  <body class="widget_frame_base tgme_webpreview emoji_image thin_box_shadow tme_mode no_transitions">
    <header class="tgme_header search_collapsed">
  <div class="tgme_container">
    <div class="tgme_header_right_column">
      <section class="tgme_right_column">
        <div class="tgme_channel_info">
          <div class="tgme_channel_info_header">
            <div class="tgme_channel_info_header_title_wrap">
              <div class="tgme_channel_info_header_title"><span dir="auto">{{ title }}</span></div>
            </div>
            <div class="tgme_channel_info_header_username"><a href="{{ site }}/{{ name }}">@{{ name }}</a></div>
          </div>
          <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">{{ total }}</span> <span class="counter_type">posts</span></div></div>
        </div>
      </section>
    </div>
  </div>
</header>
<main class="tgme_main" data-url="/{{ name }}">
  <div class="tgme_container">
    <section class="tgme_channel_history js-message_history">
{% if before_link %}      <div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{{ name }}?before={{ before_link }}" class="tme_messages_more js-messages_more" data-before="{{ before_link }}"></a></div>{% endif %}
{%- if not messages %}<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message_centered"><div class="tme_no_messages_found">No posts found</div></div></div>{% endif %}
{%- for m in messages %}<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{{ name }}/{{ m.id }}">
  <div class="tgme_widget_message_user"><a href="{{ site }}/{{ name }}"><i class="tgme_widget_message_user_photo bgcolor5" data-content="{{ title[:1] }}"></i></a></div>
  <div class="tgme_widget_message_bubble">
    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="{{ site }}/{{ name }}"><span dir="auto">{{ title }}</span></a></div>
{% if m.photo %}
<a class="tgme_widget_message_photo_wrap" href="{{ site }}/{{ name }}/{{ m.id }}" style="width:800px;background-image:url('{{ site }}/file/demo-{{ m.id }}.jpg')">
  <div class="tgme_widget_message_photo" style="padding-top:75%"></div>
</a>{% endif %}<div class="tgme_widget_message_text js-message_text" dir="auto">{{ m.text | textbr }}</div>
<div class="tgme_widget_message_footer compact js-message_footer">
  <div class="tgme_widget_message_info short js-message_info">
    <span class="tgme_widget_message_views">{{ m.views | compact }}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="{{ site }}/{{ name }}/{{ m.id }}"><time datetime="{{ m.date | isotime }}" class="time">{{ m.date.strftime('%H:%M') }}</time></a></span>
  </div>
</div>
  </div>
</div></div>{% endfor %}
    </section>
  </div>
</main>
  </body>
</html>
"""


@dataclass(slots=True, frozen=True)
class DemoMessage:
    """One post of a demo channel."""

    id: int
    date: datetime  # timezone-aware
    text: str
    views: int
    photo: bool = False


def compact_count(value: int) -> str:
    """Telegram's counter form: 48, 1.2K, 33.0K, 1.5M."""
    if value < THOUSAND:
        return str(value)
    if value < MILLION:
        return f"{value / THOUSAND:.1f}K"
    return f"{value / MILLION:.1f}M"


def _text_with_breaks(text: str) -> Markup:
    return Markup("<br/>").join(escape(line) for line in text.split("\n"))


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_ENV.filters.update(textbr=_text_with_breaks, compact=compact_count, isotime=_iso_utc)
_PAGE = _ENV.from_string(_TEMPLATE)


def render_channel_page(name: str, title: str, messages: list[DemoMessage], before: int | None,
                        page_size: int = PAGE_SIZE, site: str = PUBLIC_URL) -> str:
    """The page `t.me/s/<name>[?before=N]`: the newest `page_size` messages below `before`."""
    older = sorted((m for m in messages if before is None or m.id < before), key=lambda m: m.id)
    shown = older[-page_size:] if page_size > 0 else []
    remaining = len(older) > len(shown)
    newest = max((m.id for m in messages), default=0)
    return _PAGE.render(
        name=name, title=title, messages=shown, site=site.rstrip("/"), total=len(messages),
        before_link=shown[0].id if shown and remaining else None,
        canonical=before if before is not None else newest + 1,
    )
