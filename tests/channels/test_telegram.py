"""The t.me/s parser on the recorded real pages and blocks, and on blocks built here."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from channels.base import ChannelError
from channels.telegram import channel_name, check_channel_page, parse_channel_page, parse_views

DATA = Path(__file__).parent.parent / "data" / "telegram"
BLOCKS = DATA / "tchan_real_message_blocks"
VMKONONOV = DATA / "tme_s_vmkononov_ru_channel_before_link_albums_video_edited.html"
PRSTNK = DATA / "tme_s_prstnk_eprst_small_ru_channel_service_msg.html"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_vmkononov_page_ids_dates_views_and_load_more() -> None:
    page = parse_channel_page(VMKONONOV.read_bytes())
    assert page.has_channel_info
    assert [m.id for m in page.messages] == [5248, 5258, 5259, 5260, 5267]  # album ids jump
    assert page.before == 5248
    assert (page.min_id, page.max_id) == (5248, 5267)
    assert [m.post.views for m in page.messages] == [48, 48, 43, 39, 23]
    assert [m.post.published_at for m in page.messages] == [
        utc(2026, 9, 8, 9, 48, 28), utc(2026, 9, 8, 14, 52, 2), utc(2026, 9, 9, 11, 56, 25),
        utc(2026, 9, 10, 12, 29, 25), utc(2026, 9, 11, 7, 13, 20)]
    assert [m.post.url for m in page.messages][0] == "https://t.me/vmkononov/5248"
    assert all(m.post.found_by == "t.me/s" and m.post.external_id == str(m.id) for m in page.messages)


def test_vmkononov_albums_counted_once_with_their_media() -> None:
    page = parse_channel_page(VMKONONOV.read_bytes())
    media = {m.id: m.post.media for m in page.messages}
    assert media == {5248: ("photo",), 5258: ("photo",), 5259: ("photo",), 5260: ("photo",),
                     5267: ("photo", "video")}  # 5267 holds two "Media is too big" videos
    album = page.messages[0].post.text
    assert album.count("РАБОЧИЙ ВИЗИТ В БАЗАРНОСЫЗГАНСКИЙ РАЙОН") == 1  # nested text div read once
    assert "нацпроекту «Молодёжь и дети»" in album
    assert album.startswith("РАБОЧИЙ ВИЗИТ В БАЗАРНОСЫЗГАНСКИЙ РАЙОН\n\nСовместно")
    assert "🔹 Базарносызганская первая школа." in album  # emoji images keep their character


def test_vmkononov_edited_mark_entities_and_links() -> None:
    page = parse_channel_page(VMKONONOV.read_bytes())
    assert [m.id for m in page.messages if m.edited] == [5258]
    assert page.messages[1].post.text.startswith("РАЗВИВАЕМ РЕГИОНАЛЬНЫЕ БРЕНДЫ ВМЕСТЕ!\n")
    assert page.messages[2].post.text.endswith("по ссылке: https://vk.ru/wall-34239299_66648")


def test_prstnk_page_skips_channel_created_and_keeps_hashtag() -> None:
    page = parse_channel_page(PRSTNK.read_bytes())
    assert page.service_skipped == 1
    assert (page.min_id, page.max_id, page.before) == (1, 2, None)  # no load-more, no prev: last page
    [message] = page.messages
    assert message.id == 2
    assert message.post.views == 1
    assert message.post.media == ("photo",)
    assert message.post.text == ("Как Штапаков травит цинк в Смольном\n"
                                 "Зашли в мастерскую офорта — сняли весь процесс: грунтовка, игла, кислота.\n"
                                 "#репортаж")


@pytest.mark.parametrize(("name", "message_id", "media", "views", "edited"), [
    ("parse_audio_document", 12, ("audio",), 2, False),
    ("parse_audio_message", 13, ("audio",), 2, False),
    ("parse_emoji_message", 7, (), 2, False),
    ("parse_forwarded_text_message", 89, (), 2, False),
    ("parse_location_message", 10, (), 2, False),
    ("parse_location_message_2", 83, (), 1, False),
    ("parse_location_message_3", 88, (), 2, False),
    ("parse_message_weird_preview", 7334, ("link",), 1200, True),
    ("parse_multimedia_message", 84, ("photo", "video"), 436600, False),
    ("parse_photo_multiple", 14, ("photo",), 2, False),
    ("parse_photo_single", 16, ("photo",), 2, False),
    ("parse_poll", 11, ("poll",), 2, False),
    ("parse_round_video_single", 17, ("video",), 2, False),
    ("parse_service_message_channel_video_changed", 82, (), 3_100_000, False),
    ("parse_signed_edited_text_message", 5, (), 2, True),
    ("parse_sticker_message", 9, (), 2, False),
    ("parse_text_message_link_no_preview", 24, (), 2, True),
    ("parse_text_message_link_with_regular_preview", 94, ("link",), 1, False),
    ("parse_text_message_link_with_right_preview", 81, ("link",), 2, False),
    ("parse_text_message_multiline", 62, (), 2, False),
    ("parse_text_message_signed_not_edited", 79, (), 2, False),
    ("parse_text_reply_to_video", 20, (), 2, False),
    ("parse_unsigned_text_message", 6, (), 2, False),
    ("parse_video_big", 5343, ("video",), 436600, False),
    ("parse_video_single", 18, ("video",), 2, False),
    ("parse_video_single_2", 19, ("video",), 2, False),
])
def test_real_message_blocks(name: str, message_id: int, media: tuple[str, ...], views: int, edited: bool) -> None:
    page = parse_channel_page((BLOCKS / f"{name}.html").read_text(encoding="utf-8"))
    [message] = page.messages
    assert message.id == message_id
    assert message.post.media == media
    assert message.post.views == views
    assert message.edited is edited
    assert message.post.published_at.tzinfo is not None


@pytest.mark.parametrize("name", [
    "parse_service_message_channel_created", "parse_service_message_channel_name_changed",
    "parse_service_message_channel_photo_updated", "parse_service_message_pinned",
])
def test_service_messages_are_skipped_but_counted(name: str) -> None:
    page = parse_channel_page((BLOCKS / f"{name}.html").read_text(encoding="utf-8"))
    assert page.messages == []
    assert page.service_skipped == 1
    assert page.max_id is not None  # still moves the cursor past it


def test_forwarded_block_names_its_source() -> None:
    page = parse_channel_page((BLOCKS / "parse_forwarded_text_message.html").read_text(encoding="utf-8"))
    assert page.messages[0].post.repost_of == "https://t.me/some_user"
    assert page.messages[0].post.text == ";)"


def test_text_of_reindented_blocks_keeps_only_real_line_breaks() -> None:
    page = parse_channel_page((BLOCKS / "parse_text_message_multiline.html").read_text(encoding="utf-8"))
    assert page.messages[0].post.text == "Bigger\ntext\nmessage\nnumber\n34"


def test_reply_quote_is_not_taken_as_text_in_real_block() -> None:
    page = parse_channel_page((BLOCKS / "parse_text_reply_to_video.html").read_text(encoding="utf-8"))
    assert page.messages[0].post.text == "Reply to a video (not recorded in telegram)"


REPLY_BLOCK = """
<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="school38_irk/311">
  <div class="tgme_widget_message_bubble">
    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/school38_irk"><span dir="auto">МБОУ СОШ №38</span></a></div>
    <a class="tgme_widget_message_reply" href="https://t.me/school38_irk/309"><i class="tgme_widget_message_reply_thumb" style="background-image:url('https://cdn4.telesco.pe/file/x.jpg')"></i>
      <div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">МБОУ СОШ №38</span></div>
      <div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">Фото с торжественной линейки</div>
    </a>
    <div class="tgme_widget_message_text js-message_text" dir="auto">Отвечаем на вопросы родителей о <b>новом спортзале</b>&#33;<br/>Подробности &mdash; на сайте.</div>
    <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
      <span class="tgme_widget_message_views">1,2K</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><span class="tgme_widget_message_from_author" dir="auto">Завуч edited-гость</span>,&nbsp;<a class="tgme_widget_message_date" href="https://t.me/school38_irk/311"><time datetime="2026-09-15T02:10:00+00:00" class="time">10:10</time></a></span>
    </div></div>
  </div>
