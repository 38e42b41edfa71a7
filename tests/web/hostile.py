"""Posts written to break a page: script tags, javascript: links, attribute-breaking quotes."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.reports.conftest import add_post

SCRIPT_TITLE = "<script>window.__xss = 1</script>Итоги «Образования»"
QUOTE_TEXT = ('Нацпроект «Образование»: "><img src=x onerror="window.__xss=2"> '
              "' onmouseover='window.__xss=3' <svg onload=window.__xss=4> "
              "<a href=\"javascript:window.__xss=5\">тык</a>")
JS_URL = "javascript:window.__xss=6"
DATA_URL = "data:text/html,<script>window.__xss=7</script>"
HOSTILE_COMMENT = '</textarea><script>window.__xss=8</script>"><b onclick=x>'


def add_hostile_posts(store) -> dict[str, int]:
    """Two hostile posts of г. Ангарск in the period 14.01–24.01.2025."""
    return {
        "script": add_post(store, "club1001", "x1", "2025-01-19T02:00:00", QUOTE_TEXT, title=SCRIPT_TITLE,
                           url=JS_URL),
        "data": add_post(store, "school2_angarsk", "x2", "2025-01-19T03:00:00",
                         "Проект «Образование» <script>window.__xss=9</script>", url=DATA_URL),
    }


def active_content(html: str) -> list[str]:
    """Everything in a page that could run script: script tags, on* attributes, script URLs."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in ("script", "iframe", "object", "embed"):
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{tag.name}[{name}]")
            if name.lower() in ("href", "src", "action", "formaction") and \
                    text.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag.name}[{name}={text}]")
    return found
