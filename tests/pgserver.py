"""A throwaway PostgreSQL server for the tests and the benchmarks.

`start()` runs Debian's initdb into a new directory and starts the server on a unix socket in
that directory only (no TCP port, so parallel test sessions never collide), tuned for speed
(fsync off: the data is thrown away). Run as root, the server runs as the `postgres` system
user (initdb refuses root). `Server.stop()` stops it and removes the directory.

    server = start()
    try:
        store = Store.open(server.url("natmon"))  # after server.create_database("natmon")
    finally:
        server.stop()
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPERUSER = "natmon"  # the cluster's superuser, trusted on the socket
SERVICE_USER = "postgres"  # the system user the server runs as when we are root
BIN_ROOT = Path("/usr/lib/postgresql")  # Debian: /usr/lib/postgresql/<version>/bin
FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=300",
        "shared_buffers=64MB", "listen_addresses=")


class ServerError(RuntimeError):
    """The throwaway server cannot start; the message says what to install or check."""


def bin_dir() -> Path:
    """The newest PostgreSQL's binaries: Debian's versioned directory, else initdb on PATH."""
    versions = sorted((path for path in BIN_ROOT.glob("*/bin") if (path / "initdb").exists()),
                      key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    if versions:
        return versions[-1]
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ServerError("Не найден PostgreSQL (initdb): установите пакет postgresql (sudo apt-get install postgresql) "
                      "или запустите `make test`, который ставит его сам от root.")


@dataclass(slots=True)
class Server:
    """A running throwaway server; `url(name)` is a SQLAlchemy URL of one of its databases."""

    directory: Path
    binaries: Path
    user: dict[str, Any] = field(default_factory=dict)  # subprocess user/group when running as root
    _admin: Any = None

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.directory}"

    def _admin_connection(self) -> Any:
        """One autocommit connection to the maintenance database, for CREATE/DROP DATABASE."""
        if self._admin is None:
            import psycopg

            self._admin = psycopg.connect(host=str(self.directory), dbname="postgres", user=SUPERUSER,
                                          autocommit=True)
        return self._admin

    def create_database(self, name: str, template: str = "template1") -> str:
        """A new database (copied from `template`, fast); returns its URL."""
        self._admin_connection().execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin_connection().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.data.exists():
            subprocess.run([str(self.binaries / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate"],
                           capture_output=True, check=False, **self.user)
        shutil.rmtree(self.directory, ignore_errors=True)


def _run_as() -> dict[str, Any]:
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise ServerError(f"Тесты запущены от root, а PostgreSQL не запускается от root: нужен системный пользователь "
                          f"{SERVICE_USER} (его создаёт пакет postgresql: apt-get install postgresql).") from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def start(directory: Path | None = None) -> Server:
    """Create and start a server; its files go in a new directory (inside `directory` if given).

    The socket path must stay short (about 100 characters), so the default is the system temp dir.
    """
    binaries = bin_dir()
    run_as = _run_as()
    home = Path(tempfile.mkdtemp(prefix="natmon-pg-", dir=directory))
    if len(str(home)) > 90:
        shutil.rmtree(home, ignore_errors=True)
        raise ServerError(f"Путь {home} слишком длинный для сокета PostgreSQL; укажите короткую папку.")
    if run_as:
        os.chown(home, run_as["user"], run_as["group"])
    server = Server(home, binaries, run_as)
    steps = ([str(binaries / "initdb"), "-D", str(server.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8", "--no-sync"],
             [str(binaries / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(server.data),
              "-l", str(home / "server.log"),
              "-o", " ".join([f"-c unix_socket_directories={home}", *(f"-c {option}" for option in FAST)])])
    for command in steps:
        result = subprocess.run(command, capture_output=True, text=True, check=False, **run_as)
        if result.returncode != 0:
            log = (home / "server.log").read_text(errors="replace")[-2000:] if (home / "server.log").exists() else ""
            server.stop()
            raise ServerError(f"Тестовый PostgreSQL не запустился ({Path(command[0]).name}, код {result.returncode}): "
                              f"{result.stderr.strip() or result.stdout.strip()}\n{log}".strip())
    return server


__all__ = ["Server", "ServerError", "start", "bin_dir"]