</div></div>
"""


def test_built_reply_keeps_own_text_and_ignores_quote_and_thumb() -> None:
    [message] = parse_channel_page(REPLY_BLOCK).messages
    assert message.post.text == "Отвечаем на вопросы родителей о новом спортзале!\nПодробности — на сайте."
    assert message.post.media == ()  # the quoted post's thumbnail is not this post's photo
    assert message.post.views == 1200
    assert message.edited is False  # "edited" inside the author's signature does not count
    assert message.post.published_at == utc(2026, 9, 15, 2, 10)


def test_no_posts_found_page_is_empty() -> None:
    page = parse_channel_page((BLOCKS / "parse_no_posts_found.html").read_text(encoding="utf-8"))
    assert page.messages == [] and page.no_posts_found
    check_channel_page(page, "some-channel", "https://t.me/s/some-channel")  # not an error


def test_block_without_date_is_reported_not_dropped_silently() -> None:
    broken = REPLY_BLOCK.replace('<time datetime="2026-09-15T02:10:00+00:00" class="time">10:10</time>', "")
    page = parse_channel_page(broken)
    assert page.messages == []
    assert page.notes and "school38_irk/311" in page.notes[0]


@pytest.mark.parametrize(("raw", "expected"), [
    ("48", 48), ("1.2K", 1200), ("1,2M", 1_200_000), ("436.6K", 436_600), ("33.0K", 33_000),
    ("3.58K", 3580), ("1 234", 1234), ("много", None), ("", None),
])
def test_parse_views(raw: str, expected: int | None) -> None:
    assert parse_views(raw) == expected


@pytest.mark.parametrize(("sample", "words"), [
    ("tme_contact_page_alyatrend_channel_not_s.html", "отключён веб-просмотр"),
    ("tme_contact_page_besplatnowb_group_members_online.html", "группа"),
    ("tme_contact_page_tastyhouse95_nonexistent_or_deleted.html", "не найден"),
])
def test_contact_pages_are_permanent_errors_naming_the_case(sample: str, words: str) -> None:
    page = parse_channel_page((DATA / sample).read_bytes())
    with pytest.raises(ChannelError) as caught:
        check_channel_page(page, "school7", "https://t.me/school7")
    assert caught.value.permanent
    assert words in caught.value.message and "school7" in caught.value.message


def test_empty_s_page_without_channel_info_is_not_found() -> None:
    page = parse_channel_page("<html><body><main class='tgme_main'></main></body></html>")
    with pytest.raises(ChannelError, match="не найден"):
        check_channel_page(page, "nosuchschool", "https://t.me/s/nosuchschool")


@pytest.mark.parametrize("address", ["school7", "@school7", "t.me/school7", "https://t.me/s/school7",
                                     "https://t.me/school7/15"])
def test_channel_name_from_addresses(address: str) -> None:
    assert channel_name(address) == "school7"


def test_message_markup_the_parser_cannot_reach_is_counted() -> None:
    from tests.faults.hostile import MESSAGES, NESTING, telegram_page

    readable = parse_channel_page(telegram_page("school_a"))
    assert len(readable.messages) == MESSAGES and readable.markup_messages == MESSAGES
    buried = parse_channel_page(telegram_page("school_a", NESTING))  # libxml2 gives up far above them
    assert buried.messages == [] and buried.max_id is None and buried.markup_messages == MESSAGES
