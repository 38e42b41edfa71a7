"""The throwaway PostgreSQL of the tests and benchmarks: it starts, serves a store, and leaves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.store import Store
from tests import pgserver


@pytest.mark.postgres
def test_a_server_serves_a_store_and_stop_removes_it():
    server = pgserver.start()
    try:
        store = Store.open(server.create_database("natmon"))
        store.set_state("probe", {"ok": True})
        assert store.get_state("probe") == {"ok": True}
        store.close()
        pid = int((server.data / "postmaster.pid").read_text().split()[0])
    finally:
        server.stop()
    assert not server.directory.exists()
    assert not running(pid)


def running(pid: int) -> bool:
    """Whether the process runs (a zombie left for an init that does not reap is not running)."""
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_without_postgresql_installed_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(pgserver, "BIN_ROOT", tmp_path / "нет")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pgserver.ServerError, match="apt-get install postgresql"):
        pgserver.start()
