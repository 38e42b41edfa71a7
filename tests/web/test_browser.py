"""The app in a real browser: Debian's chromium driven by Playwright, the app served by uvicorn on 127.0.0.1.

Screenshots of the main pages are saved under tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select

from crawler import schema as t
from tests.web.conftest import ANGARSK, PASSWORD, PERIOD, Region, build_region, make_app
from tests.web.hostile import SCRIPT_TITLE, add_hostile_posts

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
START_TIMEOUT = 10.0
PAGE_TIMEOUT_MS = 10_000


@dataclass(slots=True)
class Served:
    region: Region
    url: str
    hostile: dict[str, int]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    region = build_region(tmp_path_factory.mktemp("browser"))
    hostile = add_hostile_posts(region.store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(region), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield Served(region, f"http://127.0.0.1:{port}", hostile)
    server.should_exit = True
    thread.join(START_TIMEOUT)
    region.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    dialogs: list[str] = []
    opened = context.new_page()
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert dialogs == [], f"a page opened a dialog: {dialogs}"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, served: Served, login: str) -> None:
    page.goto(f"{served.url}/login")
    page.get_by_label("Логин").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def test_log_in_and_review_a_post(page: Page, served: Served):
    page.goto(f"{served.url}/login")
    shot(page, "login")
    log_in(page, served, "angarsk")
    assert page.locator("h1").first.inner_text() == f"{ANGARSK}: освещение национальных проектов"
    shot(page, "municipality")
    post_id = served.region.posts["p2_tg"]
    page.goto(f"{served.url}/posts?period={PERIOD}")
    card = page.locator(f"#post-{post_id}")
    card.get_by_label("Комментарий").fill("проверено по сайту школы")
    card.get_by_role("button", name="Подтвердить").click()
    page.wait_for_load_state()
    assert "Публикация подтверждена." in page.locator(".flash").first.inner_text()
    assert "статус: подтверждено (проверено по сайту школы)" in page.locator(f"#post-{post_id} .meta").inner_text()
    shot(page, "posts")
    with served.region.store.engine.connect() as conn:
        row = conn.execute(select(t.reviews).where(t.reviews.c.post_id == post_id)).one()
    assert (row.decision, row.comment) == ("confirmed", "проверено по сайту школы")


def test_add_a_manual_entry(page: Page, served: Served):
    log_in(page, served, "angarsk")
    page.get_by_role("link", name="Добавить публикацию из другого канала").click()
    page.get_by_label("Учреждение").select_option(label="Школа № 1")
    page.get_by_label("Канал").fill("газета")
    page.get_by_label("Описание").fill("Статья «Новая мастерская» в газете «Ангарские огни», № 3")
    page.get_by_label("Дата публикации").fill("2025-01-17")
    page.get_by_role("button", name="Добавить").click()
    page.wait_for_load_state()
    assert "добавлена" in page.locator(".flash").first.inner_text()
    assert "Статья «Новая мастерская»" in page.locator("table").last.inner_text()
    shot(page, "manual")


def test_download_the_draft(page: Page, served: Served, tmp_path: Path):
    log_in(page, served, "angarsk")
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать черновик (xlsx)").click()
    download = info.value
    assert download.suggested_filename == f"draft-g-angarsk-{PERIOD}.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert load_workbook(target).sheetnames


def test_a_hostile_post_shows_as_text_and_runs_nothing(page: Page, served: Served):
    log_in(page, served, "operator")
    for path in [f"/posts?period={PERIOD}", f"/m/{served.region.municipalities[ANGARSK]}?period={PERIOD}",
                 f"/posts/{served.hostile['script']}?period={PERIOD}"]:
        page.goto(served.url + path)
        page.wait_for_load_state("load")
        page.mouse.move(300, 400)
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("script").count() == 0
    page.goto(f"{served.url}/posts?period={PERIOD}")
    card = page.locator(f"#post-{served.hostile['script']}")
    assert SCRIPT_TITLE in card.inner_text()
    assert card.locator("a[href^='javascript']").count() == 0
    assert "javascript:window.__xss=6" in card.locator(".nolink").inner_text()
    shot(page, "hostile-post")


def test_the_operator_overview(page: Page, served: Served):
    log_in(page, served, "operator")
    page.goto(f"{served.url}/?period={PERIOD}")
    page.get_by_role("link", name="С публикациями").click()
    page.wait_for_load_state()
    assert "sort=covering" in page.url
    assert page.locator("#municipalities tr").count() == 3
    shot(page, "overview")


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_tables_scroll_in_their_own_box_and_the_page_does_not(browser: Browser, served: Served):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    phone = context.new_page()
    try:
        m_id = served.region.municipalities[ANGARSK]
        for login, paths in (("operator", [f"/?period={PERIOD}", "/audit", "/account"]),
                             ("angarsk", [f"/m/{m_id}?period={PERIOD}", f"/posts?period={PERIOD}",
                                          f"/m/{m_id}/manual?period={PERIOD}",
                                          f"/posts/{served.region.posts['p2_vk']}?period={PERIOD}"])):
            log_in(phone, served, login)
            for path in paths:
                phone.goto(served.url + path)
                phone.wait_for_load_state("load")
                # is_mobile lets the layout viewport grow to the content: compare with the phone's own width
                widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth, screen.width]")
                assert max(widths[:2]) <= PHONE["width"], (path, widths)
            if login == "operator":
                phone.goto(f"{served.url}/?period={PERIOD}")
                box = phone.evaluate("(() => { const t = document.querySelector('#municipalities');"
                                     " const s = t.closest('.scroll') || t;"
                                     " return [s.scrollWidth, s.clientWidth, getComputedStyle(s).overflowX]; })()")
                assert box[0] > box[1] and box[2] == "auto", box  # the wide table scrolls inside its box
                shot(phone, "phone-overview")
            phone.goto(f"{served.url}/account")
            phone.get_by_role("button", name="Завершить все сеансы").click()
            phone.wait_for_load_state()
    finally:
        context.close()
