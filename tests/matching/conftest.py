"""Fixtures for the matcher tests."""

from __future__ import annotations

import sys
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
