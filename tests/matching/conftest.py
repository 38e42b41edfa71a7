"""Fixtures for the matcher tests."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The editable install may predate matching/__init__.py; make the checkout importable.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matching import Matcher, default_matcher  # noqa: E402

DATA = ROOT / "tests" / "data" / "matching"


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return default_matcher()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


# appended to a post so that it is explicit and its formats are judged
ABOUT = " Работы идут по нацпроекту «Молодёжь и дети»."


@pytest.fixture(scope="session")
def dated() -> Matcher:
    """A matcher whose «today» is fixed, so posts without dates are judged the same every year."""
    return Matcher(today=date(2026, 3, 1))


def explicit_formats(matcher: Matcher, text: str) -> tuple[str, ...]:
    """The formats of `text` made explicit by ABOUT (the post must come out explicit)."""
    m = matcher.match("", text + ABOUT)
    assert m.label == "explicit", m.evidence
    return m.formats
