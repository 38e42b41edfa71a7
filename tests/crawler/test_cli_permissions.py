"""Real permissions: a file nobody may read and a read-only folder, named in Russian, no traceback.

The tests run as root, for whom `chmod 000` and `chmod 555` change nothing. The command is
therefore run in a child process that has dropped the capabilities overriding file permissions
(`setpriv` from util-linux removes CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its bounding
set), so it meets the permissions an ordinary user meets. As another user it runs as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SOURCES = ROOT / "tests" / "data" / "registry" / "good.yaml"


def natmon(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crawler.cli", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "as root this test needs setpriv (util-linux) to give up the permission override"
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "закрытый.csv"
    path.write_text("Наименование ОО;Сайт\nМБОУ СОШ № 1;sosh1.example.ru\n", encoding="utf-8")
    path.chmod(0)
    return path


@pytest.fixture
def read_only(tmp_path: Path) -> Path:
    folder = tmp_path / "только чтение"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def assert_named(result: subprocess.CompletedProcess[str], path: Path, reason: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr, result.stderr
    assert str(path) in result.stderr and reason in result.stderr, result.stderr


def test_an_unreadable_list_and_registry(unreadable: Path, tmp_path: Path):
    assert_named(natmon("sources", "import", str(unreadable), "--municipality", "г. Зима"), unreadable,
                 "нет прав")
    sources = tmp_path / "sources.yaml"
    sources.write_text(GOOD_SOURCES.read_text(encoding="utf-8"), encoding="utf-8")
    sources.chmod(0)
    assert_named(natmon("sources", "check", "--sources", str(sources)), sources, "нет прав")


def test_outputs_into_a_read_only_folder(read_only: Path, tmp_path: Path):
    listing = tmp_path / "list.csv"
    listing.write_text("Наименование ОО;Сайт\nМБОУ СОШ № 1;sosh1.example.ru\n", encoding="utf-8")
    target = read_only / "новые.yaml"
    assert_named(natmon("sources", "import", str(listing), "--municipality", "г. Зима", "--output", str(target)),
                 target, "нет прав")
    db = read_only / "natmon.db"
    result = natmon("users", "list", "--db", str(db))
    assert result.returncode != 0 and "Traceback" not in result.stderr and str(db) in result.stderr, result.stderr
